import type { RecordedSpeculationEvent } from '../session/speculation-records.js';
import type { TraceEvent } from '../../shared/protocol.js';

/**
 * The trace event for one speculation event of trace turn `turn` at trace time `t`, or
 * undefined for the kinds the panel does not draw (warm-ups show as their intent). `nextIntentId`
 * numbers intents uniquely within a trace.
 */
export function speculationTraceEvent(turn: number, t: number, event: RecordedSpeculationEvent, nextIntentId: () => number): TraceEvent | undefined {
  switch (event.type) {
    case 'intent':
      return {
        type: 'intent',
        turn,
        t,
        id: nextIntentId(),
        kind: event.intent.kind,
        tool: event.intent.tool,
        canonical: event.intent.canonical,
        ruleId: event.intent.ruleId,
        probability: event.probability,
        decision: event.decision,
        span: { start: event.intent.span.start, end: event.intent.span.end },
      };
    case 'specStart':
      return { type: 'specStart', turn, t, specId: event.specId, tool: event.tool, canonical: event.canonical, ruleId: event.ruleId };
    case 'specEnd':
      return { type: 'specEnd', turn, t, specId: event.specId, status: event.status };
    case 'claim':
      return {
        type: 'claim',
        turn,
        t,
        callId: event.callId,
        tool: event.tool,
        canonical: event.canonical,
        outcome: event.outcome,
        ...(event.specId !== undefined ? { specId: event.specId } : {}),
        savedMs: Math.round(event.savedMs),
      };
    case 'misfire':
      return { type: 'misfire', turn, t, specId: event.specId, tool: event.tool, canonical: event.canonical, wastedMs: Math.round(event.wastedMs) };
    case 'warm':
      return undefined;
  }
}
