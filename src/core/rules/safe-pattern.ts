import { mayBacktrackExponentially } from './backtracking-screen.js';
import { compileLinear, linearEngineAvailable } from './linear-engine.js';
import { linearForm } from './linear-form.js';
import { checkRedos } from './redos-check.js';

/**
 * How a user's pattern may be run without ever hanging the process:
 * - `linear`: on V8's linear-time engine, as `source` with `flags` (its linear form);
 * - `backtracking`: on the usual engine, since no part of it can blow up exponentially (by its
 *   shape, or by the ReDoS checker's verdict); polynomial cases are bounded by the scanner's windows;
 * - `unchecked`: its shape is risky, the linear engine cannot take it, and the checker has not
 *   been asked yet: do not run it until it is checked;
 * - `unsafe`: exponential, or risky and not cleared by the checker in time: never run it;
 * - `invalid`: not a regular expression.
 * `blocker` says what keeps a risky pattern off the linear engine ('' when unknown).
 */
export type PatternSafety =
  | { kind: 'linear'; source: string; flags: string; regex?: RegExp }
  | { kind: 'backtracking'; polynomialDegree?: number; regex?: RegExp }
  | { kind: 'unchecked'; blocker: string }
  | { kind: 'unsafe'; reason: 'exponential' | 'undecided'; blocker: string; attack?: string }
  | { kind: 'invalid'; message: string };

/** How long the ReDoS checker may spend on the patterns of one rule file, and on each. */
export interface RedosBudget {
  perPatternMs: number;
  /** `Date.now()` after which no more patterns are checked: the rest are `unsafe` (undecided). */
  until: number;
}

/** Per-pattern time box of the ReDoS checker when rules load. */
export const REDOS_PATTERN_MS = 1_500;
/** Time the ReDoS checker may take over one rule file when rules load. */
export const REDOS_FILE_MS = 5_000;

/** A budget for checking one rule file from now: REDOS_FILE_MS in all, REDOS_PATTERN_MS a pattern. */
export function redosBudget(totalMs = REDOS_FILE_MS, perPatternMs = REDOS_PATTERN_MS): RedosBudget {
  return { perPatternMs, until: Date.now() + totalMs };
}

const quick = new Map<string, PatternSafety>();
const MAX_REMEMBERED = 20_000;

/**
 * The safety of a pattern as far as it can be told without the (slow) ReDoS checker:
 * never `unsafe`; `unchecked` for the few risky patterns the linear engine cannot take.
 * Costs a compile or two, and a parse for risky shapes; remembered by source and flags.
 */
export function quickSafety(source: string, flags: string): PatternSafety {
  const key = `/${source}/${flags}`;
  let safety = quick.get(key);
  if (safety) return safety;
  safety = judge(source, flags);
  if (quick.size >= MAX_REMEMBERED) quick.clear();
  quick.set(key, safety);
  return safety;
}

/**
 * The safety of a pattern, asking the ReDoS checker about an `unchecked` one within the
 * budget (a fresh one by default); never `unchecked`. An exponential verdict, or none in
 * time, makes it `unsafe`. The checker's outcome is remembered, so each pattern costs it once.
 */
export function patternSafety(source: string, flags: string, budget: RedosBudget = redosBudget()): PatternSafety {
  const safety = quickSafety(source, flags);
  if (safety.kind !== 'unchecked') return safety;
  if (Date.now() >= budget.until) return { kind: 'unsafe', reason: 'undecided', blocker: safety.blocker };
  const outcome = checkRedos(source, flags, Math.max(1, Math.min(budget.perPatternMs, budget.until - Date.now())));
  if (outcome.status === 'safe') return { kind: 'backtracking' };
  if (outcome.status === 'unknown') return { kind: 'unsafe', reason: 'undecided', blocker: safety.blocker };
  const { verdict } = outcome;
  if (verdict.complexity === 'polynomial') return { kind: 'backtracking', polynomialDegree: verdict.degree ?? 2 };
  return { kind: 'unsafe', reason: 'exponential', blocker: safety.blocker, ...(verdict.attack !== undefined ? { attack: verdict.attack } : {}) };
}

/** Whether the ReDoS checker must clear this pattern before it may run: a risky shape the linear engine cannot take. */
export function needsRedosCheck(source: string, flags: string): boolean {
  return quickSafety(source, flags).kind === 'unchecked';
}

/**
 * The pattern compiled as its safety allows, with `extraFlags` (g or y) added: its linear form
 * on the linear engine, or the original on the usual one; undefined when it must not run
 * (`unsafe`, `invalid`) or has not been cleared (`unchecked`, unless `allowUnchecked`, for a
 * caller that checks before running).
 */
export function compileSafely(source: string, flags: string, safety: PatternSafety, extraFlags = '', allowUnchecked = false): RegExp | undefined {
  switch (safety.kind) {
    case 'linear':
      if (extraFlags === '' && safety.regex) return safety.regex;
      return compileLinear(safety.source, safety.flags + extraFlags) ?? new RegExp(source, flags + extraFlags);
    case 'backtracking':
      // Without g or y a regex keeps no state between uses, so the one compiled to judge it is shared.
      return extraFlags === '' && safety.regex ? safety.regex : new RegExp(source, flags + extraFlags);
    case 'unchecked':
      return allowUnchecked ? new RegExp(source, flags + extraFlags) : undefined;
    case 'unsafe':
    case 'invalid':
      return undefined;
  }
}

/** What to tell a user whose pattern is `unsafe`: what would happen, and how to fix it. */
export function unsafeMessage(safety: Extract<PatternSafety, { kind: 'unsafe' }>, ruleId: string): string {
  const rule = ruleId === '' ? 'This rule' : `The rule "${ruleId}"`;
  const linear = safety.blocker === '' ? '' : `, or drop ${safety.blocker} so that Foresight can run it on its linear-time engine`;
  const fix = `Make the inner repetition unable to match what the outer one repeats (e.g. (?:a+)+ -> a+), bound the outer one (e.g. {0,8})${linear}.`;
  if (safety.reason === 'exponential') {
    const attack = safety.attack !== undefined && safety.attack.length <= 60 ? ` on text such as ${safety.attack}` : '';
    return `${rule} is not used: this pattern can backtrack catastrophically (exponential time)${attack}, which would freeze the sniffer. ${fix}`;
  }
  return `${rule} is not used: this pattern repeats a part that itself repeats or branches, and the ReDoS checker could not prove it safe in time, so it could freeze the sniffer. ${fix}`;
}

/** Only a quantified group can repeat a repetition, and its `)` comes right before the quantifier. */
const QUANTIFIED_GROUP = /\)[*+{]/;

function judge(source: string, flags: string): PatternSafety {
  let regex: RegExp;
  try {
    regex = new RegExp(source, flags);
  } catch (err) {
    return { kind: 'invalid', message: err instanceof Error ? err.message : String(err) };
  }
  // The linear engine is many times slower on ordinary text, so it is kept for risky shapes.
  if (!QUANTIFIED_GROUP.test(source) || !mayBacktrackExponentially(source, flags)) return { kind: 'backtracking', ...(flags.includes('g') || flags.includes('y') ? {} : { regex }) };
  const form = linearForm(source, flags);
  const linear = form.ok ? compileLinear(form.source, form.flags) : undefined;
  if (form.ok && linear !== undefined) return { kind: 'linear', source: form.source, flags: form.flags, regex: linear };
  // With no blocker named, this Node.js has no linear engine (or it refused the pattern for a reason of its own).
  return { kind: 'unchecked', blocker: form.ok ? (linearEngineAvailable() ? (form.mayBlock ?? '') : '') : form.blocker };
}
