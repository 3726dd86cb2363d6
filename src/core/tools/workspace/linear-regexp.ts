import { setFlagsFromString } from 'node:v8';

let enabled: boolean | undefined;

/**
 * Whether V8's linear-time regex engine (the `l` flag) is available; turns it on the first
 * time. The flag only adds an engine: regexes without `l` behave as before.
 */
export function linearEngineAvailable(): boolean {
  if (enabled === undefined) {
    try {
      setFlagsFromString('--enable-experimental-regexp-engine');
      new RegExp('a', 'l');
      enabled = true;
    } catch {
      enabled = false;
    }
  }
  return enabled;
}

/**
 * `source` compiled for V8's linear engine, whose running time is linear in the input whatever
 * the pattern; a `SyntaxError` when the pattern is invalid or needs backtracking (back
 * references, lookaround), or when the engine is unavailable.
 */
export function linearRegExp(source: string, flags: string): RegExp {
  if (!linearEngineAvailable()) throw new SyntaxError('the linear-time regex engine is not available in this Node.js');
  return new RegExp(source, `${flags}l`);
}
