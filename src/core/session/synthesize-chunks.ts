import type { ToolCall } from '../chat/types.js';
import type { RawChunk, RawDelta } from '../stream/raw-chunk.js';

/** What one imported model call answered, whole; the chunks are made from it. */
export interface TurnAnswer {
  /** The `id` every chunk of the answer carries. */
  id: string;
  model: string;
  reasoning?: string;
  content?: string;
  toolCalls: readonly ToolCall[];
  finishReason: string;
  /** Unix seconds for `created`; 0 when the source has no time. */
  created?: number;
}

/**
 * The `chat.completion.chunk` stream a server would have sent for a whole answer, in wire
 * order: a role chunk, the reasoning (as `reasoning_content`) and the content each in one
 * chunk when not empty, for each tool call a chunk opening it (id, name, empty arguments) and
 * one with all its arguments, and a last chunk with the finish reason. Replay splits and paces them.
 */
export function synthesizeTurnChunks(answer: TurnAnswer): RawChunk[] {
  const chunk = (delta: RawDelta, finishReason: string | null = null): RawChunk => ({
    id: answer.id,
    object: 'chat.completion.chunk',
    created: answer.created ?? 0,
    model: answer.model,
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  });
  const chunks: RawChunk[] = [chunk({ role: 'assistant' })];
  if (answer.reasoning) chunks.push(chunk({ reasoning_content: answer.reasoning }));
  if (answer.content) chunks.push(chunk({ content: answer.content }));
  answer.toolCalls.forEach((call, index) => {
    chunks.push(
      chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }),
    );
    if (call.arguments !== '') chunks.push(chunk({ tool_calls: [{ index, function: { arguments: call.arguments } }] }));
  });
  chunks.push(chunk({}, answer.finishReason));
  return chunks;
}
