import type { ScoringMethod } from './step-score.js';

/**
 * The knobs of SpecReason mode, normalised: every field is present and in range. Core receives
 * this plain object; the extension's settings accessor builds it with `normaliseSpecReasonSettings`.
 */
export interface SpecReasonSettings {
  /** A draft step is kept when its score is at least this, on the judge's 0-9 scale. */
  threshold: number;
  scoring: ScoringMethod;
  /** How many first steps the base model writes itself before the draft model takes over. */
  reservedSteps: number;
  /** Reasoning tokens the step loop may spend; after that the base model goes on to the answer. */
  tokenBudget: number;
  /** A step ends at a blank line or after this many tokens, whichever comes first. */
  stepTokenLimit: number;
  /** Alternatives asked of the judge (`top_logprobs`); vLLM allows up to its `--max-logprobs` (20 by default). */
  topLogprobs: number;
  /** After each turn, send the same request to the base model alone and record how long it took (one more call). */
  measureBaseOnly: boolean;
}

/** The defaults: threshold 7 of 9 as in the SpecReason paper, greedy scoring, one reserved step. */
export const SPEC_REASON_DEFAULTS: SpecReasonSettings = {
  threshold: 7,
  scoring: 'greedy',
  reservedSteps: 1,
  tokenBudget: 4096,
  stepTokenLimit: 192,
  topLogprobs: 20,
  measureBaseOnly: false,
};

/** Fills in defaults and clamps each value to its range, so anything a user typed gives working settings. */
export function normaliseSpecReasonSettings(raw: Partial<Record<keyof SpecReasonSettings, unknown>> = {}): SpecReasonSettings {
  const d = SPEC_REASON_DEFAULTS;
  return {
    threshold: clampNumber(raw.threshold, 0, 9, d.threshold),
    scoring: raw.scoring === 'weighted' || raw.scoring === 'greedy' ? raw.scoring : d.scoring,
    reservedSteps: Math.round(clampNumber(raw.reservedSteps, 0, 64, d.reservedSteps)),
    tokenBudget: Math.round(clampNumber(raw.tokenBudget, 1, 1_000_000, d.tokenBudget)),
    stepTokenLimit: Math.round(clampNumber(raw.stepTokenLimit, 8, 4096, d.stepTokenLimit)),
    topLogprobs: Math.round(clampNumber(raw.topLogprobs, 1, 20, d.topLogprobs)),
    measureBaseOnly: typeof raw.measureBaseOnly === 'boolean' ? raw.measureBaseOnly : d.measureBaseOnly,
  };
}

function clampNumber(value: unknown, min: number, max: number, fallback: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, value));
}
