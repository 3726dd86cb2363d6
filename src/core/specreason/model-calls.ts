import type OpenAI from 'openai';
import type { ChatMessage, ToolSpec } from '../chat/types.js';
import { streamChat } from '../stream/chat-stream.js';
import type { StreamError } from '../stream/events.js';
import { toStreamError } from '../stream/stream-error.js';
import type { SpecReasonExchange } from './spec-exchange.js';
import { CONTINUATION_FIELDS, continuationMessages, judgeMessages, type JudgeInput } from './spec-prompts.js';
import { scoreJudgeToken, type JudgeToken, type ScoringMethod, type StepScore } from './step-score.js';
import { StepSplitter, countTokens, type ReasoningStep } from './step-splitter.js';

/** One model SpecReason talks to: a client of its endpoint, the model name, extra body fields for its server. */
export interface SpecReasonRole {
  client: OpenAI;
  model: string;
  extraBody?: Record<string, unknown>;
}

/** The parts of the turn's request every call of the turn repeats. */
export interface TurnRequest {
  messages: readonly ChatMessage[];
  tools?: ToolSpec[];
  temperature?: number;
  extraBody?: Record<string, unknown>;
}

/**
 * A step written by a model, or why it could not be. `closed`: the model ended its reasoning
 * (`</think>`, answer text or a tool call, or it stopped) right after this step. `restarted`: the
 * server started a new reasoning instead of continuing the prefill. `receivedTokens`: all the
 * text received, the part past the step's end included (the model's cost, not the step's size).
 */
export type StepWrite =
  | { kind: 'step'; step: ReasoningStep; closed: boolean; ms: number; receivedTokens: number }
  | { kind: 'failed'; error: StreamError; restarted: boolean; ms: number; receivedTokens: number };

/**
 * Asks `role` for the next step of `reasoning` as a continuation of the assistant prefill,
 * streamed, and stops reading (which aborts the request) as soon as the step is complete.
 */
export async function writeStep(
  role: SpecReasonRole,
  turn: TurnRequest,
  reasoning: string,
  stepTokenLimit: number,
  now: () => number,
  signal?: AbortSignal,
  onExchange?: (e: SpecReasonExchange) => void,
): Promise<StepWrite> {
  const started = now();
  const messages = continuationMessages(turn.messages, reasoning);
  let content = '';
  let call: { id: string; name: string } | undefined;
  let finishReason: string | undefined;
  const splitter = new StepSplitter(stepTokenLimit);
  let step: ReasoningStep | undefined;
  let closed = false;
  let error: StreamError | undefined;
  let received = '';
  const events = streamChat(
    role.client,
    {
      model: role.model,
      messages,
      ...(turn.tools ? { tools: turn.tools } : {}),
      ...(turn.temperature !== undefined ? { temperature: turn.temperature } : {}),
      extraBody: { ...turn.extraBody, ...role.extraBody, max_tokens: stepTokenLimit, ...CONTINUATION_FIELDS },
    },
    { assumeThinking: true, ...(signal ? { signal } : {}) },
  );
  read: for await (const e of events) {
    switch (e.type) {
      case 'reasoning':
      case 'contentWasReasoning':
        received += e.text;
        step = splitter.push(e.text)[0];
        if (step) break read;
        break;
      case 'content':
        content += e.text;
        if (e.text.trim().length === 0) break;
        closed = true;
        break read;
      case 'toolCallStarted':
        call = { id: e.id, name: e.name };
        closed = true;
        break read;
      case 'finish':
        finishReason = e.reason;
        // 'length' is the step's token limit; anything else means the model stopped thinking.
        if (e.reason !== 'length') closed = true;
        break read;
      case 'error':
        error = e.error;
        break read;
      default:
        break;
    }
  }
  const ms = now() - started;
  if (error) return { kind: 'failed', error, restarted: false, ms, receivedTokens: countTokens(received) };
  if (!step) {
    const rest = splitter.flush();
    step = rest ? { ...rest, end: closed ? 'streamEnd' : 'tokenLimit' } : { text: '', tokens: 0, end: 'streamEnd' };
  }
  if (restartsReasoning(reasoning, step.text)) {
    return { kind: 'failed', error: { kind: 'protocol', message: 'the answer began a new reasoning instead of continuing the one sent' }, restarted: true, ms, receivedTokens: countTokens(received) };
  }
  onExchange?.({
    model: role.model,
    messages,
    continuation: true,
    answer: {
      ...(received ? { reasoning: received } : {}),
      ...(content ? { content } : {}),
      ...(call ? { toolCalls: [{ ...call, arguments: '' }] } : {}),
      ...(finishReason ? { finishReason } : {}),
    },
  });
  return { kind: 'step', step, closed, ms, receivedTokens: countTokens(received) };
}

/**
 * Whether a continuation looks like a new start: it opens `<think>` again, or it repeats the
 * first words of the reasoning it was meant to continue (a server that ignored the prefill).
 */
export function restartsReasoning(reasoning: string, continuation: string): boolean {
  const next = continuation.trimStart();
  if (next.startsWith('<think>')) return true;
  const head = reasoning.trimStart().slice(0, 32);
  return head.length >= 24 && next.startsWith(head);
}

/** The judge's verdict, or why there is none. */
export type JudgeCall =
  | { kind: 'judged'; score: StepScore; ms: number }
  | { kind: 'noLogprobs'; ms: number }
  | { kind: 'failed'; error: StreamError; ms: number };

/** Asks the base model to score a step in one token, with its top alternatives' logprobs. */
export async function judgeStep(
  role: SpecReasonRole,
  turn: TurnRequest,
  input: JudgeInput,
  method: ScoringMethod,
  topLogprobs: number,
  now: () => number,
  signal?: AbortSignal,
  onExchange?: (e: SpecReasonExchange) => void,
): Promise<JudgeCall> {
  const started = now();
  const messages = judgeMessages(input);
  const body = {
    ...turn.extraBody,
    ...role.extraBody,
    model: role.model,
    messages,
    max_tokens: 1,
    temperature: 0,
    logprobs: true,
    top_logprobs: topLogprobs,
    stream: false,
    ...CONTINUATION_FIELDS,
  };
  try {
    const response = await role.client.chat.completions.create(body as unknown as OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming, signal ? { signal } : undefined);
    const ms = now() - started;
    const entry = (response.choices?.[0]?.logprobs?.content ?? [])[0] as JudgeToken | undefined;
    if (!entry || typeof entry.token !== 'string') return { kind: 'noLogprobs', ms };
    const top = (entry.top_logprobs ?? []).map((t) => ({ token: t.token, logprob: t.logprob }));
    onExchange?.({ model: role.model, messages, continuation: true, answer: { content: entry.token, logprobs: [{ token: entry.token, logprob: entry.logprob, top_logprobs: top }] } });
    return { kind: 'judged', score: scoreJudgeToken(entry, method), ms };
  } catch (err) {
    return { kind: 'failed', error: toStreamError(err, role.client.baseURL), ms: now() - started };
  }
}
