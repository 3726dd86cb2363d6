import type { TraceEvent } from '../../shared/protocol.js';
import type { SpeculationPolicy } from '../speculation/speculation-policy.js';
import { streamTraceEvents } from '../trace/call-trace.js';
import { speculationTraceEvent } from '../trace/speculation-trace.js';
import { toTraceFigures } from '../trace/trace-figures.js';
import type { ProxyLiveEvent } from './recorder-messages.js';
import type { ShadowTurn } from './shadow-speculation.js';

/**
 * The trace of one proxied session as it happens: each turn's start, stream and intents (with
 * the decision speculation would take, marked as predictions) as the recorder reports them,
 * then (once the turn's calls are known) what shadow speculation found, under the session's
 * own turn numbers (a turn's shadow outcome arrives after the next turn has begun). An intent
 * already shown live (same tool, arguments and span) is not shown again from the shadow
 * outcome; its runs, claims and figures are. Times are milliseconds since the trace began and
 * never decrease. Keeps every event, so a panel that starts following late is given the whole
 * session so far.
 */
export class ProxyLiveTrace {
  private readonly all: TraceEvent[] = [];
  private readonly start: number;
  private last = 0;
  private intentId = 0;
  /** Intents shown live, per turn whose shadow outcome has not come yet. */
  private readonly shownLive = new Map<number, Set<string>>();

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
      else if (e.type === 'stream') out.push(...streamTraceEvents(e.turn, t, e.event));
      else {
        const intent = speculationTraceEvent(e.turn, t, e.event, () => this.intentId++, this.policy());
        if (intent?.type !== 'intent') continue;
        let shown = this.shownLive.get(e.turn);
        if (!shown) this.shownLive.set(e.turn, (shown = new Set()));
        shown.add(liveKey(intent));
        out.push({ ...intent, prediction: true });
      }
    }
    return this.keep(out);
  }

  /** The trace events of what shadow speculation found for a turn. */
  shadow(found: ShadowTurn): TraceEvent[] {
    const t = this.tick();
    const out: TraceEvent[] = [];
    const shown = this.shownLive.get(found.turn);
    this.shownLive.delete(found.turn);
    for (const event of found.events) {
      if (event.type === 'intent' && shown?.has(liveKey({ tool: event.intent.tool, canonical: event.intent.canonical, span: event.intent.span }))) continue;
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

/** What makes a shadow intent the same as one shown live: its tool, arguments and span in the turn's reasoning. */
function liveKey(intent: { tool: string; canonical: string; span: { start: number; end: number } }): string {
  return `${intent.tool}\u0000${intent.canonical}\u0000${intent.span.start}:${intent.span.end}`;
}
