import type { ChatMessage, ToolCall } from '../chat/types.js';
import type { SpeculationEvent, TurnSpeculationMetrics } from '../speculation/speculation-events.js';
import type { StreamEvent, StreamError } from '../stream/events.js';

/** Why an agent run stopped. */
export type AgentStopReason = 'answer' | 'maxSteps' | 'stopped' | 'error';

import type { SpeculativeServe } from '../engine/turn-engine.js';

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
  | {
      type: 'toolEnd';
      turn: number;
      call: ToolCall;
      output: string;
      isError: boolean;
      recorded: boolean;
      startedAt: number;
      /** From the formal call's seal (or start) to its result. */
      durationMs: number;
      speculative?: SpeculativeServe;
    }
  | { type: 'turnEnd'; turn: number; finishReason: string; message: ChatMessage }
  | { type: 'turnMetrics'; turn: number; metrics: TurnSpeculationMetrics }
  | { type: 'done'; reason: AgentStopReason; messages: ChatMessage[]; error?: StreamError };
