import type OpenAI from 'openai';
import { AsyncQueue } from '../util/async-queue.js';
import { redactText } from '../util/redact-url.js';
import type { AssistantMessage, ChatMessage, ToolMessage } from '../chat/types.js';
import { TurnEngine, type EngineStep, type SpeculationSetup } from '../engine/turn-engine.js';
import type { SessionEvent } from '../session/format.js';
import type { RawChunk } from '../stream/raw-chunk.js';
import { SpeculationCache } from '../speculation/speculation-cache.js';
import { streamChat, type ChatStreamOptions, type ChatStreamRequest } from '../stream/chat-stream.js';
import type { StreamError, StreamEvent } from '../stream/events.js';
import type { AgentEvent, AgentStopReason, SpecReasonReport } from './agent-events.js';
import { toToolSpec, type Tool } from '../chat/tool.js';

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
  /**
   * Streams each turn instead of `streamChat` on `client` (SpecReason mode: see chat-session's
   * `specReasonTurns`); it yields the same events and never throws. Absent: `streamChat`.
   */
  streamTurn?: TurnStreamer;
}

/** What a turn streamer is told besides the request: `streamChat`'s options and a side channel for SpecReason's events. */
export interface TurnStreamOptions extends ChatStreamOptions {
  onSpecReason?: (event: SpecReasonReport) => void;
}

/** Streams one model call as typed events, like `streamChat`; never throws. */
export type TurnStreamer = (request: ChatStreamRequest, options: TurnStreamOptions) => AsyncIterable<StreamEvent>;

export type { SpeculationSetup } from '../engine/turn-engine.js';

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
      // An internal error may quote the endpoint's URL; keys never reach the user or the log.
      const message = redactText(err instanceof Error ? err.message : String(err));
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
  // Speculative results live for the run: a later turn may claim what an earlier one fired.
  const cache = options.speculation ? new SpeculationCache(signal) : undefined;

  const finish = (reason: AgentStopReason, error?: StreamError) => {
    emit({ type: 'done', reason, messages, ...(error ? { error } : {}) });
  };

  for (let turn = 0; turn < maxSteps; turn++) {
    emit({ type: 'turnStart', turn, messages: [...messages] });
    recorder?.request(turn, messages);
    let reasoning = '';
    let content = '';
    let finishReason = '';
    let failure: StreamError | undefined;
    const turnAbort = new AbortController();
    const stopTools = () => turnAbort.abort();
    signal.addEventListener('abort', stopTools, { once: true });
    const engine = new TurnEngine({
      turn,
      tools,
      toolSpecs,
      messages,
      ...(options.speculation && cache ? { speculation: { setup: options.speculation, cache } } : {}),
      signal: turnAbort.signal,
      now,
      onStep: (step) => report(step, turn, emit, recorder),
    });
    const endTurn = (last: boolean) => {
      signal.removeEventListener('abort', stopTools);
      engine.end(last);
    };

    const request: ChatStreamRequest = {
      model: options.model,
      messages,
      tools: toolSpecs,
      ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
      ...(options.extraBody ? { extraBody: options.extraBody } : {}),
    };
    const streamOptions: ChatStreamOptions = { signal, onChunk: (c) => recorder?.chunk(turn, c), assumeThinking: options.assumeThinking ?? false };
    const stream = options.streamTurn
      ? options.streamTurn(request, { ...streamOptions, onSpecReason: (event) => reportSpecReason(event, turn, emit, recorder) })
      : streamChat(options.client, request, streamOptions);
    for await (const event of stream) {
      emit({ type: 'stream', turn, event });
      engine.push(event);
      switch (event.type) {
        case 'reasoning':
          reasoning += event.text;
          break;
        case 'contentWasReasoning':
          reasoning += event.text;
          content = content.slice(event.text.length);
          break;
        case 'content':
          content += event.text;
          break;
        case 'finish':
          finishReason = event.reason;
          break;
        case 'error':
          failure = event.error;
          break;
        default:
          break;
      }
    }
    if (failure) {
      // Tool runs of a failed turn are abandoned: the model will never see their results.
      turnAbort.abort();
      await engine.abandon();
      endTurn(true);
      recorder?.event(turn, { type: 'error', message: failure.message, ...(failure.status ? { status: failure.status } : {}) });
      finish(failure.kind === 'aborted' ? 'stopped' : 'error', failure.kind === 'aborted' ? undefined : failure);
      return;
    }
    const calls = engine.madeCalls;
    const assistant: AssistantMessage = { role: 'assistant', content: content.trim().length > 0 ? content.trim() : null };
    if (reasoning.length > 0) assistant.reasoning_content = reasoning;
    if (calls.length > 0) {
      assistant.tool_calls = calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
    }
    messages.push(assistant);
    recorder?.event(turn, { type: 'turnEnd', finishReason });
    emit({ type: 'turnEnd', turn, finishReason, message: assistant });
    if (calls.length === 0) {
      endTurn(true);
      finish('answer');
      return;
    }
    const served = await engine.complete();
    endTurn(signal.aborted || turn === maxSteps - 1);
    if (signal.aborted) {
      finish('stopped');
      return;
    }
    // Tool messages follow the order of the calls, whatever order the runs finished in.
    for (const o of served) {
      const toolMessage: ToolMessage = { role: 'tool', tool_call_id: o.call.id, content: o.output };
      messages.push(toolMessage);
    }
  }
  finish('maxSteps');
}

/** Surfaces a SpecReason event; the recording keeps the turn's summary, which holds the steps, figures and any fallback. */
function reportSpecReason(event: SpecReasonReport, turn: number, emit: (e: AgentEvent) => void, recorder: RunRecorder | undefined): void {
  emit({ type: 'specReason', turn, event });
  if (event.type === 'turnSummary') recorder?.event(turn, { type: 'specReason', turn: event.summary });
}

/** Tells the UI and the recording what the engine did. */
function report(step: EngineStep, turn: number, emit: (e: AgentEvent) => void, recorder: RunRecorder | undefined): void {
  switch (step.type) {
    case 'speculation':
      emit({ type: 'speculation', turn, event: step.event });
      recorder?.event(turn, { type: 'speculation', event: step.event });
      return;
    case 'sealed':
      return;
    case 'toolStart':
      emit({ type: 'toolStart', turn, call: step.call, startedAt: step.startedAt });
      if (!step.speculative) recorder?.event(turn, { type: 'toolStart', callId: step.call.id, name: step.call.name, arguments: step.call.arguments });
      return;
    case 'toolEnd': {
      const { type: _t, ...r } = step;
      emit({ type: 'toolEnd', turn, ...r });
      recorder?.event(turn, {
        type: 'toolResult',
        callId: r.call.id,
        name: r.call.name,
        arguments: r.call.arguments,
        output: r.output,
        isError: r.isError,
        durationMs: r.durationMs,
        ...(r.recorded ? { recorded: r.recorded } : {}),
        ...(r.speculative ? { speculative: r.speculative } : {}),
      });
      return;
    }
    case 'turnMetrics':
      emit({ type: 'turnMetrics', turn, metrics: step.metrics });
      recorder?.event(turn, { type: 'turnMetrics', metrics: step.metrics });
      return;
  }
}

export { parseArguments } from '../engine/turn-engine.js';
