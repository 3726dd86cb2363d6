import type { WebviewMessage } from '../../src/shared/protocol.js';

/** The part of the webview API this page uses; `S` is what it persists across reloads. */
export interface VsCodeApi<S> {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: S): void;
}

declare function acquireVsCodeApi(): VsCodeApi<never>;

/** The webview API; VS Code allows acquiring it once per page. */
export function vscodeApi<S>(): VsCodeApi<S> {
  return acquireVsCodeApi() as unknown as VsCodeApi<S>;
}
