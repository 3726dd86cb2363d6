/** The part of the webview API a page uses: `M` is what it posts to the host, `S` what it persists across reloads. */
export interface VsCodeApi<M, S> {
  postMessage(message: M): void;
  getState(): unknown;
  setState(state: S): void;
}

declare function acquireVsCodeApi(): VsCodeApi<never, never>;

/** The webview API; VS Code allows acquiring it once per page. */
export function vscodeApi<M, S>(): VsCodeApi<M, S> {
  return acquireVsCodeApi() as unknown as VsCodeApi<M, S>;
}
