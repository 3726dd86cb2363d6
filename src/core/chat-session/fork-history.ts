import type { ChatMessage } from '../chat/types.js';
import type { Session } from '../session/format.js';
import { toWireMessages } from '../stream/chat-stream.js';

/**
 * A recorded conversation made fit to continue live: copies of the messages with every
 * reasoning field of assistant messages dropped (`reasoning_content` as `toWireMessages` drops
 * it, and the `reasoning` some imported sessions carry), since an endpoint never needs the
 * model's earlier thinking back and some reject it. The input is left untouched.
 */
export function forkHistory(messages: readonly ChatMessage[]): ChatMessage[] {
  return toWireMessages(messages).map((m) => {
    if (m.role !== 'assistant' || !('reasoning' in m)) return { ...m };
    const { reasoning: _dropped, ...rest } = m as ChatMessage & { reasoning?: unknown };
    return rest;
  });
}

/** What a fork continues: the conversation sent for one turn of a session, and where it came from. */
export interface ForkPoint {
  messages: ChatMessage[];
  origin: { title: string; turn: number };
}

/**
 * The fork point at turn `turn` (0-based) of `session`: that turn's request, under the
 * session's title (its id when untitled); `turn` past the end means the last turn. A session
 * without turns has nothing to continue: the result is then a sentence for the user.
 */
export function forkPoint(session: Session, turn: number): ForkPoint | { problem: string } {
  const title = session.header.title ?? session.header.id;
  const last = session.turns.length - 1;
  if (last < 0) return { problem: `The session «${title}» has no turns, so there is no conversation to fork.` };
  const index = Math.min(Math.max(0, Math.trunc(turn)), last);
  const chosen = session.turns[index];
  return { messages: chosen ? [...chosen.request] : [], origin: { title, turn: index } };
}
