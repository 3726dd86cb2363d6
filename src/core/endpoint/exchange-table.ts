import type { ChatMessage } from '../chat/types.js';
import { canonicalArguments, textOfContent } from '../session/message-key.js';
import type { ReplayPiece } from './replay-pieces.js';

/** One alternative of a recorded token's `top_logprobs`. */
export interface RecordedTopLogprob {
  token: string;
  logprob: number;
}

/** One token of a recorded answer's `logprobs.content`. */
export interface RecordedTokenLogprob extends RecordedTopLogprob {
  top_logprobs: RecordedTopLogprob[];
}

/** What a recorded exchange answers; every field may be absent. */
export interface ExchangeAnswer {
  reasoning?: string;
  content?: string;
  toolCalls?: { id?: string; name: string; arguments: string }[];
  /** `stop` by default, `tool_calls` when there are calls. */
  finishReason?: string;
  /** `choices[0].logprobs.content`, given to requests that ask for `logprobs`. */
  logprobs?: RecordedTokenLogprob[];
}

/**
 * One request and its answer. With `continuation` it answers only a request that continues its
 * last (assistant) message (`continue_final_message: true`, as vLLM takes it), and the answer
 * is the continuation; without, only a request that does not.
 */
export interface RecordedExchange {
  model: string;
  messages: ChatMessage[];
  continuation?: boolean;
  answer: ExchangeAnswer;
}

/** Server features the table imitates, to test clients against servers that lack them. */
export interface ExchangeFeatures {
  /** Answer `logprobs` when asked (true by default); false imitates a server that leaves them out. */
  logprobs?: boolean;
  /** Accept `continue_final_message` (true by default); false answers 400, as a server that rejects unknown fields. */
  continuation?: boolean;
}

/** How the table answers a request: an exchange, or a refusal, or nothing (not its request). */
export type ExchangeMatch =
  | { kind: 'exchange'; exchange: RecordedExchange; logprobs: RecordedTokenLogprob[] | null }
  | { kind: 'refuse'; status: number; message: string; code: string; param: string | null };

/**
 * Recorded exchanges looked up by model and by the exact messages, the last assistant message
 * included (so each continuation of a growing prefill is its own entry): role (`developer` as
 * `system`), text trimmed, tool calls by name and canonical arguments. The first of two
 * exchanges with one key wins. Unlike recorded sessions, `<think>` text in assistant messages counts.
 */
export class ExchangeTable {
  private readonly byKey = new Map<string, RecordedExchange>();
  readonly models: string[];

  constructor(
    exchanges: readonly RecordedExchange[],
    private readonly features: ExchangeFeatures = {},
  ) {
    const models = new Set<string>();
    for (const exchange of exchanges) {
      models.add(exchange.model);
      const key = exchangeKey(exchange.model, exchange.messages, exchange.continuation === true);
      if (!this.byKey.has(key)) this.byKey.set(key, exchange);
    }
    this.models = [...models];
  }

  get size(): number {
    return this.byKey.size;
  }

  /** The answer for a parsed request body, a refusal, or undefined when no exchange is for it. */
  match(body: Record<string, unknown>): ExchangeMatch | undefined {
    const model = typeof body.model === 'string' ? body.model : '';
    const messages = Array.isArray(body.messages) ? (body.messages as ChatMessage[]) : [];
    const continuation = body.continue_final_message === true;
    if (continuation && this.features.continuation === false) {
      return { kind: 'refuse', status: 400, message: 'Unknown field "continue_final_message".', code: 'invalid_request', param: 'continue_final_message' };
    }
    if (continuation && (messages[messages.length - 1]?.role !== 'assistant' || body.add_generation_prompt === true)) {
      return {
        kind: 'refuse',
        status: 400,
        message: 'continue_final_message needs the last message to be from the assistant, and add_generation_prompt false.',
        code: 'invalid_request',
        param: 'continue_final_message',
      };
    }
    const exchange = this.byKey.get(exchangeKey(model, messages, continuation));
    if (!exchange) return undefined;
    const wanted = body.logprobs === true && this.features.logprobs !== false;
    const top = typeof body.top_logprobs === 'number' ? body.top_logprobs : 0;
    const logprobs = wanted && exchange.answer.logprobs ? exchange.answer.logprobs.map((t) => ({ ...t, top_logprobs: t.top_logprobs.slice(0, top) })) : null;
    return { kind: 'exchange', exchange, logprobs };
  }
}

/**
 * An exchange's answer as replay pieces, at time 0 (the endpoint paces them as it paces untimed
 * sessions). A continuation served with think tags goes on inside the prefill's open `<think>`:
 * its reasoning is plain content, closed by `</think>` before the answer, as a server without a
 * reasoning parser sends it.
 */
export function piecesOfExchange(answer: ExchangeAnswer, shape: { continuation: boolean; thinkTags: boolean } = { continuation: false, thinkTags: false }): ReplayPiece[] {
  const pieces: ReplayPiece[] = [];
  const calls = answer.toolCalls ?? [];
  if (answer.reasoning && shape.continuation && shape.thinkTags) {
    const closes = Boolean(answer.content) || calls.length > 0;
    pieces.push({ kind: 'content', text: closes ? `${answer.reasoning}</think>\n\n` : answer.reasoning, t: 0 });
  } else if (answer.reasoning) pieces.push({ kind: 'reasoning', text: answer.reasoning, t: 0 });
  if (answer.content) pieces.push({ kind: 'content', text: answer.content, t: 0 });
  for (const [index, call] of calls.entries()) {
    pieces.push({ kind: 'toolCall', delta: { index, id: call.id ?? `call_x${index}`, type: 'function', function: { name: call.name, arguments: call.arguments } }, t: 0 });
  }
  pieces.push({ kind: 'finish', reason: finishOf(answer), t: 0 });
  return pieces;
}

/** The `choices[0]` of a whole (non-streamed) answer; reasoning goes in `field` ("reasoning_content" or "reasoning"). */
export function wholeChoiceOfExchange(answer: ExchangeAnswer, logprobs: RecordedTokenLogprob[] | null, field: 'reasoning_content' | 'reasoning'): Record<string, unknown> {
  const message: Record<string, unknown> = { role: 'assistant', content: answer.content ?? null };
  if (answer.reasoning) message[field] = answer.reasoning;
  const calls = answer.toolCalls ?? [];
  if (calls.length > 0) {
    message.tool_calls = calls.map((c, i) => ({ id: c.id ?? `call_x${i}`, type: 'function', function: { name: c.name, arguments: c.arguments } }));
  }
  return { index: 0, message, finish_reason: finishOf(answer), logprobs: logprobs ? { content: logprobs } : null };
}

function finishOf(answer: ExchangeAnswer): string {
  return answer.finishReason ?? ((answer.toolCalls ?? []).length > 0 ? 'tool_calls' : 'stop');
}

function exchangeKey(model: string, messages: readonly ChatMessage[], continuation: boolean): string {
  return JSON.stringify([model, continuation, messages.map(keyOfMessage)]);
}

function keyOfMessage(message: ChatMessage): unknown[] {
  const loose = message as unknown as Record<string, unknown>;
  const role = message.role === 'developer' ? 'system' : message.role;
  const text = textOfContent(loose.content).trim();
  if (role !== 'assistant' || !Array.isArray(loose.tool_calls)) return [role, text];
  const calls = (loose.tool_calls as unknown[]).map((call) => {
    const fn = (call as { function?: { name?: unknown; arguments?: unknown } } | null)?.function ?? {};
    return [typeof fn.name === 'string' ? fn.name : '', typeof fn.arguments === 'string' ? canonicalArguments(fn.arguments) : ''];
  });
  return [role, text, calls];
}
