import type { AssistantMessage, ChatMessage } from '../chat/types.js';
import { conversationKey } from '../session/message-key.js';

/** Where a conversation stands after its last request: what a request continuing it starts with. */
export interface ConversationTail {
  /** The last request's messages. */
  request: readonly ChatMessage[];
  /** Its answer; absent when the request failed (a retry then repeats the request). */
  answer?: AssistantMessage;
}

/**
 * Whether `messages` continue a conversation: they start with its last request (message keys
 * as the replay endpoint matches them) and then its answer, with anything after (tool results,
 * a follow-up); or, after a failed request, they start with that request (a retry). The answer
 * counts as the same when its key matches or, since agents rewrite assistant text, when it
 * carries the same tool call ids.
 */
export function continues(tail: ConversationTail, messages: readonly ChatMessage[]): boolean {
  const n = tail.request.length;
  if (messages.length < n + (tail.answer ? 1 : 0)) return false;
  if (conversationKey(messages.slice(0, n)) !== conversationKey(tail.request)) return false;
  if (!tail.answer) return true;
  const next = messages[n]!;
  if (next.role !== 'assistant') return false;
  if (conversationKey([next]) === conversationKey([tail.answer])) return true;
  const ids = (m: AssistantMessage) => (Array.isArray(m.tool_calls) ? m.tool_calls.map((c) => c?.id) : []);
  const expected = ids(tail.answer);
  const got = ids(next);
  return expected.length > 0 && expected.length === got.length && expected.every((id, i) => id === got[i]);
}
