import type { SessionTurn } from '../../../src/core/session/format.js';

/** What a turn's chunks say, put back together, so tests can compare answers rather than chunk lists. */
export interface Answer {
  reasoning: string;
  content: string;
  calls: { id: string; name: string; arguments: string }[];
  finishReason: string | undefined;
}

/** Reassembles the answer of a turn from its raw chunks (by tool-call index, as a stream parser would). */
export function answerOf(turn: SessionTurn): Answer {
  const answer: Answer = { reasoning: '', content: '', calls: [], finishReason: undefined };
  for (const { chunk } of turn.chunks) {
    for (const choice of chunk.choices ?? []) {
      const delta = choice.delta ?? {};
      answer.reasoning += delta.reasoning_content ?? delta.reasoning ?? '';
      answer.content += delta.content ?? '';
      for (const call of delta.tool_calls ?? []) {
        const index = call.index ?? 0;
        const slot = (answer.calls[index] ??= { id: '', name: '', arguments: '' });
        slot.id += call.id ?? '';
        slot.name += call.function?.name ?? '';
        slot.arguments += call.function?.arguments ?? '';
      }
      if (choice.finish_reason) answer.finishReason = choice.finish_reason;
    }
  }
  return answer;
}
