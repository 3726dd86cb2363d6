/**
 * How speculation is written in a session file: the record types of the format, kept apart
 * from the engine's own event types so the file format changes only on purpose. The engine's
 * events must stay writable as these records; `test/core/session/speculation-records.test.ts`
 * fails to compile when they drift apart. Fields added later are optional, since older files
 * lack them.
 */

/** A predicted call as recorded. */
export interface RecordedIntent {
  kind: 'call' | 'warm';
  tool: string;
  args: Record<string, unknown>;
  canonical: string;
  source: 'rule' | 'schema';
  ruleId: string;
  confidence: number;
  span: { start: number; end: number };
  at: number;
  cue?: 'negated' | 'hedged' | 'past' | 'repeat';
}

/** One step of speculation as recorded. `decision` is open: a newer engine may decide in new ways. */
export type RecordedSpeculationEvent =
  | { type: 'intent'; intent: RecordedIntent; decision: string; probability: number; savingMs?: number; costMs?: number }
  | { type: 'specStart'; specId: number; tool: string; canonical: string; ruleId: string; at: number }
  | { type: 'specEnd'; specId: number; tool: string; canonical: string; status: 'done' | 'error' | 'cancelled' | 'timeout'; durationMs: number; at: number }
  | { type: 'claim'; callId: string; tool: string; canonical: string; outcome: 'hit' | 'partial' | 'miss' | 'stale'; specId?: number; crossTurn?: boolean; savedMs: number; ttaMs: number; at: number }
  | { type: 'misfire'; specId: number; tool: string; canonical: string; ruleId: string; wastedMs: number; reason: string }
  | { type: 'warm'; tool: string; ruleId: string; at: number };

/** A turn's speculation figures as recorded. */
export interface RecordedTurnMetrics {
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
  ttaMs: number;
  ttaWithoutMs: number;
  calls: number;
  /** Absent in sessions recorded before cross-turn results existed. */
  crossTurnHits?: number;
}
