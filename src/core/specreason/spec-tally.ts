import type { RecordedBaseOnly, RecordedSpecReasonMetrics, RecordedSpecReasonStep, RecordedSpecReasonTurn } from '../session/format.js';
import type { SpecReasonProblemCode } from './spec-problems.js';

/** The figures of a SpecReason turn before anything ran: every count zero, no acceptance rate. */
export function emptySpecReasonMetrics(): RecordedSpecReasonMetrics {
  return {
    steps: 0,
    accepted: 0,
    rejected: 0,
    reserved: 0,
    unscored: 0,
    acceptanceRate: null,
    draft: { calls: 0, tokens: 0, ms: 0 },
    base: { calls: 0, tokens: 0, ms: 0 },
    judge: { calls: 0, ms: 0 },
    totalMs: 0,
  };
}

/** Counts one SpecReason turn as it runs and gives its summary; times come from the caller's clock. */
export class SpecReasonTally {
  private readonly steps: RecordedSpecReasonStep[] = [];
  private readonly m: RecordedSpecReasonMetrics = emptySpecReasonMetrics();
  private fallback: { reason: SpecReasonProblemCode; message: string } | undefined;
  private reasoningLength = 0;
  private baseOnly: RecordedBaseOnly | undefined;

  constructor(private readonly startedAt: number) {}

  draftCall(tokens: number, ms: number): void {
    this.m.draft.calls++;
    this.m.draft.tokens += tokens;
    this.m.draft.ms += ms;
  }

  baseCall(tokens: number, ms: number): void {
    this.m.base.calls++;
    this.m.base.tokens += tokens;
    this.m.base.ms += ms;
  }

  judgeCall(ms: number): void {
    this.m.judge.calls++;
    this.m.judge.ms += ms;
  }

  judged(accepted: boolean, unscored: boolean): void {
    if (accepted) this.m.accepted++;
    else this.m.rejected++;
    if (unscored) this.m.unscored++;
  }

  /** Records a stretch of reasoning at the end of what is kept so far and returns it. */
  kept(text: string, step: Omit<RecordedSpecReasonStep, 'start' | 'end'>): RecordedSpecReasonStep {
    const recorded: RecordedSpecReasonStep = { start: this.reasoningLength, end: this.reasoningLength + text.length, ...step };
    this.reasoningLength += text.length;
    if (step.kind === 'reserved') this.m.reserved++;
    if (step.kind !== 'continued') this.m.steps++;
    const last = this.steps[this.steps.length - 1];
    // The base model's closing reasoning streams in many small pieces; it is one stretch.
    if (step.kind === 'continued' && last?.kind === 'continued' && last.end === recorded.start) {
      last.end = recorded.end;
      last.tokens += step.tokens;
      return last;
    }
    this.steps.push(recorded);
    return recorded;
  }

  /** The base model alone answering the same request, measured after the turn. */
  measuredBaseOnly(measurement: RecordedBaseOnly): void {
    this.baseOnly = measurement;
  }

  fellBack(reason: SpecReasonProblemCode, message: string): void {
    this.fallback ??= { reason, message };
  }

  get hasFallenBack(): boolean {
    return this.fallback !== undefined;
  }

  summary(endedAt: number): RecordedSpecReasonTurn {
    const judged = this.m.accepted + this.m.rejected;
    const metrics: RecordedSpecReasonMetrics = {
      ...this.m,
      draft: { ...this.m.draft },
      base: { ...this.m.base },
      judge: { ...this.m.judge },
      acceptanceRate: judged > 0 ? this.m.accepted / judged : null,
      totalMs: endedAt - this.startedAt,
      ...(this.baseOnly ? { baseOnly: { ...this.baseOnly } } : {}),
    };
    return { steps: this.steps.map((s) => ({ ...s })), metrics, ...(this.fallback ? { fallback: { ...this.fallback } } : {}) };
  }
}
