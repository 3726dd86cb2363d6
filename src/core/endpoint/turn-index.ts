import type { ChatMessage } from '../chat/types.js';
import type { Session, SessionTurn } from '../session/format.js';
import { conversationKey } from '../session/message-key.js';

/** Where a recorded turn lives. */
export interface TurnRef {
  session: Session;
  turn: SessionTurn;
}

/**
 * Finds the recorded turn whose request had the same messages as a new request (by
 * conversationKey). When two sessions recorded the same conversation, the first one loaded wins.
 */
export class TurnIndex {
  private readonly byKey = new Map<string, TurnRef>();
  readonly models: string[];

  constructor(readonly sessions: readonly Session[]) {
    const models = new Set<string>();
    for (const session of sessions) {
      models.add(session.header.model);
      for (const turn of session.turns) {
        for (const request of [turn.request, ...(turn.requestAliases ?? [])]) {
          const key = conversationKey(request);
          if (!this.byKey.has(key)) this.byKey.set(key, { session, turn });
        }
      }
    }
    this.models = [...models];
  }

  get turnCount(): number {
    return this.byKey.size;
  }

  find(messages: readonly ChatMessage[]): TurnRef | undefined {
    return this.byKey.get(conversationKey(messages));
  }

  /**
   * For a request that matches no turn: the recorded turn it continues when that turn was the
   * last of its session (the recording stops after its tool calls), so the answer can say so.
   */
  findEndedBefore(messages: readonly ChatMessage[]): TurnRef | undefined {
    let end = messages.length;
    while (end > 0 && messages[end - 1]?.role === 'tool') end--;
    if (end === messages.length || messages[end - 1]?.role !== 'assistant') return undefined;
    const ref = this.byKey.get(conversationKey(messages.slice(0, end - 1)));
    if (!ref) return undefined;
    const last = ref.session.turns[ref.session.turns.length - 1];
    return last === ref.turn ? ref : undefined;
  }
}
