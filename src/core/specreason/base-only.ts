import type { RecordedBaseOnly } from '../session/format.js';
import type { ChatStreamRequest } from '../stream/chat-stream.js';
import { streamChat } from '../stream/chat-stream.js';
import type { SpecReasonRole } from './model-calls.js';
import { countTokens } from './step-splitter.js';

/**
 * Sends `request` to the base model alone, as a turn without SpecReason would, reads its whole
 * answer and discards it; returns its wall time from the request to the last event and its
 * tokens (word-sized estimates, as SpecReason's own counts), or why it failed. Never throws.
 */
export async function measureBaseOnly(base: SpecReasonRole, request: ChatStreamRequest, now: () => number, signal?: AbortSignal): Promise<RecordedBaseOnly> {
  const started = now();
  let tokens = 0;
  const events = streamChat(
    base.client,
    {
      model: base.model,
      messages: request.messages,
      ...(request.tools ? { tools: request.tools } : {}),
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      extraBody: { ...request.extraBody, ...base.extraBody },
    },
    signal ? { signal } : {},
  );
  for await (const e of events) {
    if (e.type === 'error') return { kind: 'failed', message: e.error.message };
    if (e.type === 'reasoning' || e.type === 'content') tokens += countTokens(e.text);
    if (e.type === 'toolCallDelta') tokens += Math.ceil(e.argumentsDelta.length / 4);
  }
  return { kind: 'measured', ms: now() - started, tokens };
}
