import { checkSync } from 'recheck';
import type { RedosVerdict } from './evaluation-result.js';

/** What the checker said of a pattern: prone to backtracking, safe, or unknown in the time given. */
export type RedosOutcome = { status: 'vulnerable'; verdict: RedosVerdict } | { status: 'safe' } | { status: 'unknown' };

/**
 * Asks recheck (automata theory, fuzzing as a fallback) whether a pattern can backtrack
 * super-linearly. Blocks for at most about `timeoutMs`; runs the pure JavaScript build, so call
 * it off the main thread. Exponential cases are found in milliseconds; a timeout is `unknown`.
 */
export function checkRedos(source: string, flags: string, timeoutMs: number): RedosOutcome {
  // The default synckit backend spawns a helper from a file next to recheck's own, which a bundle does not have.
  process.env['RECHECK_SYNC_BACKEND'] = 'pure';
  let result: ReturnType<typeof checkSync>;
  try {
    result = checkSync(source, flags, { timeout: timeoutMs });
  } catch {
    return { status: 'unknown' };
  }
  if (result.status === 'safe') return { status: 'safe' };
  if (result.status !== 'vulnerable') return { status: 'unknown' };
  const c = result.complexity;
  const attack = result.attack?.pattern;
  const verdict: RedosVerdict = c.type === 'exponential' ? { complexity: 'exponential' } : { complexity: 'polynomial', degree: c.degree };
  if (attack !== undefined) verdict.attack = attack;
  return { status: 'vulnerable', verdict };
}
