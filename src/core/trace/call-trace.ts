import type { StreamEvent } from '../stream/events.js';
import { TRACE_OUTPUT_CHARS, type TraceEvent } from '../../shared/protocol.js';

/** A tool run as both the live chat and a recording report it. */
export interface ToolRunFacts {
  callId: string;
  tool: string;
  arguments: string;
  output: string;
  isError: boolean;
  /** The tool's own run time (for a call served from an early run, that run's). */
  durationMs: number;
  speculative?: { outcome: 'hit' | 'partial'; savedMs: number; crossTurn?: boolean };
}

/** The trace event for a tool's result: its output cut to TRACE_OUTPUT_CHARS, durations rounded. */
export function toolResultTraceEvent(turn: number, t: number, run: ToolRunFacts): TraceEvent {
  const truncated = run.output.length > TRACE_OUTPUT_CHARS;
  return {
    type: 'toolResult',
    turn,
    t,
    callId: run.callId,
    tool: run.tool,
    arguments: run.arguments,
    output: truncated ? run.output.slice(0, TRACE_OUTPUT_CHARS) : run.output,
    truncated,
    isError: run.isError,
    durationMs: Math.round(Number.isFinite(run.durationMs) ? run.durationMs : 0),
    ...(run.speculative ? { served: run.speculative.outcome, savedMs: Math.round(run.speculative.savedMs), ...(run.speculative.crossTurn ? { crossTurn: true } : {}) } : {}),
  };
}

/**
 * The trace events for one stream event of a turn: reasoning, answer text (dropped again when
 * it turns out to be reasoning) and formal-call seals; nothing for the rest. Live and replayed
 * traces both map streams here, so they say the same for the same stream.
 */
export function streamTraceEvents(turn: number, t: number, event: StreamEvent): TraceEvent[] {
  switch (event.type) {
    case 'reasoning':
      return [{ type: 'reasoning', turn, t, text: event.text }];
    case 'contentWasReasoning':
      return [
        { type: 'answer', turn, t, text: '', replace: true },
        { type: 'reasoning', turn, t, text: event.text },
      ];
    case 'content':
      return event.text.length > 0 ? [{ type: 'answer', turn, t, text: event.text }] : [];
    case 'toolCallSealed':
      return [{ type: 'seal', turn, t, callId: event.call.id, tool: event.call.name, arguments: event.call.arguments }];
    default:
      return [];
  }
}
