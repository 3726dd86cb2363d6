/** The thresholds that decide whether a predicted call runs early; all are user settings. */
export interface SpeculationPolicy {
  /** Never fire below this calibrated probability of a hit. */
  minConfidence: number;
  /**
   * Load a wasted run puts on the tool's backend, as a share of its duration (rate limits,
   * compute). Part of the expected cost.
   */
  costFactor: number;
  /** What one wasted run costs beyond its duration, in milliseconds of waiting it is worth. */
  costPerRunMs: number;
  /** Tool time all speculations of one turn may spend together. */
  budgetMsPerTurn: number;
  /** Speculations running at once. */
  maxConcurrent: number;
  /** A speculation is cancelled after this long. */
  timeoutMs: number;
  /** A result older than this is not served, even in the turn that fired it. */
  maxAgeMs: number;
}

export const DEFAULT_POLICY: SpeculationPolicy = {
  minConfidence: 0.3,
  costFactor: 0.25,
  costPerRunMs: 200,
  budgetMsPerTurn: 30_000,
  maxConcurrent: 4,
  timeoutMs: 20_000,
  maxAgeMs: 120_000,
};

/** What the policy decided about one predicted call. */
export type FireDecision = { fire: true; savingMs: number; costMs: number } | { fire: false; reason: 'low-confidence' | 'not-worth-it' | 'budget' | 'concurrency'; savingMs: number; costMs: number };

/** The turn's speculation so far, as the policy weighs it. */
export interface PolicyState {
  /** Tool time of the turn's budget not yet spent or committed to running speculations. */
  budgetLeftMs: number;
  running: number;
}

/**
 * A cost model: the expected saving (p x the tool's typical latency, the wait a hit removes)
 * against the expected cost of a run that turns out unneeded ((1 - p) x (the cost per run +
 * costFactor x latency)), which grows as the turn's budget is used up (x2 when it is gone).
 * So a likely call to a slow tool fires, and an unlikely call to a fast one is not worth it.
 */
export function decideToFire(probability: number, typicalLatencyMs: number, state: PolicyState, policy: SpeculationPolicy): FireDecision {
  const p = Math.min(1, Math.max(0, probability));
  const used = policy.budgetMsPerTurn > 0 ? Math.min(1, Math.max(0, 1 - state.budgetLeftMs / policy.budgetMsPerTurn)) : 1;
  const savingMs = p * typicalLatencyMs;
  const costMs = (1 - p) * (policy.costPerRunMs + policy.costFactor * typicalLatencyMs) * (1 + used);
  const figures = { savingMs, costMs };
  if (p < policy.minConfidence) return { fire: false, reason: 'low-confidence', ...figures };
  if (savingMs <= costMs) return { fire: false, reason: 'not-worth-it', ...figures };
  if (state.budgetLeftMs < Math.min(typicalLatencyMs, policy.timeoutMs)) return { fire: false, reason: 'budget', ...figures };
  if (state.running >= policy.maxConcurrent) return { fire: false, reason: 'concurrency', ...figures };
  return { fire: true, ...figures };
}
