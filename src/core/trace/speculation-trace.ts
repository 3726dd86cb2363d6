import type { RecordedSpeculationEvent } from '../session/speculation-records.js';
import type { SpeculationPolicy } from '../speculation/speculation-policy.js';
import type { TraceEvent } from '../../shared/protocol.js';
import { explainDecision } from './decision-explanation.js';

/**
 * The trace event for one speculation event of trace turn `turn` at trace time `t`, or
 * undefined for the kinds the panel does not draw (warm-ups show as their intent). `nextIntentId`
 * numbers intents uniquely within a trace. Intents carry their explanation; `policy`, when
 * known, lets it name the budget used and the cost of a run.
 */
export function speculationTraceEvent(turn: number, t: number, event: RecordedSpeculationEvent, nextIntentId: () => number, policy?: SpeculationPolicy): TraceEvent | undefined {
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
        explanation: explainDecision(
          {
            tool: event.intent.tool,
            kind: event.intent.kind,
            decision: event.decision,
            prior: event.intent.confidence,
            probability: event.probability,
            ...(event.intent.cue ? { cue: event.intent.cue } : {}),
            ...(event.savingMs !== undefined ? { savingMs: event.savingMs } : {}),
            ...(event.costMs !== undefined ? { costMs: event.costMs } : {}),
          },
          policy,
        ),
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
