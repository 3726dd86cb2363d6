import type { AgentEvent } from '../agent/agent-events.js';
import type { TraceEvent } from '../../shared/protocol.js';
import { speculationTraceEvent } from './speculation-trace.js';
import { toTraceFigures } from './trace-figures.js';

/**
 * Turns the agent events of a live chat into trace events, in order: numbers the turns of all
 * runs from 0 and stamps each event with the milliseconds since the trace began (`now` is
 * read once per event, so times never decrease).
 */
export class LiveTraceMapper {
  private turn = -1;
  private intentId = 0;
  private last = 0;
  private readonly start: number;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.start = now();
  }

  map(runId: number, event: AgentEvent): TraceEvent[] {
    const t = (this.last = Math.max(this.last, Math.round(this.now() - this.start)));
    switch (event.type) {
      case 'turnStart':
        this.turn++;
        return [{ type: 'turnStart', turn: this.turn, t, label: `run ${runId + 1} · turn ${event.turn + 1}` }];
      case 'stream': {
        const s = event.event;
        if (s.type === 'reasoning' || s.type === 'contentWasReasoning') return [{ type: 'reasoning', turn: this.turn, t, text: s.text }];
        if (s.type === 'toolCallSealed') return [{ type: 'seal', turn: this.turn, t, callId: s.call.id, tool: s.call.name, arguments: s.call.arguments }];
        return [];
      }
      case 'speculation': {
        const e = speculationTraceEvent(this.turn, t, event.event, () => this.intentId++);
        return e ? [e] : [];
      }
      case 'turnMetrics':
        return [{ type: 'figures', turn: this.turn, t, figures: toTraceFigures(event.metrics) }];
      case 'specReason':
      case 'toolStart':
      case 'toolEnd':
      case 'turnEnd':
      case 'done':
        return [];
    }
  }
}
