import type { ChatMessage, ToolCall } from '../chat/types.js';
import type { SpeculationEvent, TurnSpeculationMetrics } from '../speculation/speculation-events.js';
import type { StreamEvent, StreamError } from '../stream/events.js';
import type { RecordedSpecReasonStep, RecordedSpecReasonTurn } from '../session/format.js';

/** Why an agent run stopped. */
export type AgentStopReason = 'answer' | 'maxSteps' | 'stopped' | 'error';

import type { EngineStep, SpeculativeServe } from '../engine/turn-engine.js';

export type { SpeculativeServe };

/**
 * Everything an agent run reports, in order. Stream events are tagged with the turn (model
 * call) they belong to; tool events carry timing so the UI and recording need no clock.
 */
export type AgentEvent =
  | { type: 'turnStart'; turn: number; messages: ChatMessage[] }
  | { type: 'stream'; turn: number; event: StreamEvent }
  | { type: 'speculation'; turn: number; event: SpeculationEvent }
  | { type: 'toolStart'; turn: number; call: ToolCall; startedAt: number }
  /** A tool's result, as the engine reported it (`EngineStep` toolEnd), tagged with its turn. */
  | ({ turn: number } & Extract<EngineStep, { type: 'toolEnd' }>)
  | { type: 'turnEnd'; turn: number; finishReason: string; message: ChatMessage }
  | { type: 'turnMetrics'; turn: number; metrics: TurnSpeculationMetrics }
  /** What a SpecReason turn reported besides its stream: steps proposed, judged and kept, a fallback, the summary. */
  | { type: 'specReason'; turn: number; event: SpecReasonReport }
  | { type: 'done'; reason: AgentStopReason; messages: ChatMessage[]; error?: StreamError };

/**
 * What a SpecReason turn reports besides its stream, as the agent passes it on: per draft step
 * `stepProposed` then `stepJudged` (`score` null when the judge gave no digit); `stepKept` for
 * every step kept, just before its text streams; at most one `fallback`; `turnSummary` last.
 * The agent loop and the step loop are peers, so this mirrors specreason's `SpecReasonEvent`
 * (see chat-session's `specReasonTurns`, which converts).
 */
export type SpecReasonReport =
  | { type: 'stepProposed'; index: number; text: string; tokens: number }
  | { type: 'stepJudged'; index: number; score: number | null; accepted: boolean; threshold: number }
  | ({ type: 'stepKept'; index: number; text: string } & RecordedSpecReasonStep)
  | { type: 'fallback'; reason: string; message: string }
  | { type: 'turnSummary'; summary: RecordedSpecReasonTurn };
