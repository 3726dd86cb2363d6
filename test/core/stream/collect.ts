import type { ToolCall } from '../../../src/core/chat/types.js';
import type { StreamEvent } from '../../../src/core/stream/events.js';

/** What a consumer ends up with after applying a sequence of stream events. */
export interface Collected {
  reasoning: string;
  content: string;
  sealed: ToolCall[];
  finish?: string;
  errors: string[];
  order: string[];
}

/** Folds events the way the agent loop does, so tests assert on the observable outcome. */
export function collect(events: Iterable<StreamEvent>): Collected {
  const c: Collected = { reasoning: '', content: '', sealed: [], errors: [], order: [] };
  for (const e of events) {
    c.order.push(e.type);
    switch (e.type) {
      case 'reasoning':
        c.reasoning += e.text;
        break;
      case 'content':
        c.content += e.text;
        break;
      case 'contentWasReasoning':
        if (!c.content.startsWith(e.text)) throw new Error(`retracted text is not the content so far: ${JSON.stringify(e.text)} vs ${JSON.stringify(c.content)}`);
        c.reasoning += e.text;
        c.content = c.content.slice(e.text.length);
        break;
      case 'toolCallSealed':
        c.sealed.push(e.call);
        break;
      case 'finish':
        c.finish = e.reason;
        break;
      case 'error':
        c.errors.push(e.error.message);
        break;
      default:
        break;
    }
  }
  return c;
}
