import type { Tool, ToolResult } from '../agent/tool.js';
import type { ToolCall } from '../chat/types.js';
import type { ArgumentNormalizer } from '../schema/argument-normalizer.js';
import { intentKey, type Intent } from '../sniff/intent.js';
import type { Calibration } from './calibration.js';
import type { LatencyStats } from './latency-stats.js';
import { emptyMetrics, type ClaimOutcome, type SpeculationEvent, type TurnSpeculationMetrics } from './speculation-events.js';
import { decideToFire, type SpeculationPolicy } from './speculation-policy.js';

export interface TurnSpeculatorOptions {
  tools: ReadonlyMap<string, Tool>;
  normalizer: ArgumentNormalizer;
  policy: SpeculationPolicy;
  latency: LatencyStats;
  calibration?: Calibration;
  /** Ends every speculation of the turn (the user stopped, the run ended). */
  signal: AbortSignal;
  now?: () => number;
  onEvent?: (event: SpeculationEvent) => void;
}

interface Speculation {
  id: number;
  tool: string;
  canonical: string;
  ruleId: string;
  startedAt: number;
  endedAt?: number;
  controller: AbortController;
  /** Settles with the result, or undefined when the run failed or was cancelled. */
  done: Promise<ToolResult | undefined>;
  result?: ToolResult;
  status: 'running' | 'done' | 'error' | 'cancelled' | 'timeout';
  claimed: boolean;
}

/** How a formal call is to be served: from a speculation, or by running the tool as usual. */
export type Claim =
  | { outcome: 'hit' | 'partial'; result: ToolResult; savedMs: number; specId: number }
  | { outcome: 'miss' | 'stale' };

/**
 * One turn's speculation: decides which predicted calls run early (default deny: only
 * read-only tools; warm rules only warm), runs them with a signal, a timeout, the turn's
 * budget and a concurrency cap, and serves formal calls from the cache by exact (tool,
 * canonical arguments): finished is a hit, running is awaited (partial), anything else a miss.
 * Everything it does is reported as events and counted.
 */
export class TurnSpeculator {
  private readonly specs = new Map<string, Speculation>();
  private readonly warmed = new Set<string>();
  /** Tools the model has formally called this turn. */
  private readonly calledTools = new Set<string>();
  private readonly metrics: TurnSpeculationMetrics = emptyMetrics();
  private readonly now: () => number;
  private nextId = 1;
  private spentMs = 0;
  private ended = false;
  private readonly onAbort = () => this.cancelAll('unclaimed');

  constructor(private readonly options: TurnSpeculatorOptions) {
    this.now = options.now ?? (() => performance.now());
    options.signal.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Considers one intent: fire, warm, block or skip it. */
  consider(intent: Intent): void {
    if (this.ended) return;
    this.metrics.intents++;
    const tool = this.options.tools.get(intent.tool);
    const probability = this.options.calibration?.probability(intent.ruleId, intent.confidence) ?? intent.confidence;
    const report = (decision: Extract<SpeculationEvent, { type: 'intent' }>['decision']) => this.emit({ type: 'intent', intent, decision, probability });
    if (!tool) return report('unknown-tool');
    if (intent.kind === 'warm') {
      if (!this.warmed.has(tool.name)) {
        this.warmed.add(tool.name);
        this.metrics.warmups++;
        // Warming never runs the tool; a failure only loses the head start.
        tool.warm?.(this.options.signal).catch(() => undefined);
        this.emit({ type: 'warm', tool: tool.name, ruleId: intent.ruleId, at: this.now() });
      }
      return report('warmed');
    }
    if (!tool.readOnly) {
      this.metrics.blocked++;
      return report('blocked');
    }
    const key = intentKey(intent.tool, intent.canonical);
    if (this.specs.has(key)) return report('already-cached');
    const running = [...this.specs.values()].filter((s) => s.status === 'running').length;
    const decision = decideToFire(probability, this.options.latency.typical(tool.name), { budgetLeftMs: this.options.policy.budgetMsPerTurn - this.spentMs - this.runningEstimate(), running }, this.options.policy);
    if (!decision.fire) return report(decision.reason);
    this.fire(tool, intent, key);
    report('fired');
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
    const spec = this.specs.get(key);
    const miss = (outcome: 'miss' | 'stale'): Claim => {
      if (outcome === 'miss') this.metrics.misses++;
      else this.metrics.stale++;
      this.emit({ type: 'claim', callId: call.id, tool: call.name, canonical, outcome, ...(spec ? { specId: spec.id } : {}), savedMs: 0, ttaMs: 0, at: sealedAt });
      return { outcome };
    };
    this.metrics.calls++;
    if (!spec || spec.claimed || spec.status === 'cancelled') return miss('miss');
    spec.claimed = true;
    const wasRunning = spec.status === 'running';
    const result = await spec.done;
    const available = this.now();
    if (!result || result.isError) return miss('miss');
    if (result.isFresh && !(await result.isFresh())) return miss('stale');
    const duration = (spec.endedAt ?? available) - spec.startedAt;
    const outcome: ClaimOutcome = wasRunning ? 'partial' : 'hit';
    const ttaMs = Math.max(0, available - sealedAt);
    const savedMs = Math.max(0, duration - ttaMs);
    if (outcome === 'hit') this.metrics.hits++;
    else this.metrics.partialHits++;
    this.metrics.savedMs += savedMs;
    this.metrics.ttaMs += ttaMs;
    this.metrics.ttaWithoutMs += duration;
    this.options.calibration?.record(spec.ruleId, true);
    this.emit({ type: 'claim', callId: call.id, tool: call.name, canonical, outcome, specId: spec.id, savedMs, ttaMs, at: sealedAt });
    return { outcome, result, savedMs, specId: spec.id };
  }

  /** Adds a formal run's time to Time-to-Action (a miss ran the tool after sealing). */
  recordFormalRun(durationMs: number): void {
    this.metrics.ttaMs += durationMs;
    this.metrics.ttaWithoutMs += durationMs;
  }

  /**
   * The response's tool calls are all sealed (`finish_reason`): whatever is unclaimed now will
   * never be claimed in this turn, so it stops here rather than at the turn's end. Not at the
   * first call with other arguments: a later call of the same response may be exactly the
   * speculated one (parallel calls of one tool).
   */
  callsComplete(): void {
    for (const s of this.specs.values()) if (!s.claimed) this.cancel(s, this.calledTools.has(s.tool) ? 'other-arguments' : 'unclaimed');
  }

  /** A tool that changes things is about to run: nothing speculated so far can be trusted. */
  invalidate(): void {
    this.cancelAll('invalidated');
    this.specs.clear();
  }

  /** Ends the turn: unclaimed speculations are cancelled and counted as misfires. */
  end(): TurnSpeculationMetrics {
    if (!this.ended) {
      this.ended = true;
      this.cancelAll('unclaimed');
      this.options.signal.removeEventListener('abort', this.onAbort);
    }
    return { ...this.metrics };
  }

  private fire(tool: Tool, intent: Intent, key: string): void {
    const controller = new AbortController();
    const stop = () => controller.abort();
    this.options.signal.addEventListener('abort', stop, { once: true });
    const timer = setTimeout(() => {
      if (spec.status === 'running') {
        spec.status = 'timeout';
        controller.abort();
      }
    }, this.options.policy.timeoutMs);
    const startedAt = this.now();
    const spec: Speculation = {
      id: this.nextId++,
      tool: tool.name,
      canonical: intent.canonical,
      ruleId: intent.ruleId,
      startedAt,
      controller,
      status: 'running',
      claimed: false,
      done: Promise.resolve(undefined),
    };
    spec.done = tool
      .run(intent.args, controller.signal)
      .then(
        (result) => {
          if (spec.status === 'running') spec.status = result.isError ? 'error' : 'done';
          spec.result = result;
          return spec.status === 'done' ? result : undefined;
        },
        () => {
          if (spec.status === 'running') spec.status = 'error';
          return undefined;
        },
      )
      .finally(() => {
        clearTimeout(timer);
        this.options.signal.removeEventListener('abort', stop);
        spec.endedAt = this.now();
        const durationMs = spec.endedAt - spec.startedAt;
        this.spentMs += durationMs;
        if (spec.status === 'done') this.options.latency.record(tool.name, durationMs);
        this.emit({ type: 'specEnd', specId: spec.id, tool: spec.tool, canonical: spec.canonical, status: spec.status === 'running' ? 'done' : (spec.status as 'done' | 'error' | 'cancelled' | 'timeout'), durationMs, at: spec.endedAt });
      });
    this.specs.set(key, spec);
    this.metrics.fired++;
    this.emit({ type: 'specStart', specId: spec.id, tool: tool.name, canonical: intent.canonical, ruleId: intent.ruleId, at: startedAt });
  }

  private cancelAll(reason: 'unclaimed' | 'invalidated'): void {
    for (const s of this.specs.values()) if (!s.claimed) this.cancel(s, reason);
  }

  private cancel(spec: Speculation, reason: 'unclaimed' | 'other-arguments' | 'invalidated'): void {
    if (spec.claimed || spec.status === 'cancelled') return;
    const wastedMs = (spec.endedAt ?? this.now()) - spec.startedAt;
    if (spec.status === 'running') {
      spec.status = 'cancelled';
      spec.controller.abort();
    } else {
      spec.status = 'cancelled';
    }
    this.metrics.misfires++;
    this.metrics.wastedMs += wastedMs;
    this.options.calibration?.record(spec.ruleId, false);
    this.emit({ type: 'misfire', specId: spec.id, tool: spec.tool, canonical: spec.canonical, ruleId: spec.ruleId, wastedMs, reason });
  }

  private runningEstimate(): number {
    let ms = 0;
    for (const s of this.specs.values()) if (s.status === 'running') ms += this.options.latency.typical(s.tool);
    return ms;
  }

  private emit(event: SpeculationEvent): void {
    this.options.onEvent?.(event);
  }
}
