import type { RecordedSpecReasonStep, RecordedSpecReasonTurn } from '../session/format.js';
import type { SpecReasonProblemCode } from './spec-problems.js';
import type { StepScore } from './step-score.js';

/**
 * What a SpecReason turn reports besides its stream, in order: for each draft step
 * `stepProposed` then `stepJudged`; for every step kept (whoever wrote it) `stepKept`, just
 * before its text is streamed as reasoning; at most one `fallback`, the announcement that the
 * rest of the turn is the base model's alone; `turnSummary` last, once the answer has streamed.
 */
export type SpecReasonEvent =
  | { type: 'stepProposed'; index: number; text: string; tokens: number }
  | { type: 'stepJudged'; index: number; score: StepScore; accepted: boolean; threshold: number }
  | ({ type: 'stepKept'; index: number; text: string } & RecordedSpecReasonStep)
  | { type: 'fallback'; reason: SpecReasonProblemCode; message: string }
  | { type: 'turnSummary'; summary: RecordedSpecReasonTurn };
