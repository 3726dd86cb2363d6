import type OpenAI from 'openai';
import { AsyncQueue } from '../util/async-queue.js';
import type { AssistantMessage, ChatMessage, ToolCall, ToolMessage } from '../chat/types.js';
import type { RawChunk, SessionEvent } from '../session/format.js';
import { streamChat } from '../stream/chat-stream.js';
import type { Rule } from '../rules/rule-ast.js';
import type { ArgumentNormalizer } from '../schema/argument-normalizer.js';
import { Sniffer } from '../sniff/sniffer.js';
import type { Calibration } from '../speculation/calibration.js';
import type { LatencyStats } from '../speculation/latency-stats.js';
import type { SpeculationEvent } from '../speculation/speculation-events.js';
import type { SpeculationPolicy } from '../speculation/speculation-policy.js';
import { TurnSpeculator } from '../speculation/turn-speculator.js';
import type { StreamError } from '../stream/events.js';
import type { AgentEvent, AgentStopReason, SpeculativeServe } from './agent-events.js';
import { toToolSpec, type Tool } from './tool.js';

/** What the agent loop tells a session recording; SessionWriter satisfies it. */
export interface RunRecorder {
  request(turn: number, messages: ChatMessage[]): void;
  chunk(turn: number, chunk: RawChunk): void;
  event(turn: number, event: SessionEvent): void;
}

export interface AgentOptions {
  client: OpenAI;
  model: string;
  messages: ChatMessage[];
  tools: Tool[];
  /** Most model calls in this run; each tool round is one. */
  maxSteps?: number;
  extraBody?: Record<string, unknown>;
  temperature?: number;
  signal?: AbortSignal;
  recorder?: RunRecorder;
  assumeThinking?: boolean;
  /** The clock, injectable for tests; milliseconds. */
  now?: () => number;
  /** Read the reasoning and run predicted read-only calls early; off when absent. */
  speculation?: SpeculationSetup;
}

/** What speculation needs; shared across turns (and runs) so latencies and calibration accumulate. */
export interface SpeculationSetup {
  rules: readonly Rule[];
  normalizer: ArgumentNormalizer;
  policy: SpeculationPolicy;
  latency: LatencyStats;
  calibration?: Calibration;
  /** Recognise calls from the tool list with no rule (on by default). */
  schemaSniffing?: boolean;
}

interface ToolOutcome {
  call: ToolCall;
  output: string;
  isError: boolean;
}

/**
 * Runs an agent: streams a turn, runs each sealed read-only tool call as soon as it is sealed
 * (so parallel calls run in parallel, and the first runs while later ones still stream), and
 * the others once the turn has finished cleanly; appends
 * the results and streams again, until an answer, the step limit, a stop or an error. The
 * last event is always `done`, carrying the conversation including everything this run added.
 */
export function runAgent(options: AgentOptions): AsyncGenerator<AgentEvent> {
  const queue = new AsyncQueue<AgentEvent>();
  const inner = new AbortController();
  const onOuterAbort = () => inner.abort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (options.signal?.aborted) inner.abort();

  void drive(options, inner.signal, (e) => queue.push(e))
    .catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      queue.push({ type: 'done', reason: 'error', messages: options.messages, error: { kind: 'protocol', message: `Internal error: ${message}` } });
    })
    .finally(() => {
      options.signal?.removeEventListener('abort', onOuterAbort);
      queue.end();
    });

  return (async function* () {
    try {
      yield* queue;
    } finally {
      // The consumer stopped listening (or the run ended): nothing may keep running.
      inner.abort();
    }
  })();
}

async function drive(options: AgentOptions, signal: AbortSignal, emit: (e: AgentEvent) => void): Promise<void> {
  const now = options.now ?? (() => performance.now());
  const messages = [...options.messages];
  const tools = new Map(options.tools.map((t) => [t.name, t]));
  const toolSpecs = options.tools.map(toToolSpec);
  const maxSteps = options.maxSteps ?? 12;
  const recorder = options.recorder;

  const finish = (reason: AgentStopReason, error?: StreamError) => {
    emit({ type: 'done', reason, messages, ...(error ? { error } : {}) });
  };

  for (let turn = 0; turn < maxSteps; turn++) {
    emit({ type: 'turnStart', turn, messages: [...messages] });
    recorder?.request(turn, messages);
    let reasoning = '';
    let content = '';
    let finishReason = '';
    const calls: ToolCall[] = [];
    const running: Promise<ToolOutcome>[] = [];
    const deferred: ToolCall[] = [];
    let failure: StreamError | undefined;
    const turnAbort = new AbortController();
    const stopTools = () => turnAbort.abort();
    signal.addEventListener('abort', stopTools, { once: true });
    const spec = options.speculation ? startSpeculation(options.speculation, tools, toolSpecs, turn, turnAbort.signal, now, emit, recorder) : undefined;
    const ctx: ToolContext = { tools, turn, signal: turnAbort.signal, now, emit, recorder, speculator: spec?.speculator };

    const stream = streamChat(
      options.client,
      {
        model: options.model,
        messages,
        tools: toolSpecs,
        ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
        ...(options.extraBody ? { extraBody: options.extraBody } : {}),
      },
      { signal, onChunk: (c) => recorder?.chunk(turn, c), assumeThinking: options.assumeThinking ?? false },
    );
    for await (const event of stream) {
      emit({ type: 'stream', turn, event });
      switch (event.type) {
        case 'reasoning':
          reasoning += event.text;
          spec?.sniff(event.text);
          break;
        case 'contentWasReasoning':
          reasoning += event.text;
          content = content.slice(event.text.length);
          spec?.sniff(event.text);
          break;
        case 'content':
          spec?.reasoningEnded();
          content += event.text;
          break;
        case 'toolCallStarted':
          spec?.reasoningEnded();
          break;
        case 'toolCallSealed':
          calls.push(event.call);
          // A read-only call runs (or is served from speculation) as soon as it is sealed; one
          // that changes things waits until the turn has finished cleanly, so a broken stream
          // never leaves it half-done.
          if (tools.get(event.call.name)?.readOnly) running.push(serveCall(ctx, event.call));
          else deferred.push(event.call);
          break;
        case 'finish':
          spec?.reasoningEnded();
          spec?.speculator.callsComplete();
          finishReason = event.reason;
          break;
        case 'error':
          failure = event.error;
          break;
        case 'toolCallDelta':
        case 'usage':
          break;
      }
    }
    if (failure) {
      // Tool runs of a failed turn are abandoned: the model will never see their results.
      turnAbort.abort();
      await Promise.allSettled(running);
      signal.removeEventListener('abort', stopTools);
      spec?.end();
      recorder?.event(turn, { type: 'error', message: failure.message, ...(failure.status ? { status: failure.status } : {}) });
      finish(failure.kind === 'aborted' ? 'stopped' : 'error', failure.kind === 'aborted' ? undefined : failure);
      return;
    }
    const assistant: AssistantMessage = { role: 'assistant', content: content.trim().length > 0 ? content.trim() : null };
    if (reasoning.length > 0) assistant.reasoning_content = reasoning;
    if (calls.length > 0) {
      assistant.tool_calls = calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
    }
    messages.push(assistant);
    recorder?.event(turn, { type: 'turnEnd', finishReason });
    emit({ type: 'turnEnd', turn, finishReason, message: assistant });
    if (calls.length === 0) {
      signal.removeEventListener('abort', stopTools);
      spec?.end();
      finish('answer');
      return;
    }
    if (deferred.length > 0) {
      // Something is about to change: no speculative result computed before can be trusted.
      await Promise.allSettled(running);
      spec?.speculator.invalidate();
      for (const call of deferred) running.push(serveCall(ctx, call));
    }
    const settled = await Promise.all(running);
    signal.removeEventListener('abort', stopTools);
    spec?.end();
    if (signal.aborted) {
      finish('stopped');
      return;
    }
    // Tool messages follow the order of the calls, whatever order the runs finished in.
    for (const c of calls) {
      const o = settled.find((x) => x.call.id === c.id);
      if (!o) continue;
      const toolMessage: ToolMessage = { role: 'tool', tool_call_id: o.call.id, content: o.output };
      messages.push(toolMessage);
    }
  }
  finish('maxSteps');
}

interface ToolContext {
  tools: Map<string, Tool>;
  turn: number;
  signal: AbortSignal;
  now: () => number;
  emit: (e: AgentEvent) => void;
  recorder: RunRecorder | undefined;
  speculator: TurnSpeculator | undefined;
}

/** Serves a sealed call: from a speculation when one matches exactly, else by running the tool. */
async function serveCall(ctx: ToolContext, call: ToolCall): Promise<ToolOutcome> {
  const claim = ctx.speculator ? await ctx.speculator.claim(call) : undefined;
  if (claim && (claim.outcome === 'hit' || claim.outcome === 'partial')) {
    const startedAt = ctx.now();
    ctx.emit({ type: 'toolStart', turn: ctx.turn, call, startedAt });
    const speculative: SpeculativeServe = { outcome: claim.outcome, savedMs: claim.savedMs };
    const recorded = claim.result.recorded ?? ctx.tools.get(call.name)?.recorded ?? false;
    return finishTool(ctx, call, { output: claim.result.output, isError: claim.result.isError, recorded, startedAt, durationMs: ctx.now() - startedAt, speculative });
  }
  const outcome = await runTool(ctx, call);
  return outcome;
}

async function runTool(ctx: ToolContext, call: ToolCall): Promise<ToolOutcome> {
  const startedAt = ctx.now();
  ctx.emit({ type: 'toolStart', turn: ctx.turn, call, startedAt });
  ctx.recorder?.event(ctx.turn, { type: 'toolStart', callId: call.id, name: call.name, arguments: call.arguments });
  const tool = ctx.tools.get(call.name);
  let output: string;
  let isError = false;
  let recorded = false;
  if (!tool) {
    output = `Error: there is no tool named "${call.name}". Available tools: ${[...ctx.tools.keys()].join(', ') || 'none'}.`;
    isError = true;
  } else {
    const args = parseArguments(call.arguments);
    if (typeof args === 'string') {
      output = `Error: ${args}`;
      isError = true;
    } else {
      try {
        const result = await tool.run(args, ctx.signal);
        output = result.output;
        isError = result.isError;
        recorded = result.recorded ?? tool.recorded ?? false;
      } catch (err) {
        output = `Error: ${call.name} failed: ${err instanceof Error ? err.message : String(err)}`;
        isError = true;
      }
    }
  }
  const durationMs = ctx.now() - startedAt;
  ctx.speculator?.recordFormalRun(durationMs);
  return finishTool(ctx, call, { output, isError, recorded, startedAt, durationMs });
}

function finishTool(
  ctx: ToolContext,
  call: ToolCall,
  r: { output: string; isError: boolean; recorded: boolean; startedAt: number; durationMs: number; speculative?: SpeculativeServe },
): ToolOutcome {
  ctx.emit({ type: 'toolEnd', turn: ctx.turn, call, ...r });
  ctx.recorder?.event(ctx.turn, {
    type: 'toolResult',
    callId: call.id,
    name: call.name,
    arguments: call.arguments,
    output: r.output,
    isError: r.isError,
    durationMs: r.durationMs,
    ...(r.recorded ? { recorded: r.recorded } : {}),
    ...(r.speculative ? { speculative: r.speculative } : {}),
  });
  return { call, output: r.output, isError: r.isError };
}

/** A turn's sniffer and speculator, fed the reasoning as it streams. */
function startSpeculation(
  setup: SpeculationSetup,
  tools: Map<string, Tool>,
  toolSpecs: ReturnType<typeof toToolSpec>[],
  turn: number,
  signal: AbortSignal,
  now: () => number,
  emit: (e: AgentEvent) => void,
  recorder: RunRecorder | undefined,
) {
  const onEvent = (event: SpeculationEvent) => {
    emit({ type: 'speculation', turn, event });
    recorder?.event(turn, { type: 'speculation', event });
  };
  const speculator = new TurnSpeculator({
    tools,
    normalizer: setup.normalizer,
    policy: setup.policy,
    latency: setup.latency,
    ...(setup.calibration ? { calibration: setup.calibration } : {}),
    signal,
    now,
    onEvent,
  });
  const sniffer = new Sniffer({ rules: setup.rules, tools: toolSpecs, normalizer: setup.normalizer, schemaSniffing: setup.schemaSniffing ?? true });
  let open = true;
  let ended = false;
  return {
    speculator,
    sniff(text: string) {
      for (const intent of sniffer.push(text)) speculator.consider(intent);
    },
    /** The reasoning is over: matches held back at its end are final now. */
    reasoningEnded() {
      if (!open) return;
      open = false;
      for (const intent of sniffer.flush()) speculator.consider(intent);
    },
    end() {
      if (ended) return;
      ended = true;
      const metrics = speculator.end();
      emit({ type: 'turnMetrics', turn, metrics });
      recorder?.event(turn, { type: 'turnMetrics', metrics });
    },
  };
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
