import type { ToolSpec } from '../chat/types.js';
import type { Rule } from '../rules/rule-ast.js';
import { replaySession } from '../engine/replay-session.js';
import { replayTiming } from '../engine/replay-timing.js';
import { replayTools } from '../engine/replay-tools.js';
import type { EngineStep, SpeculationSetup } from '../engine/turn-engine.js';
import { ArgumentNormalizer } from '../schema/argument-normalizer.js';
import type { Session, SessionEvent } from '../session/format.js';
import { intentKey } from '../sniff/intent.js';
import { LatencyStats } from '../speculation/latency-stats.js';
import { looksOpenWorld } from '../speculation/open-world.js';
import type { SpeculationEvent, TurnSpeculationMetrics } from '../speculation/speculation-events.js';
import { DEFAULT_POLICY, type SpeculationPolicy } from '../speculation/speculation-policy.js';
import { matchesAnyGlob } from '../util/glob.js';

/** How the proxy's shadow speculation judges what it sees. */
export interface ShadowOptions {
  rules: readonly Rule[];
  /**
   * Tools that count as read-only (globs): only their predictions would have run early. The
   * proxy runs nothing, so by default (`*`) every tool counts, and the saving is what speculation
   * could have had.
   */
  readOnly?: readonly string[];
  /** Open-world tools let run early (globs); none by default, as in the chat. */
  openWorld?: readonly string[];
  policy?: SpeculationPolicy;
  schemaSniffing?: boolean;
}

/** One call the agent made, and what speculation would have done for it. */
export type ShadowCall = Extract<SessionEvent, { type: 'shadowCall' }> & { turn: number; arguments: string };

/** What shadow speculation found for one turn. */
export interface ShadowTurn {
  turn: number;
  /** The engine's speculation steps for the turn, in order, as the recording keeps them. */
  events: SpeculationEvent[];
  metrics?: TurnSpeculationMetrics;
  calls: ShadowCall[];
}

// A prediction the reasoning ruled out or recounted is no prediction of the call.
const NOT_PREDICTIONS = new Set(['negated', 'recap']);

/**
 * Replays turn `turn` through the engine (`replaySession`, the one replay path): real chunk
 * times, and tools that take the latency the agent's own runs took and answer what they
 * answered, on a virtual clock, so it runs nothing and waits for nothing. Reports per call
 * whether an exact prediction came before its seal and by how many ms, the tool's real latency
 * and what an early run would have saved. Only the turn itself is replayed, so the work (done
 * between forwarded chunks) stays the size of one answer however long the conversation grows;
 * a prediction made in an earlier turn is not credited here (`eval` on the recording does).
 */
export async function shadowTurn(session: Session, turn: number, options: ShadowOptions): Promise<ShadowTurn> {
  const setup = shadowSetup(options);
  const normalizer = setup.normalizer;
  const specs = session.header.tools;
  const kinds = shadowToolKinds(options, specs);
  const schemaOf = (name: string) => specs.find((s) => s.function.name === name)?.function.parameters;
  const predicted = new Map<string, { t: number; ruleId: string; decision: string }>();
  const seals: { callId: string; name: string; arguments: string; key: string; t: number }[] = [];
  const claims = new Map<string, number>();
  const events: SpeculationEvent[] = [];
  let metrics: TurnSpeculationMetrics | undefined;
  const keyOf = (name: string, args: string) => {
    const n = normalizer.normalizeText(schemaOf(name), args);
    return intentKey(name, n.ok ? n.canonical : args);
  };
  // The replayed session holds only this turn, at index 0.
  const onStep = (index: number, step: EngineStep) => {
    if (index !== 0) return;
    if (step.type === 'speculation') {
      const e = step.event;
      if (e.type === 'intent' && e.intent.kind === 'call' && !NOT_PREDICTIONS.has(e.decision)) {
        const key = intentKey(e.intent.tool, e.intent.canonical);
        if (!predicted.has(key)) predicted.set(key, { t: step.t, ruleId: e.intent.ruleId, decision: e.decision });
      }
      events.push(e);
      if (e.type === 'claim') claims.set(e.callId, e.savedMs);
    } else if (step.type === 'sealed') {
      seals.push({ callId: step.call.id, name: step.call.name, arguments: step.call.arguments, key: keyOf(step.call.name, step.call.arguments), t: step.t });
    } else if (step.type === 'turnMetrics') {
      metrics = step.metrics;
    }
  };
  const one = session.turns[turn];
  const upTo: Session = { header: session.header, turns: one ? [one] : [] };
  const timing = replayTiming();
  await replaySession(upTo, {
    setup,
    timing,
    tools: (clock) =>
      replayTools(upTo, {
        ...kinds,
        clock,
        timing,
        normalizer,
      }),
    observer: { step: onStep },
  });
  const results = one?.toolResults ?? [];
  const calls = seals.map((s): ShadowCall => {
    const p = predicted.get(s.key);
    const exact = p !== undefined && p.t <= s.t;
    const latency = results.find((r) => r.callId === s.callId)?.durationMs ?? 0;
    return {
      type: 'shadowCall',
      turn,
      callId: s.callId,
      name: s.name,
      arguments: s.arguments,
      exact,
      ...(p ? { ruleId: p.ruleId, decision: p.decision } : {}),
      ...(exact ? { leadMs: round(s.t - p.t) } : {}),
      toolLatencyMs: round(latency),
      savedMs: round(claims.get(s.callId) ?? 0),
    };
  });
  return { turn, events, ...(metrics ? { metrics } : {}), calls };
}

/**
 * The engine's setup for judging one proxied turn as shadow speculation does, fresh each time
 * (a turn is judged on its own, and the same session again when its next turn ends).
 */
export function shadowSetup(options: ShadowOptions): SpeculationSetup {
  return {
    rules: options.rules,
    normalizer: new ArgumentNormalizer(),
    policy: options.policy ?? DEFAULT_POLICY,
    latency: new LatencyStats(),
    schemaSniffing: options.schemaSniffing ?? true,
    openWorldTools: options.openWorld ?? [],
  };
}

/** Which of a proxied session's tools count as read-only (by `options.readOnly`, every one by default) and as reaching outside. */
export function shadowToolKinds(options: ShadowOptions, specs: readonly ToolSpec[]): { readOnly: (name: string) => boolean; openWorld: (name: string) => boolean } {
  const readOnly = options.readOnly ?? ['*'];
  return {
    readOnly: (name) => matchesAnyGlob(name, readOnly),
    openWorld: (name) => {
      const spec = specs.find((s) => s.function.name === name);
      return spec ? looksOpenWorld(spec) : false;
    },
  };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
