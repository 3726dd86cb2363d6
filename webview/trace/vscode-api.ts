import type { TraceMessage } from '../../src/shared/protocol.js';

/** The part of the webview API the trace page uses; `S` is what it persists across reloads. */
export interface TraceVsCodeApi<S> {
  postMessage(message: TraceMessage): void;
  getState(): unknown;
  setState(state: S): void;
}

declare function acquireVsCodeApi(): TraceVsCodeApi<never>;

/** The webview API; VS Code allows acquiring it once per page. */
export function traceVscodeApi<S>(): TraceVsCodeApi<S> {
  return acquireVsCodeApi() as unknown as TraceVsCodeApi<S>;
}
