import type { ChatMessage, ToolSpec } from '../chat/types.js';
import type { ArgumentNormalizer } from '../schema/argument-normalizer.js';
import { intentKey } from '../sniff/intent.js';

/**
 * Keys (tool, canonical arguments) of the calls a conversation has already made and had
 * answered: an assistant's tool call with a tool message for its id. A recap of one of them
 * in the reasoning is not a call to come.
 */
export function answeredCallKeys(messages: readonly ChatMessage[], tools: readonly ToolSpec[], normalizer: ArgumentNormalizer): string[] {
  const answeredIds = new Set<string>();
  for (const m of messages) if (m.role === 'tool') answeredIds.add(m.tool_call_id);
  const keys: string[] = [];
  for (const m of messages) {
    if (m.role !== 'assistant' || !m.tool_calls) continue;
    for (const c of m.tool_calls) {
      if (!answeredIds.has(c.id)) continue;
      const schema = tools.find((t) => t.function.name === c.function.name)?.function.parameters;
      const n = normalizer.normalizeText(schema, c.function.arguments);
      keys.push(intentKey(c.function.name, n.ok ? n.canonical : c.function.arguments));
    }
  }
  return keys;
}
