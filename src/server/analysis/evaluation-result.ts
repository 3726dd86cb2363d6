import type { RuleFigures } from '../../core/tuning/rule-figures.js';
import type { TestOutcome } from '../../shared/lsp-protocol.js';

export type { TestOutcome };

/** A pattern the ReDoS checker found prone to catastrophic backtracking, keyed by `patternKey`. */
export interface RedosVerdict {
  complexity: 'exponential' | 'polynomial';
  /** The degree of a polynomial; absent for exponential. */
  degree?: number;
  /** An input that shows the blow-up, as the checker writes it. */
  attack?: string;
}


/** What evaluating a rule file off the main thread produced; the worker sends it back whole. */
export interface EvaluationResult {
  tests: TestOutcome[];
  /** Verdicts of every pattern checked so far that is prone to backtracking, by `patternKey`. */
  redos: Record<string, RedosVerdict>;
  /** Keys of patterns of a risky shape the checker could not clear in time: not run. */
  undecided: string[];
  /** Patterns not yet checked for ReDoS (the time budget ran out); their rules were not run. */
  uncheckedPatterns: number;
  figures: RuleFigures[];
  sessions: number;
  /** Why figures are missing, when they are (no sessions, too many rules). */
  figuresNote?: string;
}

/** The key of a pattern in ReDoS verdicts: its source and flags. */
export function patternKey(source: string, flags: string): string {
  return `/${source}/${flags}`;
}
