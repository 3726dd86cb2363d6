import type { ChatMessage } from '../chat/types.js';
import { canonicalJson } from '../util/canonical-json.js';

/**
 * The text of a message's `content` whether it is a string or an array of parts: text parts
 * are joined with "\n" (as vLLM's chat templates join them), anything else counts as empty.
 */
export function textOfContent(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const texts: string[] = [];
  for (const part of content) {
    if (typeof part === 'string') texts.push(part);
    else if (isRecord(part) && typeof part.text === 'string') texts.push(part.text);
  }
  return texts.join('\n');
}

/**
 * Assistant text without its reasoning: every `<think>…</think>` block removed, text before a
 * lone `</think>` removed (R1 templates open the block in the prompt), an unclosed `<think>`
 * cut off to the end; the result is trimmed.
 */
export function stripThinkBlocks(text: string): string {
  let out = text.replace(/<think>[\s\S]*?<\/think>/g, '');
  const close = out.lastIndexOf('</think>');
  if (close >= 0) out = out.slice(close + '</think>'.length);
  const open = out.indexOf('<think>');
  if (open >= 0) out = out.slice(0, open);
  return out.trim();
}

/** Tool-call arguments in canonical form; text that is not JSON is kept as it is, so it still compares. */
export function canonicalArguments(args: string): string {
  try {
    return canonicalJson(JSON.parse(args) as unknown);
  } catch {
    return args;
  }
}

/**
 * A canonical string for a conversation, used to match a request to a recorded turn. Two
 * conversations get the same key exactly when, message by message, they agree on role
 * (`developer` counted as `system`), trimmed text (assistant text without `<think>` blocks),
 * tool calls (name and canonical arguments) and tool output. Ids, `name` and reasoning fields
 * do not count.
 */
export function conversationKey(messages: readonly ChatMessage[]): string {
  return JSON.stringify(messages.map(keyOfMessage));
}

function keyOfMessage(message: ChatMessage): unknown[] {
  // Requests arrive from the wire, so the shape is not trusted beyond `role`.
  const loose: Record<string, unknown> = { ...message };
  const role = message.role === 'developer' ? 'system' : message.role;
  const text = textOfContent(loose.content);
  if (role !== 'assistant') return [role, text.trim()];
  const calls: string[][] = [];
  if (Array.isArray(loose.tool_calls)) {
    for (const call of loose.tool_calls) {
      const fn = isRecord(call) && isRecord(call.function) ? call.function : {};
      const name = typeof fn.name === 'string' ? fn.name : '';
      const args = typeof fn.arguments === 'string' ? canonicalArguments(fn.arguments) : canonicalJson(fn.arguments ?? {});
      calls.push([name, args]);
    }
  }
  return [role, stripThinkBlocks(text), calls];
}

/** A short description of a conversation for error messages: how many messages of each role, and how the last user message starts. */
export function describeConversation(messages: readonly ChatMessage[]): string {
  if (messages.length === 0) return 'an empty conversation';
  const counts = new Map<string, number>();
  for (const m of messages) counts.set(m.role, (counts.get(m.role) ?? 0) + 1);
  const roles = [...counts].map(([role, n]) => `${n} ${role}`).join(', ');
  const summary = `${messages.length} message${messages.length === 1 ? '' : 's'} (${roles})`;
  const lastUser = [...messages].reverse().find((m) => m.role === 'user');
  if (lastUser === undefined) return summary;
  const words = textOfContent(lastUser.content).trim().split(/\s+/);
  const start = words.slice(0, 8).join(' ');
  return `${summary}, the last user message starting "${start}${words.length > 8 ? '…' : ''}"`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
