import type { Intent } from '../sniff/intent.js';

/** How a formal call was served. */
export type ClaimOutcome = 'hit' | 'partial' | 'miss' | 'stale';

/** What happened to a predicted call. */
export type IntentDecision =
  | 'fired'
  | 'warmed'
  /** The tool may change things, so it never runs before its formal call. */
  | 'blocked'
  | 'low-confidence'
  | 'not-worth-it'
  | 'budget'
  | 'concurrency'
  | 'unknown-tool'
  | 'already-cached'
  /** The reasoning rules the call out ("should not call…", "instead of…"). */
  | 'negated'
  /** The reasoning recounts a call already made, or the conversation already made and answered it. */
  | 'recap'
  /** The tool reaches outside (the web, other people's systems) and the user has not opted in. */
  | 'open-world';

/** Every step of speculation, in order, for the trace panel and the recording. */
export type SpeculationEvent =
  /** `savingMs`/`costMs`: what the policy weighed, when it was asked. */
  | { type: 'intent'; intent: Intent; decision: IntentDecision; probability: number; savingMs?: number; costMs?: number }
  | { type: 'specStart'; specId: number; tool: string; canonical: string; ruleId: string; at: number }
  | { type: 'specEnd'; specId: number; tool: string; canonical: string; status: 'done' | 'error' | 'cancelled' | 'timeout'; durationMs: number; at: number }
  | {
      type: 'claim';
      callId: string;
      tool: string;
      canonical: string;
      outcome: ClaimOutcome;
      specId?: number;
      /** Served from a speculation fired in an earlier turn. */
      crossTurn?: boolean;
      savedMs: number;
      ttaMs: number;
      at: number;
    }
  | { type: 'misfire'; specId: number; tool: string; canonical: string; ruleId: string; wastedMs: number; reason: 'unclaimed' | 'other-arguments' | 'invalidated' }
  | { type: 'warm'; tool: string; ruleId: string; at: number };

/** The figures of one turn; every field is a count or a sum in milliseconds. */
export interface TurnSpeculationMetrics {
  intents: number;
  fired: number;
  hits: number;
  partialHits: number;
  misses: number;
  misfires: number;
  stale: number;
  blocked: number;
  warmups: number;
  wastedMs: number;
  savedMs: number;
  /** Formal call sealed -> result available, summed over the turn's calls, with speculation. */
  ttaMs: number;
  /** The same without speculation: each call's full tool time. */
  ttaWithoutMs: number;
  /** Calls claimed (hit, partial, miss or stale). */
  calls: number;
  /** Hits and partial hits served from a speculation fired in an earlier turn. */
  crossTurnHits: number;
}

export function emptyMetrics(): TurnSpeculationMetrics {
  return { intents: 0, fired: 0, hits: 0, partialHits: 0, misses: 0, misfires: 0, stale: 0, blocked: 0, warmups: 0, wastedMs: 0, savedMs: 0, ttaMs: 0, ttaWithoutMs: 0, calls: 0, crossTurnHits: 0 };
}
