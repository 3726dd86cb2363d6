import type { AgentEvent } from '../agent/agent-events.js';
import type { SpeculationPolicy } from '../speculation/speculation-policy.js';
import type { TraceEvent } from '../../shared/protocol.js';
import { streamTraceEvents, toolResultTraceEvent } from './call-trace.js';
import { speculationTraceEvent } from './speculation-trace.js';
import { toTraceFigures } from './trace-figures.js';
import { specReasonFiguresText } from '../specreason/spec-figures-text.js';

/**
 * Turns the agent events of a live chat into trace events, in order: numbers the turns of all
 * runs from 0 and stamps each event with the milliseconds since the trace began (`now` is
 * read once per event, so times never decrease). `policy` is the chat's current policy, for
 * the explanations of its decisions.
 */
export class LiveTraceMapper {
  private turn = -1;
  private intentId = 0;
  private last = 0;
  private readonly start: number;

  constructor(
    private readonly now: () => number = () => performance.now(),
    private readonly policy: () => SpeculationPolicy | undefined = () => undefined,
  ) {
    this.start = now();
  }

  map(runId: number, event: AgentEvent): TraceEvent[] {
    const t = (this.last = Math.max(this.last, Math.round(this.now() - this.start)));
    switch (event.type) {
      case 'turnStart':
        this.turn++;
        return [{ type: 'turnStart', turn: this.turn, t, label: `run ${runId + 1} · turn ${event.turn + 1}` }];
      case 'stream':
        return streamTraceEvents(this.turn, t, event.event);
      case 'speculation': {
        const e = speculationTraceEvent(this.turn, t, event.event, () => this.intentId++, this.policy());
        return e ? [e] : [];
      }
      case 'turnMetrics':
        return [{ type: 'figures', turn: this.turn, t, figures: toTraceFigures(event.metrics) }];
      case 'toolEnd':
        return [
          toolResultTraceEvent(this.turn, t, {
            callId: event.call.id,
            tool: event.call.name,
            arguments: event.call.arguments,
            output: event.output,
            isError: event.isError,
            durationMs: event.durationMs,
            ...(event.speculative ? { speculative: event.speculative } : {}),
          }),
        ];
      case 'specReason': {
        const step = event.event;
        if (step.type === 'turnSummary') return [{ type: 'specReasonFigures', turn: this.turn, t, text: specReasonFiguresText(step.summary.metrics) }];
        if (step.type !== 'stepKept') return [];
        return [{ type: 'reasoningStep', turn: this.turn, t, start: step.start, end: step.end, author: step.author, kind: step.kind, ...(step.score !== undefined ? { score: step.score } : {}) }];
      }
      case 'toolStart':
      case 'turnEnd':
      case 'done':
        return [];
    }
  }
}
