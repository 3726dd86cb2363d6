import type { Tool } from '../agent/tool.js';
import type { ToolCall } from '../chat/types.js';
import type { SpeculationSetup } from '../agent/agent-loop.js';
import { paceAtRate, piecesOfTurn, type ReplayPiece } from '../endpoint/replay-pieces.js';
import type { Session, SessionTurn } from '../session/format.js';
import { matchesAnyGlob } from '../eval/glob.js';
import { Sniffer } from '../sniff/sniffer.js';
import type { SpeculationEvent } from '../speculation/speculation-events.js';
import { TurnSpeculator } from '../speculation/turn-speculator.js';
import type { TraceEvent, TraceTurnFigures } from '../../shared/protocol.js';
import { speculationTraceEvent } from './speculation-trace.js';
import { toTraceFigures } from './trace-figures.js';

/** How a replay finds its intents: the current rules run again (`resniff`), or what was recorded. */
export type TraceMode =
  | { kind: 'recorded' }
  /** `readOnlyTools`: globs of tools the user declared read-only; recorded stand-ins and demo tools are read-only too, as in the chat. */
  | { kind: 'resniff'; setup: SpeculationSetup; readOnlyTools: readonly string[] };

/** Tool time assumed for a speculation whose tool has no recorded run in the turn. */
const DEFAULT_TOOL_MS = 300;
/** Pace of a session imported without timing. */
const IMPORT_TOKENS_PER_SECOND = 40;

/**
 * The whole trace of a recorded session, ordered by time: per turn its reasoning as it
 * streamed, formal calls at their seal, and either the speculation recorded with it or the
 * speculation the current rules produce when the turn is replayed through the real `Sniffer`
 * and `TurnSpeculator` (as `foresight eval` does). Re-sniffed speculations take the tool
 * time the session recorded for that call, so bars, partial hits and savings are what the
 * current rules would have earned. Turns follow one another; tool runs take their recorded time.
 */
export async function sessionTrace(session: Session, mode: TraceMode): Promise<TraceEvent[]> {
  const out: TraceEvent[] = [];
  let base = 0;
  let intentId = 0;
  for (const [i, turn] of session.turns.entries()) {
    const pieces = session.header.timing === 'recorded' ? piecesOfTurn(turn.chunks) : paceAtRate(piecesOfTurn(turn.chunks), IMPORT_TOKENS_PER_SECOND);
    const events =
      mode.kind === 'resniff'
        ? await resniffTurn(session, turn, i, base, pieces, mode.setup, mode.readOnlyTools, () => intentId++)
        : recordedTurn(turn, i, base, pieces, () => intentId++);
    events.sort((a, b) => a.t - b.t);
    for (const e of events) out.push(e);
    const end = Math.max(base, ...events.map((e) => e.t));
    base = end + turn.toolResults.reduce((sum, r) => sum + r.durationMs, 0) + 1;
  }
  return out;
}

function recordedTurn(turn: SessionTurn, index: number, base: number, pieces: ReplayPiece[], nextId: () => number): TraceEvent[] {
  const out: TraceEvent[] = [{ type: 'turnStart', turn: index, t: base, label: `turn ${index + 1}` }];
  walkPieces(pieces, base, {
    reasoning: (text, t) => out.push({ type: 'reasoning', turn: index, t, text }),
    seal: (call, t) => out.push({ type: 'seal', turn: index, t, callId: call.id, tool: call.name, arguments: call.arguments }),
  });
  for (const { t, event } of turn.speculation ?? []) {
    if (event.type === 'turnMetrics') out.push({ type: 'figures', turn: index, t: base + t, figures: toTraceFigures(event.metrics) });
    else {
      const e = speculationTraceEvent(index, base + t, event.event, nextId);
      if (e) out.push(e);
    }
  }
  return out;
}

async function resniffTurn(
  session: Session,
  turn: SessionTurn,
  index: number,
  base: number,
  pieces: ReplayPiece[],
  setup: SpeculationSetup,
  readOnlyTools: readonly string[],
  nextId: () => number,
): Promise<TraceEvent[]> {
  const specs = session.header.tools;
  const out: TraceEvent[] = [{ type: 'turnStart', turn: index, t: base, label: `turn ${index + 1}` }];
  const normalizer = setup.normalizer;
  const canonicalOf = (tool: string, args: string) => {
    const n = normalizer.normalizeText(specs.find((s) => s.function.name === tool)?.function.parameters, args);
    return n.ok ? n.canonical : args;
  };
  const durations = new Map(turn.toolResults.map((r) => [`${r.name}\u0000${canonicalOf(r.name, r.arguments)}`, r.durationMs]));
  const durationOf = (tool: string, canonical: string) => durations.get(`${tool}\u0000${canonical}`) ?? turn.toolResults.find((r) => r.name === tool)?.durationMs ?? DEFAULT_TOOL_MS;

  let now = base;
  const controller = new AbortController();
  const specStarts = new Map<number, { t: number; ms: number }>();
  const sealedAt = new Map<string, number>();
  const figures: TraceTurnFigures = { intents: 0, fired: 0, hits: 0, partialHits: 0, misses: 0, misfires: 0, blocked: 0, wastedMs: 0, savedMs: 0, ttaMs: 0, ttaWithoutMs: 0, calls: 0 };
  const onEvent = (event: SpeculationEvent) => {
    switch (event.type) {
      case 'intent': {
        figures.intents++;
        if (event.decision === 'fired') figures.fired++;
        if (event.decision === 'blocked') figures.blocked++;
        const e = speculationTraceEvent(index, now, event, nextId);
        if (e) out.push(e);
        return;
      }
      case 'specStart': {
        const ms = durationOf(event.tool, event.canonical);
        specStarts.set(event.specId, { t: now, ms });
        out.push({ type: 'specStart', turn: index, t: now, specId: event.specId, tool: event.tool, canonical: event.canonical, ruleId: event.ruleId });
        out.push({ type: 'specEnd', turn: index, t: now + ms, specId: event.specId, status: 'done' });
        return;
      }
      case 'claim': {
        const t = sealedAt.get(event.callId) ?? now;
        const ms = durationOf(event.tool, event.canonical);
        const spec = event.specId !== undefined ? specStarts.get(event.specId) : undefined;
        let outcome = event.outcome;
        let savedMs = 0;
        if (spec && (outcome === 'hit' || outcome === 'partial')) {
          const end = spec.t + spec.ms;
          outcome = end <= t ? 'hit' : 'partial';
          savedMs = outcome === 'hit' ? spec.ms : t - spec.t;
        }
        figures.calls++;
        figures.ttaWithoutMs += ms;
        figures.ttaMs += ms - savedMs;
        figures.savedMs += savedMs;
        if (outcome === 'hit') figures.hits++;
        else if (outcome === 'partial') figures.partialHits++;
        else figures.misses++;
        out.push({ type: 'claim', turn: index, t, callId: event.callId, tool: event.tool, canonical: event.canonical, outcome, ...(event.specId !== undefined ? { specId: event.specId } : {}), savedMs: Math.round(savedMs) });
        return;
      }
      case 'misfire': {
        const wastedMs = specStarts.get(event.specId)?.ms ?? 0;
        figures.misfires++;
        figures.wastedMs += wastedMs;
        out.push({ type: 'misfire', turn: index, t: now, specId: event.specId, tool: event.tool, canonical: event.canonical, wastedMs });
        return;
      }
      case 'specEnd':
      case 'warm':
        return;
    }
  };
  const speculator = new TurnSpeculator({
    tools: standInTools(session, readOnlyTools),
    normalizer,
    policy: setup.policy,
    latency: setup.latency,
    ...(setup.calibration ? { calibration: setup.calibration } : {}),
    signal: controller.signal,
    now: () => now,
    onEvent,
  });
  const sniffer = new Sniffer({ rules: setup.rules, tools: specs, normalizer, schemaSniffing: setup.schemaSniffing ?? true });
  let reasoningOpen = true;
  const claims: Promise<unknown>[] = [];
  walkPieces(pieces, base, {
    reasoning: (text, t) => {
      now = t;
      out.push({ type: 'reasoning', turn: index, t, text });
      for (const intent of sniffer.push(text)) speculator.consider(intent);
    },
    other: (t) => {
      now = t;
      if (!reasoningOpen) return;
      reasoningOpen = false;
      for (const intent of sniffer.flush()) speculator.consider(intent);
    },
    seal: (call, t) => {
      now = t;
      sealedAt.set(call.id, t);
      out.push({ type: 'seal', turn: index, t, callId: call.id, tool: call.name, arguments: call.arguments });
      claims.push(speculator.claim(call));
    },
    finish: () => speculator.callsComplete(),
  });
  if (reasoningOpen) for (const intent of sniffer.flush()) speculator.consider(intent);
  await Promise.all(claims);
  speculator.end();
  controller.abort();
  out.push({ type: 'figures', turn: index, t: now, figures: { ...figures, wastedMs: Math.round(figures.wastedMs), savedMs: Math.round(figures.savedMs), ttaMs: Math.round(figures.ttaMs), ttaWithoutMs: Math.round(figures.ttaWithoutMs) } });
  return out;
}

interface PieceHandlers {
  reasoning(text: string, t: number): void;
  seal(call: ToolCall, t: number): void;
  /** Any piece that is not reasoning, before it is handled. */
  other?(t: number): void;
  finish?(): void;
}

/** Walks a turn's pieces, assembling tool-call deltas by index; a call is sealed when the next starts or the turn finishes. */
function walkPieces(pieces: readonly ReplayPiece[], base: number, on: PieceHandlers): void {
  const open = new Map<number, ToolCall>();
  let last = base;
  const sealAll = (except: number | undefined, t: number) => {
    for (const [i, call] of [...open]) {
      if (i === except) continue;
      open.delete(i);
      on.seal(call, t);
    }
  };
  for (const piece of pieces) {
    const t = (last = base + Math.round(piece.t));
    if (piece.kind === 'reasoning') {
      on.reasoning(piece.text, t);
      continue;
    }
    on.other?.(t);
    if (piece.kind === 'toolCall') {
      const index = piece.delta.index ?? 0;
      if (piece.delta.id !== undefined || piece.delta.function?.name !== undefined) {
        sealAll(index, t);
        if (!open.has(index)) open.set(index, { id: piece.delta.id ?? `replay_${index}`, name: piece.delta.function?.name ?? '', arguments: '' });
      }
      const call = open.get(index);
      if (call) {
        if (piece.delta.function?.name && !call.name) call.name = piece.delta.function.name;
        call.arguments += piece.delta.function?.arguments ?? '';
      }
    } else if (piece.kind === 'finish') {
      sealAll(undefined, t);
      on.finish?.();
    }
  }
  sealAll(undefined, last);
}

/** Tools that compute nothing; read-only as the chat would treat them (see `TraceMode`). */
function standInTools(session: Session, readOnlyTools: readonly string[]): Map<string, Tool> {
  const recorded = new Set(session.header.recordedTools ?? []);
  const readOnly = (name: string) => session.header.demo === true || recorded.has(name) || matchesAnyGlob(name, readOnlyTools);
  return new Map(
    session.header.tools.map((spec): [string, Tool] => [
      spec.function.name,
      {
        name: spec.function.name,
        description: spec.function.description ?? '',
        parameters: spec.function.parameters ?? { type: 'object' },
        readOnly: readOnly(spec.function.name),
        async run() {
          return { output: '', isError: false };
        },
        async warm() {},
      },
    ]),
  );
}
