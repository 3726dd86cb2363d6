import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { checkSync as CheckSync } from 'recheck';

/** A pattern the ReDoS checker found prone to catastrophic backtracking. */
export interface RedosVerdict {
  complexity: 'exponential' | 'polynomial';
  /** The degree of a polynomial; absent for exponential. */
  degree?: number;
  /** An input that shows the blow-up, as the checker writes it. */
  attack?: string;
}

/** What the checker said of a pattern: prone to backtracking, safe, or unknown in the time given. */
export type RedosOutcome = { status: 'vulnerable'; verdict: RedosVerdict } | { status: 'safe' } | { status: 'unknown' };

/** Outcomes by pattern, so a pattern is checked once per process whoever asks (parser, sniffer, server). */
const outcomes = new Map<string, { outcome: RedosOutcome; timeoutMs: number }>();
const MAX_REMEMBERED = 5_000;
let checker: typeof CheckSync | undefined;

/**
 * Asks recheck (automata theory, fuzzing as a fallback) whether a pattern can backtrack
 * super-linearly. Blocks for at most about `timeoutMs` (plus loading the checker, about 0.2 s,
 * the first time); exponential cases are found in milliseconds, a timeout is `unknown`, and so
 * is every outcome when the checker cannot be loaded. The outcome is remembered by source and
 * flags (an unknown one until more time is offered).
 */
export function checkRedos(source: string, flags: string, timeoutMs: number): RedosOutcome {
  const key = `/${source}/${flags}`;
  const known = outcomes.get(key);
  // An unknown is asked again only with more time than it had.
  if (known && (known.outcome.status !== 'unknown' || timeoutMs <= known.timeoutMs)) return known.outcome;
  const outcome = runChecker(source, flags, timeoutMs);
  if (outcomes.size >= MAX_REMEMBERED) outcomes.clear();
  outcomes.set(key, { outcome, timeoutMs });
  return outcome;
}

function runChecker(source: string, flags: string, timeoutMs: number): RedosOutcome {
  let result: ReturnType<typeof CheckSync>;
  try {
    // The default synckit backend spawns a helper from a file next to recheck's own, which a bundle does not have.
    process.env['RECHECK_SYNC_BACKEND'] = 'pure';
    checker ??= loadChecker();
    result = checker(source, flags, { timeout: timeoutMs });
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

/**
 * recheck from its own bundle next to this one (out/recheck.js), else from node_modules (tests,
 * tsx). Required at run time, never bundled into the caller: most rule sets never need it, and
 * 3 MB more in out/cli.js or out/extension.js would slow every start.
 */
function loadChecker(): typeof CheckSync {
  const load = createRequire(__filename);
  for (const id of [join(__dirname, 'recheck.js'), 'recheck']) {
    try {
      return (load(id) as typeof import('recheck')).checkSync;
    } catch {
      // Try the next place.
    }
  }
  throw new Error('the ReDoS checker (recheck) is not installed');
}
