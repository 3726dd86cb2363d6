import { replaySession } from '../../engine/replay-session.js';
import { replayTiming, type ReplayTiming } from '../../engine/replay-timing.js';
import { replayTools } from '../../engine/replay-tools.js';
import type { SpeculationSetup } from '../../engine/turn-engine.js';
import type { Session, SessionTurn } from '../../session/format.js';
import { replayReadOnly } from '../session-trace.js';

/**
 * The session with each turn's speculation replaced by what the current rules produce when
 * it is replayed through the engine (the one replay path, as `eval` and the trace panel run
 * it), times relative to each turn's start as recorded speculation is. Tools are read-only
 * as in the trace panel: demo sessions, recorded stand-ins and `readOnlyTools`.
 */
export async function resniffedSession(session: Session, setup: SpeculationSetup, readOnlyTools: readonly string[], timing: ReplayTiming = replayTiming()): Promise<Session> {
  const readOnly = replayReadOnly(session, readOnlyTools);
  const speculation: NonNullable<SessionTurn['speculation']>[] = session.turns.map(() => []);
  const bases: number[] = [];
  await replaySession(session, {
    setup,
    timing,
    tools: (clock) => replayTools(session, { readOnly, clock, timing, normalizer: setup.normalizer }),
    observer: {
      turnStart: (turn, t) => {
        bases[turn] = t;
      },
      step: (turn, step) => {
        const base = bases[turn] ?? 0;
        const into = speculation[turn];
        if (!into) return;
        if (step.type === 'speculation') into.push({ t: Math.max(0, step.t - base), event: { type: 'speculation', event: step.event } });
        else if (step.type === 'turnMetrics') into.push({ t: into.at(-1)?.t ?? 0, event: { type: 'turnMetrics', metrics: step.metrics } });
      },
    },
  });
  return { header: session.header, turns: session.turns.map((turn, i) => ({ ...turn, speculation: speculation[i] ?? [] })) };
}
