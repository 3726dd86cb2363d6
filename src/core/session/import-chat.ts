import type { AssistantMessage, ChatMessage, ToolCall, WireToolCall } from '../chat/types.js';
import type { Session, SessionEvent, SessionTurn } from './format.js';
import {
  DEFAULT_TOOL_LATENCY_MS,
  describeType,
  importedHeader,
  inferToolSpecs,
  isRecord,
  isoFromUnixSeconds,
  stringOr,
  toolSpecsOf,
} from './import-common.js';
import type { ImportOptions, ImportSource } from './import-common.js';
import { textOfContent } from './message-key.js';
import { synthesizeTurnChunks } from './synthesize-chunks.js';

type ToolResult = Extract<SessionEvent, { type: 'toolResult' }>;

/** A message as read, before it is cut down to what a request carries. */
interface ReadMessage {
  message: ChatMessage;
  reasoning?: string;
  latencyMs?: number;
}

/**
 * Turns one Chat Completions transcript (`{ model?, tools?, messages, title?, demo? }`) into a
 * session: each assistant message is one turn whose request is every message before it
 * (assistant messages without reasoning fields), whose answer is synthesized as chunks
 * (`timing: 'none'`), and whose tool results are the tool messages right after it
 * (`x_latency_ms` on a tool message gives its duration). Throws an Error saying what is wrong
 * when `obj` is not a transcript.
 */
export function importChatTranscript(obj: unknown, source: ImportSource, options: ImportOptions = {}): Session {
  if (!isRecord(obj) || !Array.isArray(obj.messages)) {
    throw new Error('a Chat Completions transcript must be an object with `messages`, a list');
  }
  const read = obj.messages.map((m, i) => readMessage(m, i + 1));
  const tools = toolSpecsOf(obj.tools);
  const model = stringOr(obj.model) ?? 'unknown';
  const latency = options.toolLatencyMs ?? DEFAULT_TOOL_LATENCY_MS;
  const created = typeof obj.created === 'number' ? Math.floor(obj.created) : 0;

  const turns: SessionTurn[] = [];
  const calls: ToolCall[] = [];
  read.forEach((entry, position) => {
    const { message } = entry;
    if (message.role !== 'assistant') return;
    const toolCalls = (message.tool_calls ?? []).map(callFromWire);
    calls.push(...toolCalls);
    const index = turns.length;
    turns.push({
      index,
      request: read.slice(0, position).map((r) => r.message),
      chunks: synthesizeTurnChunks({
        id: `chatcmpl-${source.line ?? 0}-${index}`,
        model,
        reasoning: entry.reasoning,
        content: message.content ?? '',
        toolCalls,
        finishReason: toolCalls.length > 0 ? 'tool_calls' : 'stop',
        created,
      }).map((chunk) => ({ t: 0, chunk })),
      toolResults: toolResultsAfter(read, position, toolCalls, latency),
    });
  });

  const header = importedHeader(
    'chat-transcript',
    source,
    {
      model,
      tools: tools.length > 0 ? tools : inferToolSpecs(calls),
      createdAt: isoFromUnixSeconds(obj.created),
      title: stringOr(obj.title),
      conversation: read.map((r) => r.message),
      demo: typeof obj.demo === 'boolean' ? obj.demo : undefined,
      mutatingTools: Array.isArray(obj.mutatingTools) ? obj.mutatingTools.filter((n): n is string => typeof n === 'string') : undefined,
    },
    options,
  );
  return { header, turns };
}

function readMessage(value: unknown, number: number): ReadMessage {
  if (!isRecord(value)) throw new Error(`message ${number} is not an object`);
  const text = textOfContent(value.content);
  switch (value.role) {
    case 'system':
    case 'developer':
      return { message: { role: value.role, content: text } };
    case 'user':
      return { message: { role: 'user', content: text } };
    case 'tool': {
      const entry: ReadMessage = {
        message: { role: 'tool', tool_call_id: stringOr(value.tool_call_id) ?? '', content: text },
      };
      if (typeof value.x_latency_ms === 'number' && value.x_latency_ms >= 0) entry.latencyMs = value.x_latency_ms;
      return entry;
    }
    case 'assistant': {
      const message: AssistantMessage = { role: 'assistant', content: value.content === null ? null : text };
      if (value.tool_calls !== undefined && value.tool_calls !== null && !Array.isArray(value.tool_calls)) {
        throw new Error(`the tool_calls of message ${number} should be a list, not ${describeType(value.tool_calls)}`);
      }
      if (Array.isArray(value.tool_calls) && value.tool_calls.length > 0) {
        message.tool_calls = value.tool_calls.map((c, i) => wireCall(c, number, i));
      }
      const entry: ReadMessage = { message };
      const reasoning = stringOr(value.reasoning_content) ?? stringOr(value.reasoning);
      if (reasoning) entry.reasoning = reasoning;
      return entry;
    }
    default:
      throw new Error(`message ${number} has no known role (system, developer, user, assistant or tool)`);
  }
}

function wireCall(value: unknown, messageNumber: number, index: number): WireToolCall {
  const fn = isRecord(value) && isRecord(value.function) ? value.function : undefined;
  const name = fn ? stringOr(fn.name) : undefined;
  if (!isRecord(value) || !fn || !name) {
    throw new Error(`tool call ${index + 1} of message ${messageNumber} needs \`function.name\``);
  }
  // Hand-written transcripts may give the arguments as an object rather than JSON text.
  const args = typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? {});
  return { id: stringOr(value.id) ?? `call_${messageNumber}_${index}`, type: 'function', function: { name, arguments: args } };
}

function callFromWire(call: WireToolCall): ToolCall {
  return { id: call.id, name: call.function.name, arguments: call.function.arguments };
}

function toolResultsAfter(
  read: readonly ReadMessage[],
  position: number,
  calls: readonly ToolCall[],
  defaultLatency: number,
): ToolResult[] {
  const results: ToolResult[] = [];
  for (let i = position + 1; i < read.length; i++) {
    const entry = read[i];
    if (entry?.message.role !== 'tool') break;
    const { tool_call_id: callId, content } = entry.message;
    const call = calls.find((c) => c.id === callId);
    results.push({
      type: 'toolResult',
      callId,
      name: call?.name ?? '',
      arguments: call?.arguments ?? '',
      output: content,
      isError: false,
      durationMs: entry.latencyMs ?? defaultLatency,
      recorded: true,
    });
  }
  return results;
}
