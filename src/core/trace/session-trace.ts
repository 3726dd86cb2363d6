import type { SpeculationSetup } from '../engine/turn-engine.js';
import { replayTurnEvents } from '../engine/replay-events.js';
import { replaySession } from '../engine/replay-session.js';
import { replayTiming, type ReplayTiming } from '../engine/replay-timing.js';
import { replayTools } from '../engine/replay-tools.js';
import type { Session, SessionTurn } from '../session/format.js';
import type { SpeculationPolicy } from '../speculation/speculation-policy.js';
import { matchesAnyGlob } from '../util/glob.js';
import type { TraceEvent } from '../../shared/protocol.js';
import { streamTraceEvents, toolResultTraceEvent } from './call-trace.js';
import { speculationTraceEvent } from './speculation-trace.js';
import { toTraceFigures } from './trace-figures.js';
import { specReasonFiguresText } from '../specreason/spec-figures-text.js';

/** How a replay finds its intents: the current rules run again (`resniff`), or what was recorded. */
export type TraceMode =
  /** `policy`: the one the session was recorded under, if known, to explain its decisions with. */
  | { kind: 'recorded'; policy?: SpeculationPolicy }
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
  return mode.kind === 'resniff' ? resniffTrace(session, mode.setup, mode.readOnlyTools, timing) : recordedTrace(session, timing, mode.policy);
}

function recordedTrace(session: Session, timing: ReplayTiming, policy: SpeculationPolicy | undefined): TraceEvent[] {
  const out: TraceEvent[] = [];
  let base = 0;
  let intentId = 0;
  for (const [index, turn] of session.turns.entries()) {
    const events: TraceEvent[] = [{ type: 'turnStart', turn: index, t: base, label: `turn ${index + 1}` }];
    for (const { t, event } of replayTurnEvents(turn, session.header.timing !== 'recorded', timing)) {
      events.push(...streamTraceEvents(index, base + t, event));
    }
    for (const { t, event } of turn.speculation ?? []) {
      if (event.type === 'turnMetrics') events.push({ type: 'figures', turn: index, t: base + t, figures: toTraceFigures(event.metrics) });
      else {
        const e = speculationTraceEvent(index, base + t, event.event, () => intentId++, policy);
        if (e) events.push(e);
      }
    }
    const streamEnd = Math.max(base, ...events.map((e) => e.t));
    events.push(...stepEvents(index, streamEnd, turn));
    const next = streamEnd + toolTime(turn) + 1;
    // Results at their recorded time, else one after another from the stream's end.
    let run = streamEnd;
    for (const [i, r] of turn.toolResults.entries()) {
      run += Number.isFinite(r.durationMs) ? r.durationMs : 0;
      const at = turn.toolResultsAt?.[i];
      const t = Math.min(next - 1, Math.max(streamEnd, Math.round(at !== undefined ? base + at : run)));
      events.push(toolResultTraceEvent(index, t, { callId: r.callId, tool: r.name, arguments: r.arguments, output: r.output, isError: r.isError, durationMs: r.durationMs, ...(r.speculative ? { speculative: r.speculative } : {}) }));
    }
    // A stable sort: a turn's answer text stays in the order it streamed.
    events.sort((a, b) => a.t - b.t);
    out.push(...events);
    base = next;
  }
  return out;
}

async function resniffTrace(session: Session, setup: SpeculationSetup, readOnlyTools: readonly string[], timing: ReplayTiming): Promise<TraceEvent[]> {
  const readOnly = replayReadOnly(session, readOnlyTools);
  const out: TraceEvent[] = [];
  let intentId = 0;
  await replaySession(session, {
    setup,
    timing,
    tools: (clock) => replayTools(session, { readOnly, clock, timing, normalizer: setup.normalizer }),
    observer: {
      turnStart: (turn, t) => out.push({ type: 'turnStart', turn, t, label: `turn ${turn + 1}` }),
      // Who wrote which step does not depend on the rules: the recorded steps, once the turn's reasoning is in.
      turnEnd: (turn, t) => {
        const recorded = session.turns[turn];
        if (recorded) out.push(...stepEvents(turn, t, recorded));
      },
      stream: (turn, event, t) => {
        // Seals come from the engine's steps, with the engine's time.
        if (event.type !== 'toolCallSealed') out.push(...streamTraceEvents(turn, t, event));
      },
      step: (turn, step) => {
        switch (step.type) {
          case 'sealed':
            out.push({ type: 'seal', turn, t: step.t, callId: step.call.id, tool: step.call.name, arguments: step.call.arguments });
            return;
          case 'speculation': {
            const e = speculationTraceEvent(turn, step.t, step.event, () => intentId++, setup.policy);
            if (e) out.push(e);
            return;
          }
          case 'turnMetrics':
            out.push({ type: 'figures', turn, t: out[out.length - 1]?.t ?? 0, figures: toTraceFigures(step.metrics) });
            return;
          case 'toolEnd': {
            const t = Math.max(out[out.length - 1]?.t ?? 0, Math.round(step.startedAt + (step.speculative ? step.speculative.waitedMs : step.durationMs)));
            const { call } = step;
            out.push(toolResultTraceEvent(turn, t, { callId: call.id, tool: call.name, arguments: call.arguments, output: step.output, isError: step.isError, durationMs: step.durationMs, ...(step.speculative ? { speculative: step.speculative } : {}) }));
            return;
          }
          case 'toolStart':
            return;
        }
      },
    },
  });
  // Events come in clock order already; a stable sort keeps it so if a step reports late.
  return out.map((e, i) => ({ e, i })).sort((a, b) => a.e.t - b.e.t || a.i - b.i).map(({ e }) => e);
}

/**
 * The timing a replay of `session` uses: a hand-written demo (untimed) streams in the chat at
 * the demo endpoint's pace (`demoTokensPerSecond`, null: the default), so its replay takes the
 * same pace and reports the leads and savings the chat did; anything else the default timing.
 */
export function demoReplayTiming(session: Session, demoTokensPerSecond: number | null): ReplayTiming {
  const demo = session.header.demo === true && session.header.timing !== 'recorded';
  return replayTiming(demo && demoTokensPerSecond !== null ? { tokensPerSecond: demoTokensPerSecond } : {});
}

/** A SpecReason turn's recorded steps, who wrote each stretch of the reasoning, at `t`. */
function stepEvents(turn: number, t: number, recorded: SessionTurn): TraceEvent[] {
  const steps: TraceEvent[] = (recorded.specReason?.steps ?? []).map((s) => ({ type: 'reasoningStep', turn, t, start: s.start, end: s.end, author: s.author, kind: s.kind, ...(s.score !== undefined ? { score: s.score } : {}) }));
  return recorded.specReason ? [...steps, { type: 'specReasonFigures', turn, t, text: specReasonFiguresText(recorded.specReason.metrics) }] : steps;
}

/**
 * Which tools a re-sniffed replay may run early, as the chat judges them: demo sessions' and
 * recorded stand-ins', and `readOnlyTools`; never one the session names among its `mutatingTools`.
 */
export function replayReadOnly(session: Session, readOnlyTools: readonly string[]): (name: string) => boolean {
  const recorded = new Set(session.header.recordedTools ?? []);
  const mutating = new Set(session.header.mutatingTools ?? []);
  return (name) => !mutating.has(name) && (session.header.demo === true || recorded.has(name) || matchesAnyGlob(name, readOnlyTools));
}

function toolTime(turn: SessionTurn): number {
  return turn.toolResults.reduce((sum, r) => sum + (Number.isFinite(r.durationMs) ? r.durationMs : 0), 0);
}
