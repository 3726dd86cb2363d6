import type { ToolCall } from '../chat/types.js';
import type { TimedChunk } from '../session/format.js';
import type { RawUsage } from '../stream/raw-chunk.js';
import { ChunkParser } from '../stream/chunk-parser.js';

/** A recorded turn as one non-streamed answer. */
export interface WholeAnswer {
  reasoning: string;
  content: string;
  calls: ToolCall[];
  finishReason: string;
  usage?: RawUsage;
}

/**
 * Aggregates a turn's recorded chunks into the message a non-streamed request gets, through
 * the same `ChunkParser` the chat streams with, so calls are assembled (and raw tool-call
 * syntaxes recognised) exactly as a streaming client would see them.
 */
export function wholeAnswer(chunks: readonly TimedChunk[]): WholeAnswer {
  const parser = new ChunkParser();
  const answer: WholeAnswer = { reasoning: '', content: '', calls: [], finishReason: 'stop' };
  const take = (events: ReturnType<ChunkParser['push']>) => {
    for (const e of events) {
      if (e.type === 'reasoning') answer.reasoning += e.text;
      else if (e.type === 'content') answer.content += e.text;
      else if (e.type === 'contentWasReasoning') {
        answer.reasoning += e.text;
        answer.content = answer.content.slice(e.text.length);
      } else if (e.type === 'toolCallSealed') answer.calls.push(e.call);
      else if (e.type === 'finish') answer.finishReason = e.reason;
    }
  };
  for (const { chunk } of chunks) {
    take(parser.push(chunk));
    if (chunk.usage && typeof chunk.usage === 'object') answer.usage = chunk.usage;
  }
  if (!parser.isFinished) {
    // A recording without a finish reason still answers as it reads: with its calls, or an answer.
    take(parser.push({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }));
    if (answer.calls.length > 0) answer.finishReason = 'tool_calls';
  }
  return answer;
}
