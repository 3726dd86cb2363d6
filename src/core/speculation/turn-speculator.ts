import type { Tool, ToolResult } from '../chat/tool.js';
import type { ToolCall } from '../chat/types.js';
import type { ArgumentNormalizer } from '../schema/argument-normalizer.js';
import { intentKey, type Intent } from '../sniff/intent.js';
import type { Calibration } from './calibration.js';
import type { LatencyStats } from './latency-stats.js';
import { earlyRunServe } from './saved-time.js';
import { SpeculationCache, type CachedSpeculation } from './speculation-cache.js';
import { emptyMetrics, type IntentDecision, type SpeculationEvent, type TurnSpeculationMetrics } from './speculation-events.js';
import { decideToFire, type SpeculationPolicy } from './speculation-policy.js';

/** A hedged intent ("I might need to…") keeps this share of its probability. */
export const HEDGED_PROBABILITY_FACTOR = 0.35;

export interface TurnSpeculatorOptions {
  tools: ReadonlyMap<string, Tool>;
  normalizer: ArgumentNormalizer;
  policy: SpeculationPolicy;
  latency: LatencyStats;
  calibration?: Calibration;
  /** The session's results; a new one (this turn only) when absent. */
  cache?: SpeculationCache;
  /** The turn's index in the session, to tell cross-turn hits. */
  turn?: number;
  /** Open-world tools (`Tool.openWorld`) the user let run early; none by default. */
  openWorldAllowed?: (tool: string) => boolean;
  /** Ends every speculation of the turn when there is no session cache to carry them. */
  signal: AbortSignal;
  now?: () => number;
  onEvent?: (event: SpeculationEvent) => void;
}

/** How a formal call is to be served: from a speculation, or by running the tool as usual. */
export type Claim =
  /** `toolMs`: the early run's own duration; `waitedMs`: from the seal to the result (see `earlyRunServe`). */
  | { outcome: 'hit' | 'partial'; result: ToolResult; savedMs: number; toolMs: number; waitedMs: number; specId: number; crossTurn: boolean }
  | { outcome: 'miss' | 'stale' };

/**
 * One turn's speculation over the session's cache: decides which predicted calls run early
 * (default deny: only read-only tools, closed-world unless allowed; warm rules only warm; never
 * a call the reasoning rules out or recounts, nor one the conversation already answered),
 * runs them with a signal, a timeout, the turn's budget and a concurrency cap, and serves
 * formal calls by exact (tool, canonical arguments): finished is a hit, running is awaited
 * (partial), anything else a miss. Unclaimed results stay for later turns; they count as
 * misfires when invalidated, evicted or left at the session's end (`closeSession`).
 */
export class TurnSpeculator {
  private readonly cache: SpeculationCache;
  private readonly turn: number;
  private readonly warmed = new Set<string>();
  private readonly metrics: TurnSpeculationMetrics = emptyMetrics();
  private readonly now: () => number;
  private spentMs = 0;
  private ended = false;
  private readonly calledTools = new Set<string>();
  private readonly onAbort = () => this.closeSession();

  constructor(private readonly options: TurnSpeculatorOptions) {
    this.now = options.now ?? (() => performance.now());
    this.turn = options.turn ?? 0;
    this.cache = options.cache ?? new SpeculationCache(options.signal);
    this.cache.signal.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Considers one intent: fire, warm, block, decline or skip it, and says which. */
  consider(intent: Intent): IntentDecision {
    if (this.ended) return 'budget';
    this.metrics.intents++;
    const tool = this.options.tools.get(intent.tool);
    const calibrated = this.options.calibration?.probability(intent.ruleId, intent.confidence) ?? intent.confidence;
    const probability = intent.cue === 'hedged' ? calibrated * HEDGED_PROBABILITY_FACTOR : calibrated;
    const report = (decision: IntentDecision, cost?: { savingMs: number; costMs: number }): IntentDecision => {
      this.emit({ type: 'intent', intent, decision, probability, ...(cost ? { savingMs: cost.savingMs, costMs: cost.costMs } : {}) });
      return decision;
    };
    if (!tool) return report('unknown-tool');
    if (intent.cue === 'negated') return report('negated');
    if (intent.kind === 'warm') {
      if (!this.warmed.has(tool.name)) {
        this.warmed.add(tool.name);
        this.metrics.warmups++;
        // Warming never runs the tool; a failure only loses the head start.
        tool.warm?.(this.cache.signal).catch(() => undefined);
        this.emit({ type: 'warm', tool: tool.name, ruleId: intent.ruleId, at: this.now() });
      }
      return report('warmed');
    }
    const key = intentKey(intent.tool, intent.canonical);
    if (intent.cue === 'past' || (this.cache.wasAnswered(key) && intent.cue !== 'repeat')) return report('recap');
    if (!tool.readOnly) {
      this.metrics.blocked++;
      return report('blocked');
    }
    if (tool.openWorld === true && !(this.options.openWorldAllowed?.(tool.name) ?? false)) return report('open-world');
    const cached = this.cache.get(key);
    if (cached && !cached.claimed && cached.status !== 'cancelled') return report('already-cached');
    const latency = this.options.latency.typical(tool.name);
    const decision = decideToFire(probability, latency, { budgetLeftMs: this.options.policy.budgetMsPerTurn - this.spentMs - this.runningEstimate(), running: this.cache.runningCount() }, this.options.policy);
    if (!decision.fire) return report(decision.reason, decision);
    this.fire(tool, intent, key);
    return report('fired', decision);
  }

  /**
   * Serves a sealed formal call. Arguments are put in canonical form with the same
   * normaliser the sniffer used, so only the very same call matches.
   */
  async claim(call: ToolCall): Promise<Claim> {
    const sealedAt = this.now();
    const tool = this.options.tools.get(call.name);
    const normalized = tool ? this.options.normalizer.normalizeText(tool.parameters, call.arguments) : undefined;
    const canonical = normalized?.ok ? normalized.canonical : call.arguments;
    const key = intentKey(call.name, canonical);
    this.calledTools.add(call.name);
    this.cache.markAnswered(key);
    const spec = this.cache.get(key);
    this.metrics.calls++;
    const miss = (outcome: 'miss' | 'stale'): Claim => {
      if (outcome === 'miss') this.metrics.misses++;
      else this.metrics.stale++;
      this.emit({ type: 'claim', callId: call.id, tool: call.name, canonical, outcome, ...(spec ? { specId: spec.id } : {}), savedMs: 0, ttaMs: 0, at: sealedAt });
      return { outcome };
    };
    if (!spec || spec.claimed || spec.status === 'cancelled') return miss('miss');
    if (sealedAt - spec.startedAt > this.options.policy.maxAgeMs) {
      this.cancel(spec, 'unclaimed');
      return miss('stale');
    }
    spec.claimed = true;
    const result = await spec.done;
    if (!result || result.isError) return miss('miss');
    if (result.isFresh && !(await freshWithin(result.isFresh, Math.min(this.options.policy.timeoutMs, FRESHNESS_CHECK_MS)))) return miss('stale');
    const { outcome, toolMs, waitedMs, savedMs } = earlyRunServe({ startedAt: spec.startedAt, endedAt: spec.endedAt ?? this.now(), sealedAt });
    const crossTurn = spec.turn !== this.turn;
    if (outcome === 'hit') this.metrics.hits++;
    else this.metrics.partialHits++;
    if (crossTurn) this.metrics.crossTurnHits++;
    this.metrics.savedMs += savedMs;
    this.metrics.ttaMs += waitedMs;
    this.metrics.ttaWithoutMs += toolMs;
    this.options.calibration?.record(spec.ruleId, true);
    this.emit({ type: 'claim', callId: call.id, tool: call.name, canonical, outcome, specId: spec.id, ...(crossTurn ? { crossTurn } : {}), savedMs, ttaMs: waitedMs, at: sealedAt });
    return { outcome, result, savedMs, toolMs, waitedMs, specId: spec.id, crossTurn };
  }

  /** Adds a formal run's time to Time-to-Action (a miss ran the tool after sealing). */
  recordFormalRun(durationMs: number): void {
    this.metrics.ttaMs += durationMs;
    this.metrics.ttaWithoutMs += durationMs;
  }

  /** A tool that changes things is about to run: nothing speculated so far can be trusted. */
  invalidate(): void {
    for (const s of this.cache.unclaimed()) this.cancel(s, 'invalidated');
    this.cache.clear();
  }

  /** The session is over: whatever nobody claimed was wasted. */
  closeSession(): void {
    for (const s of this.cache.unclaimed()) this.cancel(s, this.calledTools.has(s.tool) ? 'other-arguments' : 'unclaimed');
  }

  /** Ends the turn; unclaimed results stay in the session's cache for later turns. */
  end(): TurnSpeculationMetrics {
    if (!this.ended) {
      this.ended = true;
      this.cache.signal.removeEventListener('abort', this.onAbort);
      // Without a session cache there is no later turn to claim them.
      if (this.options.cache === undefined) this.closeSession();
    }
    return { ...this.metrics };
  }

  private fire(tool: Tool, intent: Intent, key: string): void {
    const controller = new AbortController();
    const sessionSignal = this.cache.signal;
    const stop = () => controller.abort();
    sessionSignal.addEventListener('abort', stop, { once: true });
    const startedAt = this.now();
    const spec: CachedSpeculation = {
      id: this.cache.newId(),
      tool: tool.name,
      canonical: intent.canonical,
      ruleId: intent.ruleId,
      turn: this.turn,
      startedAt,
      controller,
      status: 'running',
      claimed: false,
      done: Promise.resolve(undefined),
    };
    const timer = setTimeout(() => {
      if (spec.status === 'running') {
        spec.status = 'timeout';
        controller.abort();
      }
    }, this.options.policy.timeoutMs);
    // A run ends when the tool answers or when it is aborted (timed out, cancelled), whichever
    // comes first: a tool that ignores its signal cannot hold a claim, nor the agent waiting on it.
    const abandoned = new Promise<undefined>((resolve) => controller.signal.addEventListener('abort', () => resolve(undefined), { once: true }));
    const answered = tool.run(intent.args, controller.signal).then(
      (result) => {
        if (spec.status === 'running') spec.status = result.isError ? 'error' : 'done';
        spec.result = result;
        return spec.status === 'done' ? result : undefined;
      },
      () => {
        if (spec.status === 'running') spec.status = 'error';
        return undefined;
      },
    );
    spec.done = Promise.race([answered, abandoned])
      .finally(() => {
        clearTimeout(timer);
        sessionSignal.removeEventListener('abort', stop);
        spec.endedAt = this.now();
        const durationMs = spec.endedAt - spec.startedAt;
        this.spentMs += durationMs;
        if (spec.status === 'done') this.options.latency.record(tool.name, durationMs);
        this.emit({ type: 'specEnd', specId: spec.id, tool: spec.tool, canonical: spec.canonical, status: spec.status === 'running' ? 'done' : (spec.status as 'done' | 'error' | 'cancelled' | 'timeout'), durationMs, at: spec.endedAt });
      });
    for (const evicted of this.cache.add(key, spec)) this.cancel(evicted, 'unclaimed');
    this.metrics.fired++;
    this.emit({ type: 'specStart', specId: spec.id, tool: tool.name, canonical: intent.canonical, ruleId: intent.ruleId, at: startedAt });
  }

  private cancel(spec: CachedSpeculation, reason: 'unclaimed' | 'other-arguments' | 'invalidated'): void {
    if (spec.claimed || spec.status === 'cancelled') return;
    const wastedMs = (spec.endedAt ?? this.now()) - spec.startedAt;
    if (spec.status === 'running') spec.controller.abort();
    spec.status = 'cancelled';
    this.metrics.misfires++;
    this.metrics.wastedMs += wastedMs;
    this.options.calibration?.record(spec.ruleId, false);
    this.emit({ type: 'misfire', specId: spec.id, tool: spec.tool, canonical: spec.canonical, ruleId: spec.ruleId, wastedMs, reason });
  }

  private runningEstimate(): number {
    let ms = 0;
    for (const s of this.cache.unclaimed()) if (s.status === 'running' && s.turn === this.turn) ms += this.options.latency.typical(s.tool);
    return ms;
  }

  private emit(event: SpeculationEvent): void {
    this.options.onEvent?.(event);
  }
}

/** Longest a claim waits on a tool's freshness check (a stat, a `git status`) before calling its result stale. */
const FRESHNESS_CHECK_MS = 5_000;

/**
 * Whether a result is still fresh, asked of the tool with a time limit: a check that errs or does
 * not answer in time counts as stale, so the formal call runs the tool itself instead of waiting.
 */
async function freshWithin(isFresh: () => Promise<boolean>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([isFresh().catch(() => false), late]);
  } finally {
    clearTimeout(timer);
  }
}
