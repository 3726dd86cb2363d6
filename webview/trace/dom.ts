/** Creates an element with classes and, optionally, text; model output only ever goes in as text. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A `vscode-button` (registered by main.ts's import). */
export function button(label: string, testId: string, title?: string): HTMLElement {
  const node = document.createElement('vscode-button');
  node.textContent = label;
  node.dataset.testid = testId;
  node.setAttribute('secondary', '');
  if (title) node.title = title;
  return node;
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
