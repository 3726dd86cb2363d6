import type { TraceEvent } from '../../shared/protocol.js';
import type { SpeculationPolicy } from '../speculation/speculation-policy.js';
import { streamTraceEvents } from '../trace/call-trace.js';
import { speculationTraceEvent } from '../trace/speculation-trace.js';
import { toTraceFigures } from '../trace/trace-figures.js';
import type { ProxyLiveEvent } from './recorder-messages.js';
import type { ShadowTurn } from './shadow-speculation.js';

/**
 * The trace of one proxied session as it happens: each turn's start and stream as the
 * recorder reports them, then (once the turn's calls are known) what shadow speculation found,
 * under the session's own turn numbers (a turn's shadow outcome arrives after the next turn
 * has begun). Times are milliseconds since the trace began and never decrease. Keeps every
 * event, so a panel that starts following late is given the whole session so far.
 */
export class ProxyLiveTrace {
  private readonly all: TraceEvent[] = [];
  private readonly start: number;
  private last = 0;
  private intentId = 0;

  constructor(
    private readonly now: () => number = () => performance.now(),
    private readonly policy: () => SpeculationPolicy | undefined = () => undefined,
  ) {
    this.start = now();
  }

  /** Every trace event so far, in order. */
  get events(): readonly TraceEvent[] {
    return this.all;
  }

  /** The trace events of `events` (kept, and returned for a panel following now). */
  live(events: readonly ProxyLiveEvent[]): TraceEvent[] {
    const t = this.tick();
    const out: TraceEvent[] = [];
    for (const e of events) {
      if (e.type === 'turnStart') out.push({ type: 'turnStart', turn: e.turn, t, label: `turn ${e.turn + 1}` });
      else out.push(...streamTraceEvents(e.turn, t, e.event));
    }
    return this.keep(out);
  }

  /** The trace events of what shadow speculation found for a turn. */
  shadow(found: ShadowTurn): TraceEvent[] {
    const t = this.tick();
    const out: TraceEvent[] = [];
    for (const event of found.events) {
      const e = speculationTraceEvent(found.turn, t, event, () => this.intentId++, this.policy());
      if (e) out.push(e);
    }
    if (found.metrics) out.push({ type: 'figures', turn: found.turn, t, figures: toTraceFigures(found.metrics) });
    return this.keep(out);
  }

  private tick(): number {
    return (this.last = Math.max(this.last, Math.round(this.now() - this.start)));
  }

  private keep(events: TraceEvent[]): TraceEvent[] {
    for (const e of events) this.all.push(e);
    return events;
  }
}
