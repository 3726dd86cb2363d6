/** Creates an element with classes and, optionally, text; model output only ever goes in as text. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A `vscode-button` (registered by each page's main.ts import); secondary buttons are the quiet kind. */
export function button(label: string, testId: string, options: { secondary?: boolean; title?: string } = {}): HTMLElement {
  const node = document.createElement('vscode-button');
  node.textContent = label;
  node.dataset.testid = testId;
  if (options.secondary) node.setAttribute('secondary', '');
  if (options.title) node.title = options.title;
  return node;
}

/** Sets an element's text only when it changed, so streaming does not rewrite unchanged nodes. */
export function setText(node: HTMLElement, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

/** A duration for people: milliseconds below a second, else seconds to two places. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
