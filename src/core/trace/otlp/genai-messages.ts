import type { ChatMessage, ToolSpec } from '../../chat/types.js';

/**
 * Messages in the shape of the GenAI semantic conventions' `gen_ai.input.messages` and
 * `gen_ai.output.messages` (role + typed parts), from the Chat Completions wire shape the
 * sessions store.
 */

export type GenAiPart =
  | { type: 'text'; content: string }
  | { type: 'reasoning'; content: string }
  | { type: 'tool_call'; id: string; name: string; arguments: unknown }
  | { type: 'tool_call_response'; id: string; result: string };

export interface GenAiMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  parts: GenAiPart[];
  finish_reason?: string;
}

/** The conversation sent with a request, minus system messages (the conventions keep those apart). */
export function inputMessages(messages: readonly ChatMessage[]): GenAiMessage[] {
  const out: GenAiMessage[] = [];
  for (const m of messages) {
    if (m.role === 'system' || m.role === 'developer') continue;
    if (m.role === 'user') out.push({ role: 'user', parts: [{ type: 'text', content: m.content }] });
    else if (m.role === 'tool') out.push({ role: 'tool', parts: [{ type: 'tool_call_response', id: m.tool_call_id, result: m.content }] });
    else if (m.role === 'assistant') out.push(assistantMessage(m.reasoning_content ?? '', m.content ?? '', (m.tool_calls ?? []).map((c) => ({ id: c.id, name: c.function.name, arguments: c.function.arguments }))));
  }
  return out;
}

/** System and developer messages, as `gen_ai.system_instructions` parts. */
export function systemInstructions(messages: readonly ChatMessage[]): GenAiPart[] {
  return messages.flatMap((m) => (m.role === 'system' || m.role === 'developer' ? [{ type: 'text' as const, content: m.content }] : []));
}

/** One answer of the model: its reasoning as a `reasoning` part, then its text and calls. */
export function assistantMessage(
  reasoning: string,
  content: string,
  calls: readonly { id: string; name: string; arguments: string }[],
  finishReason?: string,
): GenAiMessage {
  const parts: GenAiPart[] = [];
  if (reasoning !== '') parts.push({ type: 'reasoning', content: reasoning });
  if (content !== '') parts.push({ type: 'text', content });
  for (const c of calls) parts.push({ type: 'tool_call', id: c.id, name: c.name, arguments: parsedOrText(c.arguments) });
  return finishReason === undefined ? { role: 'assistant', parts } : { role: 'assistant', parts, finish_reason: finishReason };
}

/** Tool declarations as `gen_ai.tool.definitions`. */
export function toolDefinitions(tools: readonly ToolSpec[]): unknown[] {
  return tools.map((t) => ({ type: 'function', name: t.function.name, description: t.function.description, parameters: t.function.parameters }));
}

function parsedOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
