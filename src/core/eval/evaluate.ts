import type { Tool } from '../agent/tool.js';
import type { ToolCall, ToolSpec } from '../chat/types.js';
import { paceAtRate, piecesOfTurn, type ReplayPiece } from '../endpoint/replay-pieces.js';
import type { Rule } from '../rules/rule-ast.js';
import type { Session } from '../session/format.js';
import { ArgumentNormalizer } from '../schema/argument-normalizer.js';
import type { Intent } from '../sniff/intent.js';
import { Sniffer } from '../sniff/sniffer.js';
import { toolForRole } from '../sniff/tool-roles.js';
import { LatencyStats } from '../speculation/latency-stats.js';
import type { SpeculationEvent } from '../speculation/speculation-events.js';
import { DEFAULT_POLICY, type SpeculationPolicy } from '../speculation/speculation-policy.js';
import { TurnSpeculator } from '../speculation/turn-speculator.js';
import { matchesAnyGlob } from './glob.js';
import { median } from './median.js';

export interface EvalOptions {
  rules: readonly Rule[];
  /** Tools matching these globs count as read-only; every other tool must be blocked. */
  readonly: readonly string[];
  /** Pace at which leads in characters are turned into time. */
  tokensPerSecond?: number;
  policy?: SpeculationPolicy;
  schemaSniffing?: boolean;
}

/** One formal call of a trace and how the sniffer did on it. */
export interface CallReport {
  session: string;
  turn: number;
  tool: string;
  arguments: string;
  /** Every argument value appears in the turn's reasoning: an exact prediction was possible. */
  eligible: boolean;
  /** An intent with this exact tool and canonical arguments came before the call was sealed. */
  exact: boolean;
  leadChars?: number;
  leadMs?: number;
  /** A call to the tool playing the code-runner role. */
  codeRunner: boolean;
  /** A warm intent for this tool came before the call was sealed. */
  warmBefore: boolean;
  claim?: 'hit' | 'partial' | 'miss' | 'stale';
  /** The rule (or schema sniffer) whose intent matched. */
  ruleId?: string;
}

export interface RuleReport {
  ruleId: string;
  intents: number;
  /** Intents that were exactly a call of their turn. */
  exact: number;
  fired: number;
  misfires: number;
  blocked: number;
  leadCharsMedian: number | null;
}

export interface EvalReport {
  sessions: number;
  turns: number;
  calls: number;
  eligible: number;
  exact: number;
  exactEligible: number;
  codeRunnerCalls: number;
  warmBefore: number;
  intents: number;
  fired: number;
  hits: number;
  partialHits: number;
  misfires: number;
  blocked: number;
  /** Runs of a tool that is not read-only before its formal call. Must be 0. */
  unsafeRuns: number;
  leadCharsMedian: number | null;
  leadMsMedian: number | null;
  reasoningChars: number;
  /** Reasoning sniffed per second of sniffer time, in MB (10^6 bytes of UTF-8). */
  sniffMBps: number;
  perRule: RuleReport[];
  perCall: CallReport[];
}

/**
 * Replays recorded turns through the real sniffer and the real speculator, chunk by chunk as
 * a stream would deliver them (word-sized pieces at the stated pace), with stand-in tools that
 * never compute anything: read-only by `readonly`, every run of another tool counted as
 * unsafe. Reports, per formal call, whether it was predicted exactly before it was sealed.
 */
export async function evaluate(sessions: readonly Session[], options: EvalOptions): Promise<EvalReport> {
  const tps = options.tokensPerSecond ?? 40;
  const normalizer = new ArgumentNormalizer();
  const latency = new LatencyStats(500);
  const policy = options.policy ?? DEFAULT_POLICY;
  const perCall: CallReport[] = [];
  const rules = new Map<string, { intents: number; exact: number; fired: number; misfires: number; blocked: number; leads: number[] }>();
  const ruleStats = (id: string) => {
    let r = rules.get(id);
    if (!r) rules.set(id, (r = { intents: 0, exact: 0, fired: 0, misfires: 0, blocked: 0, leads: [] }));
    return r;
  };
  let turns = 0;
  let intents = 0;
  let fired = 0;
  let hits = 0;
  let partialHits = 0;
  let misfires = 0;
  let blocked = 0;
  let unsafeRuns = 0;
  let reasoningBytes = 0;
  let reasoningChars = 0;
  /** Every turn's reasoning chunks, sniffed again at the end in a tight loop to time it. */
  const streams: { tools: ToolSpec[]; chunks: string[] }[] = [];

  for (const session of sessions) {
    const specs = session.header.tools;
    const codeRunner = toolForRole(specs, 'code-runner')?.function.name;
    const name = session.header.title ?? session.header.id;
    for (const turn of session.turns) {
      turns++;
      const pieces = paceAtRate(piecesOfTurn(turn.chunks), tps);
      const controller = new AbortController();
      const events: SpeculationEvent[] = [];
      const tools = standInTools(specs, options.readonly, () => unsafeRuns++);
      const speculator = new TurnSpeculator({ tools, normalizer, policy, latency, signal: controller.signal, onEvent: (e) => events.push(e) });
      const sniffer = new Sniffer({ rules: options.rules, tools: specs, normalizer, schemaSniffing: options.schemaSniffing ?? true });
      const seen: { intent: Intent; pos: number; t: number }[] = [];
      let pos = 0;
      let reasoningOpen = true;
      const take = (found: Intent[], t: number) => {
        for (const intent of found) {
          seen.push({ intent, pos, t });
          speculator.consider(intent);
        }
      };
      const endReasoning = (t: number) => {
        if (!reasoningOpen) return;
        reasoningOpen = false;
        take(sniffer.flush(), t);
      };
      const chunks: string[] = [];
      streams.push({ tools: specs, chunks });
      let reasoning = '';
      const open = new Map<number, { call: ToolCall; pos: number; t: number }>();
      const sealed: { call: ToolCall; pos: number; t: number }[] = [];
      const claims: Promise<unknown>[] = [];
      const claimOutcome = new Map<string, 'hit' | 'partial' | 'miss' | 'stale'>();
      const seal = (index: number, p: number, t: number) => {
        const o = open.get(index);
        if (!o) return;
        open.delete(index);
        sealed.push({ call: o.call, pos: p, t });
        claims.push(speculator.claim(o.call).then((c) => claimOutcome.set(o.call.id, c.outcome)));
      };
      for (const piece of pieces) {
        if (piece.kind === 'reasoning') {
          reasoning += piece.text;
          reasoningBytes += Buffer.byteLength(piece.text);
          reasoningChars += piece.text.length;
          chunks.push(piece.text);
          const found = sniffer.push(piece.text);
          pos += piece.text.length;
          take(found, piece.t);
          continue;
        }
        endReasoning(piece.t);
        pos += textLength(piece);
        if (piece.kind === 'toolCall') {
          const index = piece.delta.index ?? 0;
          if (piece.delta.id !== undefined || piece.delta.function?.name !== undefined) {
            for (const i of [...open.keys()]) if (i !== index) seal(i, pos, piece.t);
            if (!open.has(index)) open.set(index, { call: { id: piece.delta.id ?? `eval_${index}`, name: piece.delta.function?.name ?? '', arguments: '' }, pos, t: piece.t });
          }
          const o = open.get(index);
          if (o) {
            if (piece.delta.function?.name && !o.call.name) o.call.name = piece.delta.function.name;
            o.call.arguments += piece.delta.function?.arguments ?? '';
          }
        } else if (piece.kind === 'finish') {
          for (const i of [...open.keys()]) seal(i, pos, piece.t);
          speculator.callsComplete();
        }
      }
      endReasoning(pieces[pieces.length - 1]?.t ?? 0);
      for (const i of [...open.keys()]) seal(i, pos, 0);
      await Promise.all(claims);
      speculator.end();
      controller.abort();

      for (const e of events) {
        if (e.type === 'intent') {
          intents++;
          const r = ruleStats(e.intent.ruleId);
          r.intents++;
          if (e.decision === 'fired') {
            fired++;
            r.fired++;
          }
          if (e.decision === 'blocked') {
            blocked++;
            r.blocked++;
          }
        } else if (e.type === 'misfire') {
          misfires++;
          ruleStats(e.ruleId).misfires++;
        } else if (e.type === 'claim') {
          if (e.outcome === 'hit') hits++;
          if (e.outcome === 'partial') partialHits++;
        }
      }
      for (const s of sealed) {
        const spec = specs.find((t) => t.function.name === s.call.name);
        const norm = normalizer.normalizeText(spec?.function.parameters, s.call.arguments);
        const canonical = norm.ok ? norm.canonical : undefined;
        const match = seen.find((x) => x.intent.kind === 'call' && x.intent.tool === s.call.name && x.intent.canonical === canonical && x.pos <= s.pos);
        const warm = seen.some((x) => x.intent.kind === 'warm' && x.intent.tool === s.call.name && x.pos <= s.pos);
        if (match) {
          const r = ruleStats(match.intent.ruleId);
          r.exact++;
          r.leads.push(s.pos - match.pos);
        }
        const report: CallReport = {
          session: name,
          turn: turn.index,
          tool: s.call.name,
          arguments: s.call.arguments,
          eligible: valuesAppearIn(s.call.arguments, reasoning),
          exact: match !== undefined,
          codeRunner: codeRunner !== undefined && s.call.name === codeRunner,
          warmBefore: warm,
          ...(claimOutcome.has(s.call.id) ? { claim: claimOutcome.get(s.call.id)! } : {}),
          ...(match ? { leadChars: s.pos - match.pos, leadMs: Math.round(s.t - match.t), ruleId: match.intent.ruleId } : {}),
        };
        perCall.push(report);
      }
    }
  }
  const exactCalls = perCall.filter((c) => c.exact);
  const seconds = timeSniffing(streams, options, normalizer);
  return {
    sessions: sessions.length,
    turns,
    calls: perCall.length,
    eligible: perCall.filter((c) => c.eligible).length,
    exact: exactCalls.length,
    exactEligible: perCall.filter((c) => c.exact && c.eligible).length,
    codeRunnerCalls: perCall.filter((c) => c.codeRunner).length,
    warmBefore: perCall.filter((c) => c.codeRunner && c.warmBefore).length,
    intents,
    fired,
    hits,
    partialHits,
    misfires,
    blocked,
    unsafeRuns,
    leadCharsMedian: median(exactCalls.map((c) => c.leadChars ?? 0)),
    leadMsMedian: median(exactCalls.map((c) => c.leadMs ?? 0)),
    reasoningChars,
    sniffMBps: seconds > 0 ? reasoningBytes / 1e6 / seconds : 0,
    perRule: [...rules].map(([ruleId, r]) => ({ ruleId, intents: r.intents, exact: r.exact, fired: r.fired, misfires: r.misfires, blocked: r.blocked, leadCharsMedian: median(r.leads) })).sort((a, b) => a.ruleId.localeCompare(b.ruleId)),
    perCall,
  };
}

/**
 * Seconds the sniffer takes over all the streams, in a tight loop without the speculator:
 * timing each chunk inside the replay would measure the clock more than the sniffer. The
 * best of three passes after a warm-up.
 */
function timeSniffing(streams: readonly { tools: ToolSpec[]; chunks: string[] }[], options: EvalOptions, normalizer: ArgumentNormalizer): number {
  const once = () => {
    for (const s of streams) {
      const sniffer = new Sniffer({ rules: options.rules, tools: s.tools, normalizer, schemaSniffing: options.schemaSniffing ?? true });
      for (const c of s.chunks) sniffer.push(c);
      sniffer.flush();
    }
  };
  once();
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const start = process.hrtime.bigint();
    once();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return best;
}

/** Tools that compute nothing; one not matching `readonly` counts every run as unsafe. */
function standInTools(specs: readonly ToolSpec[], readonly: readonly string[], onUnsafeRun: () => void): Map<string, Tool> {
  return new Map(
    specs.map((spec) => {
      const readOnly = matchesAnyGlob(spec.function.name, readonly);
      const tool: Tool = {
        name: spec.function.name,
        description: spec.function.description ?? '',
        parameters: spec.function.parameters ?? { type: 'object' },
        readOnly,
        async run() {
          if (!readOnly) onUnsafeRun();
          return { output: '', isError: false };
        },
        async warm() {},
      };
      return [spec.function.name, tool];
    }),
  );
}

function textLength(piece: ReplayPiece): number {
  switch (piece.kind) {
    case 'content':
    case 'reasoning':
      return piece.text.length;
    case 'toolCall':
      return (piece.delta.function?.arguments ?? '').length;
    default:
      return 0;
  }
}

/** Whether every leaf value of the call's JSON arguments appears literally in the text. */
export function valuesAppearIn(argumentsText: string, text: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(argumentsText);
  } catch {
    return false;
  }
  const leaves: string[] = [];
  const walk = (v: unknown) => {
    if (v !== null && typeof v === 'object') for (const x of Object.values(v)) walk(x);
    else leaves.push(String(v));
  };
  walk(parsed);
  return leaves.every((l) => text.includes(l));
}
