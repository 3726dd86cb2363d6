import type { ChatMessage, ToolSpec } from '../chat/types.js';
import type { ArgumentNormalizer } from '../schema/argument-normalizer.js';
import { intentKey } from '../sniff/intent.js';
import type { SpeculationCache } from '../speculation/speculation-cache.js';

/**
 * Marks in `cache` the calls a conversation has already made and had answered (an assistant's
 * tool call with a tool message for its id) by their key (tool, canonical arguments): a recap
 * of one of them in the reasoning is not a call to come. Every turn's request repeats the whole
 * conversation, so a call the cache has marked before (the same id, name and argument text) is
 * skipped: each call is parsed and checked against its schema once per session, not once per
 * later turn.
 */
export function markAnsweredCalls(cache: SpeculationCache, messages: readonly ChatMessage[], tools: readonly ToolSpec[], normalizer: ArgumentNormalizer): void {
  let answeredIds: Set<string> | undefined;
  for (const m of messages) {
    if (m.role !== 'assistant' || !m.tool_calls) continue;
    for (const c of m.tool_calls) {
      answeredIds ??= new Set(messages.flatMap((x) => (x.role === 'tool' ? [x.tool_call_id] : [])));
      if (!answeredIds.has(c.id)) continue;
      cache.markAnsweredCall(c.id, c.function.name, c.function.arguments, () => {
        const schema = tools.find((t) => t.function.name === c.function.name)?.function.parameters;
        const n = normalizer.normalizeText(schema, c.function.arguments);
        return intentKey(c.function.name, n.ok ? n.canonical : c.function.arguments);
      });
    }
  }
}
