import type { TraceOutcome } from './protocol.js';

/** Every way a predicted call or a formal call can end, as the user reads about it. */
export type Outcome = 'hit' | 'partial' | 'crossTurn' | 'miss' | 'stale' | 'misfire' | 'blocked' | 'declined' | 'warm' | 'pending';

/** How an outcome is named: one word (or short phrase) for it, its plural, and what it means. */
export interface OutcomeWords {
  word: string;
  plural: string;
  meaning: string;
}

/**
 * The one vocabulary for outcomes: the chat's tool cards, the trace panel (legend, tables,
 * cards) and the command line name outcomes only through this table, so one event never
 * goes by two names.
 */
export const OUTCOME_WORDS: Readonly<Record<Outcome, OutcomeWords>> = {
  hit: { word: 'hit', plural: 'hits', meaning: 'ran early; the result was ready when the model called the tool' },
  partial: { word: 'partial hit', plural: 'partial hits', meaning: 'ran early; the call waited for the rest of the run' },
  crossTurn: { word: 'cross-turn hit', plural: 'cross-turn hits', meaning: "ran early in an earlier turn and was served from the session's results" },
  miss: { word: 'miss', plural: 'misses', meaning: 'nothing had run early for this call; the tool ran when the model called it' },
  stale: { word: 'stale', plural: 'stale', meaning: 'an early result was too old or out of date; the tool ran again' },
  misfire: { word: 'misfire', plural: 'misfires', meaning: 'ran early, but no call used it: the model did not make the call, or made it with other arguments' },
  blocked: { word: 'blocked', plural: 'blocked', meaning: 'predicted, but the tool may change things, so it only runs when the model calls it' },
  declined: { word: 'declined', plural: 'declined', meaning: 'predicted, but not run early: too unlikely, not worth it, ruled out by the reasoning, or not allowed' },
  warm: { word: 'warmed', plural: 'warm-ups', meaning: 'the tool was prepared (a sandbox started, a connection opened), never run early' },
  pending: { word: 'running', plural: 'running', meaning: 'an early run still going' },
};

/** The outcome of a formal call served from an early run: a cross-turn hit whatever it waited, when an earlier turn fired it. */
export function servedOutcome(outcome: 'hit' | 'partial', crossTurn: boolean): Outcome {
  return crossTurn ? 'crossTurn' : outcome;
}

/** The outcome a trace colour stands for (`skipped` is a declined prediction). */
export function outcomeOfTrace(outcome: TraceOutcome, crossTurn = false): Outcome {
  switch (outcome) {
    case 'hit':
    case 'partial':
      return servedOutcome(outcome, crossTurn);
    case 'skipped':
      return 'declined';
    default:
      return outcome;
  }
}

/** The user's word for an outcome. */
export function outcomeWord(outcome: Outcome): string {
  return OUTCOME_WORDS[outcome].word;
}
