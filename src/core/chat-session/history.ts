import type { ChatMessage } from '../chat/types.js';

/**
 * The conversation to keep after a run, given the history before it and the messages the run
 * ended with. An assistant turn whose tool calls did not all get results is cut off with
 * everything after it (no endpoint accepts unanswered calls), and a run that left nothing but
 * its own user message leaves no trace, so retrying the same prompt does not send it twice.
 */
export function settleHistory(before: readonly ChatMessage[], after: readonly ChatMessage[]): ChatMessage[] {
  const kept = [...after];
  for (let i = kept.length - 1; i >= before.length; i--) {
    const message = kept[i];
    if (message?.role !== 'assistant' || !message.tool_calls?.length) continue;
    const answered = new Set(
      kept.slice(i + 1).flatMap((m) => (m.role === 'tool' ? [m.tool_call_id] : [])),
    );
    if (!message.tool_calls.every((c) => answered.has(c.id))) kept.length = i;
  }
  const added = kept.slice(before.length);
  if (added.length === 0 || (added.length === 1 && added[0]?.role === 'user')) return [...before];
  return kept;
}
