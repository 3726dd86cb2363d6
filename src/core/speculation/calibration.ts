/** Measured outcomes of one rule's speculations. */
export interface RuleRecord {
  /** Predictions made (each counted once). */
  predicted: number;
  /** Predictions that the model then made exactly. */
  hits: number;
}

/** How much a rule's prior weighs against its measured record, in predictions. */
export const PRIOR_WEIGHT = 4;

/**
 * Calibrated confidence per rule: the rule's prior, moved toward its measured hit rate as
 * evidence accumulates (a Beta posterior mean with the prior worth PRIOR_WEIGHT predictions).
 * Serialisable, so it can be kept per workspace.
 */
export class Calibration {
  private readonly records = new Map<string, RuleRecord>();

  constructor(initial: Record<string, RuleRecord> = {}) {
    for (const [id, r] of Object.entries(initial)) {
      if (Number.isFinite(r.predicted) && Number.isFinite(r.hits) && r.predicted >= 0 && r.hits >= 0 && r.hits <= r.predicted) {
        this.records.set(id, { predicted: r.predicted, hits: r.hits });
      }
    }
  }

  /** The probability that a prediction of `ruleId` is a hit. */
  probability(ruleId: string, prior: number): number {
    const r = this.records.get(ruleId);
    if (!r) return prior;
    return (prior * PRIOR_WEIGHT + r.hits) / (PRIOR_WEIGHT + r.predicted);
  }

  /** Records one prediction's outcome. */
  record(ruleId: string, hit: boolean): void {
    const r = this.records.get(ruleId) ?? { predicted: 0, hits: 0 };
    r.predicted++;
    if (hit) r.hits++;
    this.records.set(ruleId, r);
  }

  get(ruleId: string): RuleRecord | undefined {
    return this.records.get(ruleId);
  }

  toJSON(): Record<string, RuleRecord> {
    return Object.fromEntries(this.records);
  }
}
