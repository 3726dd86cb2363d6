import type { AssistantMessage, ChatMessage, ToolCall, ToolSpec, WireToolCall } from '../chat/types.js';
import type { Session, SessionEvent, SessionTurn } from './format.js';
import {
  DEFAULT_TOOL_LATENCY_MS,
  importedHeader,
  inferToolSpecs,
  isRecord,
  isoFromUnixSeconds,
  stringOr,
  toolSpecsOf,
} from './import-common.js';
import type { ImportOptions, ImportSource } from './import-common.js';
import { conversationKey, stripThinkBlocks, textOfContent } from './message-key.js';
import { synthesizeTurnChunks } from './synthesize-chunks.js';

/** The tool message (and recorded output) given for a call the rollout has no output for. */
export const NO_OUTPUT_RECORDED = '(no output recorded)';

type ToolResult = Extract<SessionEvent, { type: 'toolResult' }>;

/** One model call being collected from the output items. */
interface Draft {
  request: ChatMessage[];
  reasoning: string[];
  hadReasoning: boolean;
  content: string[];
  calls: ToolCall[];
  /** `calling`: the last item was a call; `absorbed`: a reasoning item listed after the calls was taken in. */
  phase: 'open' | 'calling' | 'absorbed';
}

/** Calls of a finished turn waiting for their `function_call_output` items. */
interface Awaiting {
  turn: SessionTurn;
  calls: ToolCall[];
  outputs: Map<string, string>;
  /** Outputs whose call id matches none of the calls, kept in order. */
  strays: { callId: string; output: string }[];
}

/**
 * Turns one OpenAI Responses API rollout (`responses_create_params` + `response.output`) into
 * a session: one turn per model call, each with the full request as chat messages, its answer
 * as synthesized chunks (`timing: 'none'`), and the tool outputs that followed as results.
 * Throws an Error saying what is missing when `obj` is not a rollout.
 */
export function importResponsesRollout(obj: unknown, source: ImportSource, options: ImportOptions = {}): Session {
  if (!isRecord(obj)) throw new Error('a Responses rollout must be a JSON object');
  const params = isRecord(obj.responses_create_params) ? obj.responses_create_params : {};
  const response = obj.response;
  if (!isRecord(response) || !Array.isArray(response.output)) {
    throw new Error('a Responses rollout needs `response.output`, a list of items');
  }
  const output: unknown[] = response.output;
  const model = stringOr(params.model) ?? stringOr(response.model) ?? 'unknown';
  const latency = options.toolLatencyMs ?? DEFAULT_TOOL_LATENCY_MS;
  const created = typeof response.created_at === 'number' ? Math.floor(response.created_at) : 0;

  const conversation: ChatMessage[] = [];
  const instructions = stringOr(params.instructions);
  if (instructions) conversation.push({ role: 'system', content: instructions });
  const literalInput = inputMessages(params.input);
  conversation.push(...literalInput);

  const turns: SessionTurn[] = [];
  const chunkId = (index: number): string => `chatcmpl-${source.line ?? 0}-${index}`;
  let draft: Draft | undefined;
  let awaiting: Awaiting | undefined;
  const calledInOutput: ToolCall[] = [];

  const flushOutputs = (): void => {
    if (!awaiting) return;
    for (const call of awaiting.calls) {
      const text = awaiting.outputs.get(call.id) ?? NO_OUTPUT_RECORDED;
      conversation.push({ role: 'tool', tool_call_id: call.id, content: text });
      awaiting.turn.toolResults.push(toolResult(call, text, latency));
    }
    for (const stray of awaiting.strays) conversation.push({ role: 'tool', tool_call_id: stray.callId, content: stray.output });
    awaiting = undefined;
  };

  const closeDraft = (): void => {
    if (!draft) return;
    const finishReason = draft.calls.length > 0 ? 'tool_calls' : 'stop';
    const content = draft.content.join('\n');
    const reasoning = draft.reasoning.join('\n');
    const turn: SessionTurn = {
      index: turns.length,
      request: draft.request,
      chunks: synthesizeTurnChunks({
        id: chunkId(turns.length),
        model,
        reasoning,
        content,
        toolCalls: draft.calls,
        finishReason,
        created,
      }).map((chunk) => ({ t: 0, chunk })),
      toolResults: [],
    };
    turns.push(turn);
    conversation.push(assistantMessage(content, draft.calls));
    if (draft.calls.length > 0) awaiting = { turn, calls: draft.calls, outputs: new Map(), strays: [] };
    draft = undefined;
  };

  const startDraft = (): Draft => {
    flushOutputs();
    return { request: [...conversation], reasoning: [], hadReasoning: false, content: [], calls: [], phase: 'open' };
  };

  for (const item of output) {
    if (!isRecord(item)) continue;
    const type = stringOr(item.type) ?? (typeof item.role === 'string' ? 'message' : '');
    // A call's turn ends at the first item that neither continues the parallel calls nor is
    // the reasoning some servers list after the call it led to (see the adjacency rule).
    if (draft && draft.phase !== 'open') {
      const continuesCalls = type === 'function_call' && draft.phase === 'calling';
      const trailingReasoning = type === 'reasoning' && draft.phase === 'calling' && !draft.hadReasoning;
      if (!continuesCalls && !trailingReasoning) closeDraft();
    }
    switch (type) {
      case 'reasoning': {
        draft ??= startDraft();
        const text = reasoningText(item);
        if (text) draft.reasoning.push(text);
        draft.hadReasoning = true;
        if (draft.phase === 'calling') draft.phase = 'absorbed';
        break;
      }
      case 'function_call': {
        draft ??= startDraft();
        const call = callOf(item, draft.calls.length);
        draft.calls.push(call);
        calledInOutput.push(call);
        draft.phase = 'calling';
        break;
      }
      case 'function_call_output': {
        closeDraft();
        const callId = stringOr(item.call_id) ?? '';
        const text = outputText(item.output);
        if (!awaiting) conversation.push({ role: 'tool', tool_call_id: callId, content: text });
        else if (awaiting.calls.some((c) => c.id === callId) && !awaiting.outputs.has(callId)) awaiting.outputs.set(callId, text);
        else awaiting.strays.push({ callId, output: text });
        break;
      }
      case 'message': {
        const role = stringOr(item.role) ?? 'assistant';
        const text = textOfContent(item.content);
        if (role === 'assistant') {
          draft ??= startDraft();
          if (text) draft.content.push(text);
        } else {
          // A user (or system) message after an answer starts the next request.
          closeDraft();
          flushOutputs();
          conversation.push(plainMessage(role, text));
        }
        break;
      }
      default:
        break;
    }
  }
  closeDraft();
  flushOutputs();

  const tools = declaredOrInferredTools(params.tools, response.tools, calledInOutput);
  // A client that sends exactly `responses_create_params.input` (empty for some rollouts,
  // which list their system and user messages in the output) still reaches the first turn.
  const first = turns[0];
  if (first && conversationKey(first.request) !== conversationKey(literalInput)) first.requestAliases = [literalInput];
  return {
    header: importedHeader(
      'responses-rollout',
      source,
      // A rollout may carry its own title (at the top or in its metadata); else its first user message names it.
      { model, tools, createdAt: isoFromUnixSeconds(response.created_at), title: rolloutTitle(obj, params), conversation },
      options,
    ),
    turns,
  };
}

function rolloutTitle(obj: Record<string, unknown>, params: Record<string, unknown>): string | undefined {
  for (const holder of [obj, isRecord(obj.metadata) ? obj.metadata : {}, isRecord(params.metadata) ? params.metadata : {}]) {
    const title = stringOr(holder.title);
    if (title?.trim()) return title;
  }
  return undefined;
}

/** `responses_create_params.input` as chat messages: a plain string is one user message. */
function inputMessages(input: unknown): ChatMessage[] {
  if (typeof input === 'string') return input ? [{ role: 'user', content: input }] : [];
  if (!Array.isArray(input)) return [];
  const messages: ChatMessage[] = [];
  for (const item of input) {
    if (!isRecord(item)) continue;
    const type = stringOr(item.type) ?? (typeof item.role === 'string' ? 'message' : '');
    if (type === 'message') {
      const role = stringOr(item.role) ?? 'user';
      const text = textOfContent(item.content);
      messages.push(role === 'assistant' ? { role: 'assistant', content: text } : plainMessage(role, text));
    } else if (type === 'function_call') {
      const last = messages[messages.length - 1];
      // Calls listed right after an assistant message (or after each other) were made in that same answer.
      const owner: AssistantMessage =
        last?.role === 'assistant' ? last : { role: 'assistant', content: null };
      if (owner !== last) messages.push(owner);
      owner.tool_calls ??= [];
      owner.tool_calls.push(wireCall(callOf(item, owner.tool_calls.length)));
    } else if (type === 'function_call_output') {
      messages.push({ role: 'tool', tool_call_id: stringOr(item.call_id) ?? '', content: outputText(item.output) });
    }
  }
  return messages;
}

function plainMessage(role: string, text: string): ChatMessage {
  if (role === 'system' || role === 'developer') return { role, content: text };
  return { role: 'user', content: text };
}

/** The assistant message a later request repeats: reasoning left out, calls with their recorded ids. */
function assistantMessage(content: string, calls: readonly ToolCall[]): AssistantMessage {
  const text = stripThinkBlocks(content);
  const message: AssistantMessage = { role: 'assistant', content: text === '' && calls.length > 0 ? null : text };
  if (calls.length > 0) message.tool_calls = calls.map(wireCall);
  return message;
}

function wireCall(call: ToolCall): WireToolCall {
  return { id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } };
}

function callOf(item: Record<string, unknown>, index: number): ToolCall {
  const args = item.arguments;
  return {
    id: stringOr(item.call_id) ?? stringOr(item.id) ?? `call_${index}`,
    name: stringOr(item.name) ?? '',
    arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}),
  };
}

function reasoningText(item: Record<string, unknown>): string {
  const summary = textOfContent(item.summary);
  return summary !== '' ? summary : textOfContent(item.content);
}

function outputText(output: unknown): string {
  if (typeof output === 'string') return output;
  if (Array.isArray(output)) return textOfContent(output);
  return output === undefined || output === null ? '' : JSON.stringify(output);
}

function toolResult(call: ToolCall, output: string, durationMs: number): ToolResult {
  return {
    type: 'toolResult',
    callId: call.id,
    name: call.name,
    arguments: call.arguments,
    output,
    isError: false,
    durationMs,
    recorded: true,
  };
}

/** Declared tools in chat shape, or, when the rollout declares none, tools made up from the calls. */
function declaredOrInferredTools(declared: unknown, echoed: unknown, calls: readonly ToolCall[]): ToolSpec[] {
  const specs = toolSpecsOf(declared, 'responses_create_params.tools');
  if (specs.length > 0) return specs;
  // `response.tools` echoes the request's; some servers fill only that one.
  const fromResponse = toolSpecsOf(echoed, 'response.tools');
  return fromResponse.length > 0 ? fromResponse : inferToolSpecs(calls);
}
