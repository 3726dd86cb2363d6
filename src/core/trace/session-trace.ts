import type { SpeculationSetup } from '../engine/turn-engine.js';
import { replayTurnEvents } from '../engine/replay-events.js';
import { replaySession } from '../engine/replay-session.js';
import { replayTiming, type ReplayTiming } from '../engine/replay-timing.js';
import { replayTools } from '../engine/replay-tools.js';
import type { Session, SessionTurn } from '../session/format.js';
import { matchesAnyGlob } from '../util/glob.js';
import type { TraceEvent } from '../../shared/protocol.js';
import { speculationTraceEvent } from './speculation-trace.js';
import { toTraceFigures } from './trace-figures.js';

/** How a replay finds its intents: the current rules run again (`resniff`), or what was recorded. */
export type TraceMode =
  | { kind: 'recorded' }
  /** `readOnlyTools`: globs of tools the user declared read-only; recorded stand-ins and demo tools are read-only too, as in the chat. */
  | { kind: 'resniff'; setup: SpeculationSetup; readOnlyTools: readonly string[] };

/**
 * The whole trace of a recorded session, ordered by time: per turn its reasoning as it
 * streamed, formal calls at their seal, and either the speculation recorded with it or the
 * speculation the current rules produce when the session is replayed through the engine
 * (`replaySession`, as `foresight eval` does: same sniffers, speculator, claims and
 * cross-turn cache, tools taking their recorded time), so bars, partial hits and savings are
 * what the current rules would have earned, and agree with `eval`.
 */
export async function sessionTrace(session: Session, mode: TraceMode, timing: ReplayTiming = replayTiming()): Promise<TraceEvent[]> {
  return mode.kind === 'resniff' ? resniffTrace(session, mode.setup, mode.readOnlyTools, timing) : recordedTrace(session, timing);
}

function recordedTrace(session: Session, timing: ReplayTiming): TraceEvent[] {
  const out: TraceEvent[] = [];
  let base = 0;
  let intentId = 0;
  for (const [index, turn] of session.turns.entries()) {
    const events: TraceEvent[] = [{ type: 'turnStart', turn: index, t: base, label: `turn ${index + 1}` }];
    for (const { t, event } of replayTurnEvents(turn, session.header.timing !== 'recorded', timing)) {
      if (event.type === 'reasoning') events.push({ type: 'reasoning', turn: index, t: base + t, text: event.text });
      else if (event.type === 'toolCallSealed') events.push({ type: 'seal', turn: index, t: base + t, callId: event.call.id, tool: event.call.name, arguments: event.call.arguments });
    }
    for (const { t, event } of turn.speculation ?? []) {
      if (event.type === 'turnMetrics') events.push({ type: 'figures', turn: index, t: base + t, figures: toTraceFigures(event.metrics) });
      else {
        const e = speculationTraceEvent(index, base + t, event.event, () => intentId++);
        if (e) events.push(e);
      }
    }
    events.sort((a, b) => a.t - b.t);
    out.push(...events);
    base = Math.max(base, ...events.map((e) => e.t)) + toolTime(turn) + 1;
  }
  return out;
}

async function resniffTrace(session: Session, setup: SpeculationSetup, readOnlyTools: readonly string[], timing: ReplayTiming): Promise<TraceEvent[]> {
  const recorded = new Set(session.header.recordedTools ?? []);
  const readOnly = (name: string) => session.header.demo === true || recorded.has(name) || matchesAnyGlob(name, readOnlyTools);
  const out: TraceEvent[] = [];
  let intentId = 0;
  await replaySession(session, {
    setup,
    timing,
    tools: (clock) => replayTools(session, { readOnly, clock, timing, normalizer: setup.normalizer }),
    observer: {
      turnStart: (turn, t) => out.push({ type: 'turnStart', turn, t, label: `turn ${turn + 1}` }),
      stream: (turn, event, t) => {
        if (event.type === 'reasoning') out.push({ type: 'reasoning', turn, t, text: event.text });
      },
      step: (turn, step) => {
        switch (step.type) {
          case 'sealed':
            out.push({ type: 'seal', turn, t: step.t, callId: step.call.id, tool: step.call.name, arguments: step.call.arguments });
            return;
          case 'speculation': {
            const e = speculationTraceEvent(turn, step.t, step.event, () => intentId++);
            if (e) out.push(e);
            return;
          }
          case 'turnMetrics':
            out.push({ type: 'figures', turn, t: out[out.length - 1]?.t ?? 0, figures: toTraceFigures(step.metrics) });
            return;
          case 'toolStart':
          case 'toolEnd':
            return;
        }
      },
    },
  });
  // Events come in clock order already; a stable sort keeps it so if a step reports late.
  return out.map((e, i) => ({ e, i })).sort((a, b) => a.e.t - b.e.t || a.i - b.i).map(({ e }) => e);
}

function toolTime(turn: SessionTurn): number {
  return turn.toolResults.reduce((sum, r) => sum + (Number.isFinite(r.durationMs) ? r.durationMs : 0), 0);
}
