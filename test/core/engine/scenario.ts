import type { Session } from '../../../src/core/session/format.js';
import { importChatTranscript } from '../../../src/core/session/import-chat.js';

type Tool = { name: string; properties: Record<string, unknown>; required?: string[]; description?: string };
type Step =
  | { user: string }
  | { reasoning: string; calls?: { name: string; args: Record<string, unknown>; result?: string; ms?: number }[]; answer?: string };

let nextId = 0;

/** A hand-written conversation as a session: each assistant step streams its reasoning, then its calls, whose results take `ms`. */
export function scenario(tools: Tool[], steps: Step[]): Session {
  const messages: Record<string, unknown>[] = [{ role: 'system', content: 'You are a test agent.' }];
  for (const step of steps) {
    if ('user' in step) {
      messages.push({ role: 'user', content: step.user });
      continue;
    }
    const calls = (step.calls ?? []).map((c) => ({ ...c, id: `call_${nextId++}` }));
    messages.push({
      role: 'assistant',
      reasoning_content: step.reasoning,
      content: step.answer ?? null,
      ...(calls.length > 0 ? { tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: JSON.stringify(c.args) } })) } : {}),
    });
    for (const c of calls) messages.push({ role: 'tool', tool_call_id: c.id, content: c.result ?? `result of ${c.name}`, x_latency_ms: c.ms ?? 400 });
  }
  return importChatTranscript(
    {
      model: 'test-reasoner',
      title: 'scenario',
      tools: tools.map((t) => ({
        type: 'function',
        function: { name: t.name, description: t.description ?? `${t.name} tool`, parameters: { type: 'object', properties: t.properties, required: t.required ?? Object.keys(t.properties) } },
      })),
      messages,
    },
    { file: 'scenario' },
  );
}
