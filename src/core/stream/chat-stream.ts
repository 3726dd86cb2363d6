import type OpenAI from 'openai';
import type { ChatMessage, ToolSpec } from '../chat/types.js';
import type { RawChunk } from './raw-chunk.js';
import { ChunkParser } from './chunk-parser.js';
import type { StreamEvent } from './events.js';
import { toStreamError } from './stream-error.js';

/** One streamed chat completion request. */
export interface ChatStreamRequest {
  model: string;
  messages: ChatMessage[];
  tools?: ToolSpec[];
  temperature?: number;
  /** Passed through into the request body unchanged (e.g. `chat_template_kwargs`). */
  extraBody?: Record<string, unknown>;
}

export interface ChatStreamOptions {
  signal?: AbortSignal;
  /** Sees every raw chunk as received, before parsing: the recorder's hook. */
  onChunk?: (chunk: RawChunk) => void;
  /** The model's template opens `<think>` in the prompt. */
  assumeThinking?: boolean;
}

/**
 * Streams one chat completion through the official SDK and yields typed events. It never
 * throws: failures, including abort, end the stream with one `error` event.
 */
export async function* streamChat(
  client: OpenAI,
  request: ChatStreamRequest,
  options: ChatStreamOptions = {},
): AsyncGenerator<StreamEvent> {
  const parser = new ChunkParser({ assumeThinking: options.assumeThinking ?? false });
  const body: Record<string, unknown> = {
    ...(request.extraBody ?? {}),
    model: request.model,
    messages: toWireMessages(request.messages),
    stream: true,
    stream_options: { include_usage: true },
  };
  if (request.tools && request.tools.length > 0) body.tools = request.tools;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  try {
    const stream = await client.chat.completions.create(
      body as unknown as OpenAI.Chat.Completions.ChatCompletionCreateParamsStreaming,
      options.signal ? { signal: options.signal } : undefined,
    );
    for await (const chunk of stream) {
      const raw = chunk as unknown as RawChunk;
      options.onChunk?.(raw);
      for (const event of parser.push(raw)) {
        yield event;
        if (event.type === 'error') return;
      }
    }
    if (options.signal?.aborted) {
      yield { type: 'error', error: { kind: 'aborted', message: 'Stopped.' } };
      return;
    }
    yield* parser.end();
  } catch (err) {
    yield { type: 'error', error: toStreamError(err, client.baseURL) };
  }
}

/**
 * Messages as sent on the wire: reasoning is dropped from assistant messages, since some
 * endpoints (DeepSeek's among them) reject requests that send it back.
 */
export function toWireMessages(messages: readonly ChatMessage[]): ChatMessage[] {
  return messages.map((m) => {
    if (m.role !== 'assistant' || m.reasoning_content === undefined) return m;
    const { reasoning_content: _dropped, ...rest } = m;
    return rest;
  });
}
