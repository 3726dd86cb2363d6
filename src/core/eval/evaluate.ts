import type { ToolSpec } from '../chat/types.js';
import type { Session } from '../session/format.js';
import { Sniffer } from '../sniff/sniffer.js';
import { ArgumentNormalizer } from '../schema/argument-normalizer.js';
import type { Rule } from '../rules/rule-ast.js';
import type { Intent } from '../sniff/intent.js';
import { toolForRole } from '../sniff/tool-roles.js';
import { LatencyStats } from '../speculation/latency-stats.js';
import type { IntentDecision } from '../speculation/speculation-events.js';
import { DEFAULT_POLICY, type SpeculationPolicy } from '../speculation/speculation-policy.js';
import { replaySession } from '../engine/replay-session.js';
import { BATCH_TOKENS_PER_PIECE, replayTiming, type ReplayTiming } from '../engine/replay-timing.js';
import { replayTools } from '../engine/replay-tools.js';
import { looksOpenWorld } from '../speculation/open-world.js';
import { intentKey } from '../sniff/intent.js';
import { namedToolBaseline } from './call-baseline.js';
import { matchesAnyGlob } from '../util/glob.js';
import { median } from '../util/median.js';

export interface EvalOptions {
  rules: readonly Rule[];
  /** Tools matching these globs count as read-only; every other tool must be blocked. */
  readonly: readonly string[];
  /** Read-only tools matching these globs count as open-world (they need `allowOpenWorld`), besides those whose declaration says they reach outside. */
  openWorld?: readonly string[];
  /** Open-world tools the user lets run early (globs). */
  allowOpenWorld?: readonly string[];
  /** Pace of imported sessions and latency of tools without a recorded duration. */
  timing?: Partial<ReplayTiming>;
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
  /** An actionable intent (not ruled out, not a recap) with this exact tool and canonical arguments came before the call was sealed, in this turn or an earlier one. */
  exact: boolean;
  /** The prediction came in an earlier turn. */
  crossTurn?: boolean;
  leadChars?: number;
  leadMs?: number;
  /** A call to the tool playing the code-runner role. */
  codeRunner: boolean;
  /** A warm intent for this tool came before the call was sealed, in the same turn. */
  warmBefore: boolean;
  claim?: 'hit' | 'partial' | 'miss' | 'stale';
  /** The rule (or schema sniffer) whose intent matched. */
  ruleId?: string;
}

export interface RuleReport {
  ruleId: string;
  intents: number;
  /** Intents that were exactly a later call of their session. */
  exact: number;
  fired: number;
  /** Fired speculations a formal call claimed. */
  claimed: number;
  misfires: number;
  blocked: number;
  leadCharsMedian: number | null;
}

/** A trivial call predictor measured on the same traces, to read recall and precision against. */
export interface CallBaselineReport {
  name: string;
  /** Distinct calls it predicted (each would have been fired). */
  predicted: number;
  /** Of those, calls the model then made in the same session. */
  claimed: number;
  /** Calls whose values were in the reasoning that it predicted. */
  exactEligible: number;
  precision: number | null;
  recall: number | null;
}

/** A trivial warm strategy measured on the same traces, to read the engine's figures against. */
export interface BaselineReport {
  name: string;
  /** Code-runner calls preceded by a warm-up in their turn. */
  warmBefore: number;
  /** Turns warmed that call no code runner. */
  warmWithoutCall: number;
  /** Turns warmed. */
  warmedTurns: number;
}

export interface EvalReport {
  sessions: number;
  turns: number;
  calls: number;
  eligible: number;
  exact: number;
  exactEligible: number;
  /** Distinct call predictions the engine acted on (not ruled out, not recaps), fired or not. */
  predictedCalls: number;
  /** exact / predictedCalls: how many of its predictions the model then made; null without predictions. */
  predictionPrecision: number | null;
  /** exactEligible / eligible; null without eligible calls. */
  recall: number | null;
  /** Fired speculations that a formal call claimed (hits and partial hits) / fired; null when nothing fired. */
  precision: number | null;
  codeRunnerCalls: number;
  warmBefore: number;
  /** Turns (of sessions offering a code runner) that call no code runner. */
  turnsWithoutCodeRunnerCall: number;
  /** Of those, turns the rules warmed anyway. */
  warmWithoutCall: number;
  /** Turns warmed. */
  warmedTurns: number;
  intents: number;
  fired: number;
  hits: number;
  partialHits: number;
  /** Hits and partial hits served from a speculation fired in an earlier turn. */
  crossTurnHits: number;
  misfires: number;
  /**
   * Misfires by what the call run early turned out to be, against the calls of its session: a
   * `recap` of a call already made (the same tool and canonical arguments sealed before it was
   * fired), a call the model made `later` but that could not be served (its result no longer
   * fresh, or a mutating call in between), or `never` made at all (a plan dropped, a value
   * misread).
   */
  misfireCauses: { recap: number; later: number; never: number };
  blocked: number;
  /** Intents not run because of how the reasoning framed them or the conversation's history. */
  declined: { negated: number; recap: number; openWorld: number; notWorthIt: number; lowConfidence: number };
  /** Runs of a tool that is not read-only before its formal call. Must be 0. */
  unsafeRuns: number;
  leadCharsMedian: number | null;
  leadMsMedian: number | null;
  reasoningChars: number;
  /** Reasoning sniffed per second of sniffer time, in MB (10^6 bytes of UTF-8), timed on up to 250 k characters of it in the pieces the replay used. */
  sniffMBps: number;
  baselines: BaselineReport[];
  callBaselines: CallBaselineReport[];
  perRule: RuleReport[];
  perCall: CallReport[];
}

/** Decisions under which an intent is not a prediction of a call to come. */
const NOT_A_PREDICTION = new Set<IntentDecision>(['negated', 'recap', 'unknown-tool']);

interface SeenIntent {
  intent: Intent;
  decision: IntentDecision;
  turn: number;
  /** Characters streamed in the session before the intent. */
  pos: number;
  t: number;
}

/**
 * Replays recorded sessions through the engine exactly as the live chat runs them (the one
 * path in `replaySession`: stream parser, sniffers, speculator, claims, call order, the
 * session's result cache), with stand-in tools that compute nothing: read-only by
 * `readonly`, every speculative run of another tool counted as unsafe. Reports, per formal
 * call, whether it was predicted exactly before it was sealed, and the speculation's
 * precision beside its recall, with an always-warm baseline from the same run.
 */
export async function evaluate(sessions: readonly Session[], options: EvalOptions): Promise<EvalReport> {
  const timing = replayTiming({ tokensPerPiece: BATCH_TOKENS_PER_PIECE, ...options.timing });
  const normalizer = new ArgumentNormalizer();
  const latency = new LatencyStats(timing.toolLatencyMs);
  const policy = options.policy ?? DEFAULT_POLICY;
  const setup = {
    rules: options.rules,
    normalizer,
    policy,
    latency,
    schemaSniffing: options.schemaSniffing ?? true,
    openWorldTools: options.allowOpenWorld ?? [],
  };
  const perCall: CallReport[] = [];
  const rules = new Map<string, { intents: number; exact: number; fired: number; claimed: number; misfires: number; blocked: number; leads: number[] }>();
  const ruleStats = (id: string) => {
    let r = rules.get(id);
    if (!r) rules.set(id, (r = { intents: 0, exact: 0, fired: 0, claimed: 0, misfires: 0, blocked: 0, leads: [] }));
    return r;
  };
  const totals = { turns: 0, predictedCalls: 0, intents: 0, fired: 0, hits: 0, partialHits: 0, crossTurnHits: 0, misfires: 0, blocked: 0, unsafeRuns: 0 };
  const declined = { negated: 0, recap: 0, openWorld: 0, notWorthIt: 0, lowConfidence: 0 };
  const warm = { turnsWithoutCall: 0, warmWithoutCall: 0, warmedTurns: 0, codeRunnerTurns: 0 };
  let reasoningChars = 0;
  const sample = new SniffSample();
  const named = { predicted: 0, claimed: 0, exactEligible: 0 };
  const misfireCauses = { recap: 0, later: 0, never: 0 };

  for (const session of sessions) {
    const specs = session.header.tools;
    const codeRunner = toolForRole(specs, 'code-runner')?.function.name;
    const name = session.header.title ?? session.header.id;
    const readOnly = (tool: string) => matchesAnyGlob(tool, options.readonly);
    // As the chat judges a tool the user marked read-only: open-world when its declaration says it reaches outside.
    const openWorld = (tool: string) => {
      const spec = specs.find((s) => s.function.name === tool);
      return matchesAnyGlob(tool, options.openWorld ?? []) || (spec !== undefined && looksOpenWorld(spec));
    };
    const seen: SeenIntent[] = [];
    const specRule = new Map<number, string>();
    const predictedInTurn = new Set<string>();
    /** Where each speculation started, in the session's stream, and the misfires (classified once the session's calls are known). */
    const specAt = new Map<number, number>();
    const misfired: { tool: string; canonical: string; firedAt: number }[] = [];
    const claims = new Map<string, { outcome: 'hit' | 'partial' | 'miss' | 'stale'; crossTurn: boolean }>();
    const sealed: { turn: number; id: string; tool: string; args: string; pos: number; t: number }[] = [];
    const eligibleCalls = new Map<string, boolean>();
    const baselinePredictions: string[][] = [];
    const warmTurns = new Map<number, number[]>();
    let turnPosBase = 0;
    let reasoning = '';
    await replaySession(session, {
      setup,
      timing,
      tools: (clock) => replayTools(session, { readOnly, openWorld, clock, timing, normalizer }),
      observer: {
        turnStart: () => {
          totals.turns++;
          reasoning = '';
        },
        stream: (turn, event) => {
          if (event.type !== 'reasoning') return;
          reasoning += event.text;
          reasoningChars += event.text.length;
          sample.take(session.header.tools, `${name}\u0000${turn}`, event.text);
        },
        step: (turn, step) => {
          if (step.type === 'sealed') {
            sealed.push({ turn, id: step.call.id, tool: step.call.name, args: step.call.arguments, pos: turnPosBase + step.pos, t: step.t });
            return;
          }
          if (step.type !== 'speculation') return;
          const e = step.event;
          switch (e.type) {
            case 'intent': {
              totals.intents++;
              const r = ruleStats(e.intent.ruleId);
              r.intents++;
              seen.push({ intent: e.intent, decision: e.decision, turn, pos: turnPosBase + step.pos, t: step.t });
              // Distinct per turn: a call restated with surer evidence is reported again, but it is one prediction.
              if (e.intent.kind === 'call' && !NOT_A_PREDICTION.has(e.decision)) {
                const predicted = `${turn}\u0000${intentKey(e.intent.tool, e.intent.canonical)}`;
                if (!predictedInTurn.has(predicted)) {
                  predictedInTurn.add(predicted);
                  totals.predictedCalls++;
                }
              }
              if (e.decision === 'fired') {
                totals.fired++;
                r.fired++;
              } else if (e.decision === 'blocked') {
                totals.blocked++;
                r.blocked++;
              } else if (e.decision === 'warmed') {
                const list = warmTurns.get(turn) ?? [];
                list.push(turnPosBase + step.pos);
                warmTurns.set(turn, list);
              } else if (e.decision === 'negated') declined.negated++;
              else if (e.decision === 'recap') declined.recap++;
              else if (e.decision === 'open-world') declined.openWorld++;
              else if (e.decision === 'not-worth-it') declined.notWorthIt++;
              else if (e.decision === 'low-confidence') declined.lowConfidence++;
              return;
            }
            case 'specStart':
              specRule.set(e.specId, e.ruleId);
              specAt.set(e.specId, turnPosBase + step.pos);
              if (!readOnly(e.tool)) totals.unsafeRuns++;
              return;
            case 'misfire':
              misfired.push({ tool: e.tool, canonical: e.canonical, firedAt: specAt.get(e.specId) ?? turnPosBase + step.pos });
              totals.misfires++;
              ruleStats(e.ruleId).misfires++;
              return;
            case 'claim':
              claims.set(e.callId, { outcome: e.outcome, crossTurn: e.crossTurn === true });
              if (e.outcome === 'hit' || e.outcome === 'partial') {
                if (e.outcome === 'hit') totals.hits++;
                else totals.partialHits++;
                if (e.crossTurn) totals.crossTurnHits++;
                const rule = e.specId !== undefined ? specRule.get(e.specId) : undefined;
                if (rule) ruleStats(rule).claimed++;
              }
              return;
            default:
              return;
          }
        },
        turnEnd: (turn, _t, engine) => {
          // Decided now, so a turn's reasoning is dropped when the turn ends, however long it was.
          for (const s of sealed) if (s.turn === turn) eligibleCalls.set(s.id, valuesAppearIn(s.args, reasoning));
          baselinePredictions[turn] = namedToolBaseline(reasoning, specs, normalizer);
          reasoning = '';
          turnPosBase += engine.streamedChars;
        },
      },
    });

    const used = new Set<SeenIntent>();
    // The trivial baseline, scored like the engine: a prediction is claimed by a later call of the session.
    const predictedKeys = new Map<string, number>();
    baselinePredictions.forEach((keys, turn) => {
      for (const k of keys) if (!predictedKeys.has(k)) predictedKeys.set(k, turn);
    });
    named.predicted += predictedKeys.size;
    const claimedKeys = new Set<string>();
    const sealedCanonical = sealed.map((s) => {
      const spec = specs.find((t) => t.function.name === s.tool);
      const norm = normalizer.normalizeText(spec?.function.parameters, s.args);
      return norm.ok ? norm.canonical : undefined;
    });
    for (const m of misfired) {
      const same = sealed.filter((s, k) => s.tool === m.tool && sealedCanonical[k] === m.canonical);
      if (same.some((s) => s.pos <= m.firedAt)) misfireCauses.recap++;
      else if (same.length > 0) misfireCauses.later++;
      else misfireCauses.never++;
    }
    for (const [k, s] of sealed.entries()) {
      const canonical = sealedCanonical[k];
      const match = seen.find((x) => !used.has(x) && x.intent.kind === 'call' && !NOT_A_PREDICTION.has(x.decision) && x.intent.tool === s.tool && x.intent.canonical === canonical && x.pos <= s.pos);
      if (match) {
        used.add(match);
        const r = ruleStats(match.intent.ruleId);
        r.exact++;
        r.leads.push(s.pos - match.pos);
      }
      const key = canonical !== undefined ? intentKey(s.tool, canonical) : undefined;
      const baselineTurn = key !== undefined ? predictedKeys.get(key) : undefined;
      if (key !== undefined && baselineTurn !== undefined && baselineTurn <= s.turn && !claimedKeys.has(key)) {
        claimedKeys.add(key);
        named.claimed++;
        if (eligibleCalls.get(s.id) === true) named.exactEligible++;
      }
      const isCodeRunner = codeRunner !== undefined && s.tool === codeRunner;
      const warmBefore = (warmTurns.get(s.turn) ?? []).some((p) => p <= s.pos);
      const claim = claims.get(s.id);
      perCall.push({
        session: name,
        turn: s.turn,
        tool: s.tool,
        arguments: s.args,
        eligible: eligibleCalls.get(s.id) === true,
        exact: match !== undefined,
        ...(match && match.turn !== s.turn ? { crossTurn: true } : {}),
        codeRunner: isCodeRunner,
        warmBefore: isCodeRunner && warmBefore,
        ...(claim ? { claim: claim.outcome } : {}),
        ...(match ? { leadChars: s.pos - match.pos, leadMs: Math.round(s.t - match.t), ruleId: match.intent.ruleId } : {}),
      });
    }
    if (codeRunner !== undefined) {
      for (let turn = 0; turn < session.turns.length; turn++) {
        const callsRunner = sealed.some((s) => s.turn === turn && s.tool === codeRunner);
        const warmed = warmTurns.has(turn);
        if (warmed) warm.warmedTurns++;
        if (callsRunner) warm.codeRunnerTurns++;
        else {
          warm.turnsWithoutCall++;
          if (warmed) warm.warmWithoutCall++;
        }
      }
    }
  }
  const exactCalls = perCall.filter((c) => c.exact);
  const predictedCalls = totals.predictedCalls;
  const eligible = perCall.filter((c) => c.eligible).length;
  const exactEligible = perCall.filter((c) => c.exact && c.eligible).length;
  const codeRunnerCalls = perCall.filter((c) => c.codeRunner).length;
  const claimed = totals.hits + totals.partialHits;
  return {
    sessions: sessions.length,
    turns: totals.turns,
    calls: perCall.length,
    eligible,
    exact: exactCalls.length,
    exactEligible,
    predictedCalls,
    predictionPrecision: predictedCalls > 0 ? exactCalls.length / predictedCalls : null,
    recall: eligible > 0 ? exactEligible / eligible : null,
    precision: totals.fired > 0 ? claimed / totals.fired : null,
    codeRunnerCalls,
    warmBefore: perCall.filter((c) => c.codeRunner && c.warmBefore).length,
    turnsWithoutCodeRunnerCall: warm.turnsWithoutCall,
    warmWithoutCall: warm.warmWithoutCall,
    warmedTurns: warm.warmedTurns,
    intents: totals.intents,
    fired: totals.fired,
    hits: totals.hits,
    partialHits: totals.partialHits,
    crossTurnHits: totals.crossTurnHits,
    misfires: totals.misfires,
    misfireCauses,
    blocked: totals.blocked,
    declined,
    unsafeRuns: totals.unsafeRuns,
    leadCharsMedian: median(exactCalls.map((c) => c.leadChars ?? 0)),
    leadMsMedian: median(exactCalls.map((c) => c.leadMs ?? 0)),
    reasoningChars,
    sniffMBps: sample.megabytesPerSecond(setup),
    baselines: [
      // Warming every turn of every session that offers a code runner: the trivial strategy a warm rule must beat.
      { name: 'always warm', warmBefore: codeRunnerCalls, warmWithoutCall: warm.turnsWithoutCall, warmedTurns: warm.codeRunnerTurns + warm.turnsWithoutCall },
    ],
    callBaselines: [
      {
        name: 'named tool + next quoted value',
        predicted: named.predicted,
        claimed: named.claimed,
        exactEligible: named.exactEligible,
        precision: named.predicted > 0 ? named.claimed / named.predicted : null,
        recall: eligible > 0 ? named.exactEligible / eligible : null,
      },
    ],
    perRule: [...rules]
      .map(([ruleId, r]) => ({ ruleId, intents: r.intents, exact: r.exact, fired: r.fired, claimed: r.claimed, misfires: r.misfires, blocked: r.blocked, leadCharsMedian: median(r.leads) }))
      .sort((a, b) => a.ruleId.localeCompare(b.ruleId)),
    perCall,
  };
}

/** Most reasoning kept to time the sniffers on, in characters: enough to measure (the cost per chunk is flat), bounded in memory and time. */
const SAMPLE_CHARS = 100_000;
/**
 * Passes over the sample go on until this long has been spent (and at least MIN_PASSES were
 * made): a figure to a few percent, for a small share of a run's time.
 */
const TIMING_SECONDS = 0.03;
const MIN_PASSES = 2;

/**
 * Reasoning pieces kept (up to SAMPLE_CHARS) to time the sniffers in a tight loop after the
 * replay: timing each piece inside it would measure the clock, and a busy machine's
 * descheduling, more than the sniffers. The replay has warmed the code up; the best pass of
 * those made within TIMING_SECONDS counts, as a busy machine only ever adds time.
 */
class SniffSample {
  private readonly streams: { tools: ToolSpec[]; pieces: string[] }[] = [];
  private lastKey = '';
  private chars = 0;

  take(tools: ToolSpec[], key: string, text: string): void {
    if (this.chars >= SAMPLE_CHARS) return;
    if (key !== this.lastKey) {
      this.streams.push({ tools, pieces: [] });
      this.lastKey = key;
    }
    this.streams[this.streams.length - 1]!.pieces.push(text);
    this.chars += text.length;
  }

  megabytesPerSecond(setup: { rules: readonly Rule[]; normalizer: ArgumentNormalizer; schemaSniffing: boolean }): number {
    let bytes = 0;
    for (const s of this.streams) for (const p of s.pieces) bytes += Buffer.byteLength(p);
    if (bytes === 0) return 0;
    const once = () => {
      for (const s of this.streams) {
        const sniffer = new Sniffer({ rules: setup.rules, tools: s.tools, normalizer: setup.normalizer, schemaSniffing: setup.schemaSniffing });
        for (const p of s.pieces) sniffer.push(p);
        sniffer.flush();
      }
    };
    const started = process.hrtime.bigint();
    let best = Infinity;
    for (let passes = 0; passes < MIN_PASSES || Number(process.hrtime.bigint() - started) / 1e9 < TIMING_SECONDS; passes++) {
      const start = process.hrtime.bigint();
      once();
      best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
    }
    return bytes / 1e6 / best;
  }
}

/** Whether every leaf value of the call's JSON arguments appears literally in the text (a null is no value). */
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
    else if (v !== null) leaves.push(String(v));
  };
  walk(parsed);
  return leaves.every((l) => text.includes(l));
}
