/** The thresholds that decide whether a predicted call runs early; all are user settings. */
export interface SpeculationPolicy {
  /** Never fire below this calibrated probability of a hit. */
  minConfidence: number;
  /**
   * What an unneeded run costs, as a share of its duration (compute, rate limits, load on the
   * tool's backend). 0 treats wasted runs as free; 1 as costly as the time a hit saves.
   */
  costFactor: number;
  /** Tool time all speculations of one turn may spend together. */
  budgetMsPerTurn: number;
  /** Speculations running at once in a turn. */
  maxConcurrent: number;
  /** A speculation is cancelled after this long. */
  timeoutMs: number;
}

export const DEFAULT_POLICY: SpeculationPolicy = {
  minConfidence: 0.3,
  costFactor: 0.25,
  budgetMsPerTurn: 30_000,
  maxConcurrent: 4,
  timeoutMs: 20_000,
};

/** What the policy decided about one predicted call. */
export type FireDecision = { fire: true } | { fire: false; reason: 'low-confidence' | 'not-worth-it' | 'budget' | 'concurrency' };

/**
 * Fires when the expected saving (p x the tool's typical latency) exceeds the expected cost
 * ((1 - p) x latency x costFactor) and the turn's budget and concurrency allow it.
 */
export function decideToFire(
  probability: number,
  typicalLatencyMs: number,
  state: { budgetLeftMs: number; running: number },
  policy: SpeculationPolicy,
): FireDecision {
  if (probability < policy.minConfidence) return { fire: false, reason: 'low-confidence' };
  const saving = probability * typicalLatencyMs;
  const cost = (1 - probability) * typicalLatencyMs * policy.costFactor;
  if (saving <= cost) return { fire: false, reason: 'not-worth-it' };
  if (state.budgetLeftMs < Math.min(typicalLatencyMs, policy.timeoutMs)) return { fire: false, reason: 'budget' };
  if (state.running >= policy.maxConcurrent) return { fire: false, reason: 'concurrency' };
  return { fire: true };
}
