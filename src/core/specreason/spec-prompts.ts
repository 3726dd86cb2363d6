import type { ChatMessage, ToolSpec } from '../chat/types.js';
import { textOfContent } from '../session/message-key.js';
import { toWireMessages } from '../stream/chat-stream.js';

/** The opening of the reasoning in an assistant prefill; the reasoning so far follows it. */
export const THINK_OPEN = '<think>\n';

/**
 * The body fields that ask a vLLM-style server to continue the last assistant message rather
 * than start a new one. They travel as extra keys of the SDK's params object, which the
 * `openai` SDK sends in the body as they are.
 */
export const CONTINUATION_FIELDS = { continue_final_message: true, add_generation_prompt: false } as const;

/**
 * The conversation with an assistant prefill holding `<think>` and the reasoning so far, so the
 * model writes the next tokens of that same reasoning. Reasoning fields of earlier assistant
 * messages are dropped as on every request.
 */
export function continuationMessages(messages: readonly ChatMessage[], reasoning: string): ChatMessage[] {
  return [...toWireMessages(messages), { role: 'assistant', content: THINK_OPEN + reasoning }];
}

const JUDGE_SYSTEM =
  'You check the reasoning of an assistant, one step at a time. Rate how correct and useful the proposed next step is, ' +
  'given the conversation and the reasoning before it, on a scale from 0 (wrong or useless) to 9 (correct and useful). ' +
  'Answer with a single digit and nothing else.';

/** What the judge is shown: the conversation, the reasoning so far, the proposed step. */
export interface JudgeInput {
  messages: readonly ChatMessage[];
  /** The tools the turn offers, so the judge can tell whether a step uses them rightly. */
  tools?: readonly ToolSpec[];
  reasoning: string;
  step: string;
}

/**
 * The judge's request messages. The last is an assistant prefill that closes an empty think
 * block and opens "Score: ", so a reasoning model's first token is the digit rather than `<think>`.
 */
export function judgeMessages(input: JudgeInput): ChatMessage[] {
  const conversation = input.messages
    .filter((m) => m.role !== 'system' && m.role !== 'developer')
    .map((m) => `${m.role}: ${textOfContent(m.content).trim() || describeCalls(m)}`)
    .join('\n');
  const tools = (input.tools ?? []).map((t) => `- ${t.function.name}: ${t.function.description ?? ''} ${JSON.stringify(t.function.parameters ?? {})}`.trimEnd());
  const user = [
    ...(tools.length > 0 ? [`Tools the assistant may call:\n${tools.join('\n')}`] : []),
    `Conversation:\n${conversation}`,
    `Reasoning so far:\n${input.reasoning.trim() || '(none yet)'}`,
    `Proposed next step:\n${input.step.trim()}`,
    'Score the proposed next step from 0 to 9.',
  ].join('\n\n');
  return [
    { role: 'system', content: JUDGE_SYSTEM },
    { role: 'user', content: user },
    { role: 'assistant', content: JUDGE_PREFILL },
  ];
}

/** The judge's assistant prefill (see `judgeMessages`). */
export const JUDGE_PREFILL = '<think>\n\n</think>\n\nScore: ';

function describeCalls(m: ChatMessage): string {
  if (m.role !== 'assistant' || !m.tool_calls || m.tool_calls.length === 0) return '';
  return m.tool_calls.map((c) => `called ${c.function.name}(${c.function.arguments})`).join('; ');
}
