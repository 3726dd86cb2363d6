import type { ToolCall, ChatMessage, ToolSpec } from '../chat/types.js';
import type { Rule } from '../rules/rule-ast.js';
import type { ArgumentNormalizer } from '../schema/argument-normalizer.js';
import { Sniffer } from '../sniff/sniffer.js';
import type { Calibration } from '../speculation/calibration.js';
import type { LatencyStats } from '../speculation/latency-stats.js';
import type { SpeculationCache } from '../speculation/speculation-cache.js';
import type { SpeculationEvent, TurnSpeculationMetrics } from '../speculation/speculation-events.js';
import type { SpeculationPolicy } from '../speculation/speculation-policy.js';
import { TurnSpeculator } from '../speculation/turn-speculator.js';
import type { StreamEvent } from '../stream/events.js';
import { matchesAnyGlob } from '../util/glob.js';
import type { Tool } from '../chat/tool.js';
import { markAnsweredCalls } from './answered-calls.js';

/** What speculation needs; shared across turns (and runs) so latencies and calibration accumulate. */
export interface SpeculationSetup {
  rules: readonly Rule[];
  normalizer: ArgumentNormalizer;
  policy: SpeculationPolicy;
  latency: LatencyStats;
  calibration?: Calibration;
  /** Recognise calls from the tool list with no rule (on by default). */
  schemaSniffing?: boolean;
  /** Open-world read-only tools (globs) the user lets run early; none by default. */
  openWorldTools?: readonly string[];
}

/** How a speculative result served a formal call. */
export interface SpeculativeServe {
  outcome: 'hit' | 'partial';
  /** Tool time the formal call did not have to wait for (`earlyRunServe`). */
  savedMs: number;
  /** From the formal call to its result: what is left of the early run's time after the seal. */
  waitedMs: number;
  /** Fired in an earlier turn of the session. */
  crossTurn?: boolean;
}

/** A served call's result, in the order the model made the calls. */
export interface ServedCall {
  call: ToolCall;
  output: string;
  isError: boolean;
}

/**
 * Everything one turn's engine does, in order. `pos` counts the characters streamed so far
 * (reasoning, answer, call arguments), `t` is the engine's clock.
 */
export type EngineStep =
  | { type: 'speculation'; event: SpeculationEvent; pos: number; t: number }
  | { type: 'sealed'; call: ToolCall; pos: number; t: number }
  /** `speculative`: served from a speculation rather than run now. */
  | { type: 'toolStart'; call: ToolCall; startedAt: number; speculative: boolean }
  | {
      type: 'toolEnd';
      call: ToolCall;
      output: string;
      isError: boolean;
      recorded: boolean;
      /** When the formal call began to be served (its seal, or its turn in line behind a change). */
      startedAt: number;
      /**
       * The tool's own run time: for a call served from an early run, that run's duration (the
       * wait is `speculative.waitedMs`). Recordings keep it, so replays take the tool's real time.
       */
      durationMs: number;
      speculative?: SpeculativeServe;
    }
  | { type: 'turnMetrics'; metrics: TurnSpeculationMetrics };

export interface TurnEngineOptions {
  turn: number;
  tools: ReadonlyMap<string, Tool>;
  toolSpecs: readonly ToolSpec[];
  /** The request's messages: calls already answered in them are not predicted again. */
  messages: readonly ChatMessage[];
  /** Speculate with these rules and this session cache; off when absent. */
  speculation?: { setup: SpeculationSetup; cache: SpeculationCache };
  /** Stops this turn's tool runs. */
  signal: AbortSignal;
  now: () => number;
  onStep: (step: EngineStep) => void;
}

/**
 * One turn through the engine, whether it streams live or is replayed from a recording:
 * reasoning is sniffed as it arrives and each intent goes to the speculator; a sealed call is
 * served (from a speculation when one matches exactly, else by running the tool). Read-only
 * calls are served as soon as they are sealed, so parallel calls run in parallel; a call
 * that may change things, and every call listed after one, waits until the turn finished
 * cleanly and then runs in order, with speculative results dropped before each change, so a
 * read after a write never sees a result from before it. The agent loop, `eval`, the trace
 * and the rule figures all drive turns through this one class.
 */
export class TurnEngine {
  private readonly sniffer: Sniffer | undefined;
  private readonly speculator: TurnSpeculator | undefined;
  private reasoningOpen = true;
  private pos = 0;
  private readonly calls: ToolCall[] = [];
  private readonly running: Promise<ServedCall>[] = [];
  private readonly deferred: ToolCall[] = [];
  private ended = false;

  constructor(private readonly options: TurnEngineOptions) {
    const spec = options.speculation;
    if (!spec) return;
    const { setup, cache } = spec;
    markAnsweredCalls(cache, options.messages, options.toolSpecs, setup.normalizer);
    const openWorld = setup.openWorldTools ?? [];
    this.speculator = new TurnSpeculator({
      tools: options.tools,
      normalizer: setup.normalizer,
      policy: setup.policy,
      latency: setup.latency,
      ...(setup.calibration ? { calibration: setup.calibration } : {}),
      cache,
      turn: options.turn,
      openWorldAllowed: (tool) => matchesAnyGlob(tool, openWorld),
      signal: cache.signal,
      now: options.now,
      onEvent: (event) => options.onStep({ type: 'speculation', event, pos: this.pos, t: options.now() }),
    });
    this.sniffer = new Sniffer({ rules: setup.rules, tools: options.toolSpecs, normalizer: setup.normalizer, schemaSniffing: setup.schemaSniffing ?? true });
  }

  /** Characters streamed in this turn so far: reasoning, answer and call arguments. */
  get streamedChars(): number {
    return this.pos;
  }

  /** The calls the model made this turn, in order. */
  get madeCalls(): readonly ToolCall[] {
    return this.calls;
  }

  /** Feeds one event of the model's stream. */
  push(event: StreamEvent): void {
    switch (event.type) {
      case 'reasoning':
        this.pos += event.text.length;
        this.sniff(event.text);
        return;
      case 'contentWasReasoning':
        this.sniff(event.text);
        return;
      case 'content':
        this.reasoningEnded();
        this.pos += event.text.length;
        return;
      case 'toolCallStarted':
        this.reasoningEnded();
        return;
      case 'toolCallDelta':
        this.pos += event.argumentsDelta.length;
        return;
      case 'toolCallSealed':
        this.seal(event.call);
        return;
      case 'finish':
        this.reasoningEnded();
        return;
      case 'usage':
      case 'error':
        return;
    }
  }

  /**
   * The turn finished cleanly: serves the calls still waiting, in order, and returns every
   * call's result in the order the model made them.
   */
  async complete(): Promise<ServedCall[]> {
    this.reasoningEnded();
    if (this.deferred.length > 0) {
      await Promise.allSettled(this.running);
      for (const call of this.deferred) {
        const tool = this.options.tools.get(call.name);
        // Something is about to change: no speculative result computed before can be trusted.
        if (!tool?.readOnly) this.speculator?.invalidate();
        const served = this.serve(call);
        this.running.push(served);
        await served;
      }
    }
    const settled = await Promise.all(this.running);
    return this.calls.flatMap((c) => settled.filter((s) => s.call.id === c.id).slice(0, 1));
  }

  /** The turn failed or was stopped: waits for runs already started (they were told to stop). */
  async abandon(): Promise<void> {
    await Promise.allSettled(this.running);
  }

  /**
   * Ends the turn and reports its figures. `lastOfSession`: no later turn will claim anything,
   * so unclaimed results count as misfires now.
   */
  end(lastOfSession: boolean): TurnSpeculationMetrics | undefined {
    if (this.ended || !this.speculator) return undefined;
    this.ended = true;
    this.reasoningEnded();
    if (lastOfSession) this.speculator.closeSession();
    const metrics = this.speculator.end();
    this.options.onStep({ type: 'turnMetrics', metrics });
    return metrics;
  }

  private sniff(text: string): void {
    if (!this.sniffer || !this.speculator) return;
    for (const intent of this.sniffer.push(text)) this.speculator.consider(intent);
  }

  /** The reasoning is over: matches held back at its end are final now. */
  private reasoningEnded(): void {
    if (!this.reasoningOpen) return;
    this.reasoningOpen = false;
    if (!this.sniffer || !this.speculator) return;
    for (const intent of this.sniffer.flush()) this.speculator.consider(intent);
  }

  private seal(call: ToolCall): void {
    this.reasoningEnded();
    this.calls.push(call);
    this.options.onStep({ type: 'sealed', call, pos: this.pos, t: this.options.now() });
    const readOnly = this.options.tools.get(call.name)?.readOnly === true;
    // A read-only call runs (or is served from speculation) as soon as it is sealed, unless a
    // call before it may change things; that one and all after it wait for a clean finish, so
    // a broken stream never leaves a change half-done and order is kept around changes.
    if (readOnly && this.deferred.length === 0) this.running.push(this.serve(call));
    else this.deferred.push(call);
  }

  private async serve(call: ToolCall): Promise<ServedCall> {
    const startedAt = this.options.now();
    const claim = this.speculator ? await this.speculator.claim(call) : undefined;
    if (claim && (claim.outcome === 'hit' || claim.outcome === 'partial')) {
      this.options.onStep({ type: 'toolStart', call, startedAt, speculative: true });
      const speculative: SpeculativeServe = { outcome: claim.outcome, savedMs: claim.savedMs, waitedMs: claim.waitedMs, ...(claim.crossTurn ? { crossTurn: true } : {}) };
      const recorded = claim.result.recorded ?? this.options.tools.get(call.name)?.recorded ?? false;
      return this.finishTool(call, { output: claim.result.output, isError: claim.result.isError, recorded, startedAt, durationMs: claim.toolMs, speculative });
    }
    return this.runTool(call);
  }

  private async runTool(call: ToolCall): Promise<ServedCall> {
    const now = this.options.now;
    const startedAt = now();
    this.options.onStep({ type: 'toolStart', call, startedAt, speculative: false });
    const tool = this.options.tools.get(call.name);
    let output: string;
    let isError = false;
    let recorded = false;
    if (!tool) {
      output = `Error: there is no tool named "${call.name}". Available tools: ${[...this.options.tools.keys()].join(', ') || 'none'}.`;
      isError = true;
    } else {
      const args = parseArguments(call.arguments);
      if (typeof args === 'string') {
        output = `Error: ${args}`;
        isError = true;
      } else {
        try {
          const result = await tool.run(args, this.options.signal);
          output = result.output;
          isError = result.isError;
          recorded = result.recorded ?? tool.recorded ?? false;
        } catch (err) {
          output = `Error: ${call.name} failed: ${err instanceof Error ? err.message : String(err)}`;
          isError = true;
        }
      }
    }
    const durationMs = now() - startedAt;
    this.speculator?.recordFormalRun(durationMs);
    return this.finishTool(call, { output, isError, recorded, startedAt, durationMs });
  }

  private finishTool(call: ToolCall, r: { output: string; isError: boolean; recorded: boolean; startedAt: number; durationMs: number; speculative?: SpeculativeServe }): ServedCall {
    this.options.onStep({ type: 'toolEnd', call, ...r });
    return { call, output: r.output, isError: r.isError };
  }
}

/** Parses a call's arguments; an error message (for the model) when they are not a JSON object. */
export function parseArguments(text: string): Record<string, unknown> | string {
  if (text.trim().length === 0) return {};
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    return `the arguments must be a JSON object, got ${Array.isArray(value) ? 'an array' : typeof value}.`;
  } catch (err) {
    return `the arguments are not valid JSON (${err instanceof Error ? err.message : String(err)}): ${text.slice(0, 200)}`;
  }
}
