import { setFlagsFromString } from 'node:v8';

let available: boolean | undefined;

/**
 * Whether V8's linear-time regex engine (the `l` flag) can be used in this process. Switches
 * it on once, on first use rather than at import, since the flag is process-wide; any failure
 * (another runtime, a V8 without the engine) leaves it unavailable.
 */
export function linearEngineAvailable(): boolean {
  if (available !== undefined) return available;
  available = false;
  try {
    if (!probe()) setFlagsFromString('--enable-experimental-regexp-engine');
    available = probe();
  } catch {
    available = false;
  }
  return available;
}

/**
 * The pattern compiled for the linear-time engine (flags plus `l`), or undefined when the
 * engine is unavailable or cannot run it (V8's engine takes only the g and y flags, and no
 * lookahead, backreference or large repetition count).
 */
export function compileLinear(source: string, flags: string): RegExp | undefined {
  if (!linearEngineAvailable()) return undefined;
  try {
    return new RegExp(source, `${flags}l`);
  } catch {
    return undefined;
  }
}

function probe(): boolean {
  try {
    return new RegExp('a', 'l').flags.includes('l');
  } catch {
    return false;
  }
}
