import type { ToolSpec } from '../chat/types.js';
import { SESSION_FORMAT } from './format.js';
import type { ChunkRecord, EventRecord, RequestRecord, SessionHeader } from './format.js';
import { redactUrl } from '../util/redact-url.js';
import { isRecord } from './import-common.js';

/** A checked record, or a sentence saying which field is wrong (without a trailing full stop). */
export type CheckedRecord =
  | { ok: true; record: RequestRecord | ChunkRecord | EventRecord }
  | { ok: true; record: SessionHeader; warnings: string[] }
  | { ok: false; problem: string };

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);

/**
 * Checks a parsed line of a Foresight session down to the fields replay, eval and the
 * endpoint read: a header's `tools` (entries that are not tool declarations are left out,
 * with a warning) and its `endpoint` (credentials masked), a request's messages and their `tool_calls`, a chunk's `choices`, deltas
 * and `tool_calls`, an event's fields by type. Never throws.
 */
export function checkRecord(value: unknown): CheckedRecord {
  if (!isRecord(value)) return bad('Not a record (a JSON object)');
  // Every line of a recording comes here: the usual record is checked without building the list of what it lacks.
  const timed = isTimed(value);
  switch (value.kind) {
    case 'header':
      return checkHeader(value);
    case 'request': {
      const messagesOk = isMessageList(value.messages);
      if (!timed || !messagesOk) return bad(`A request record needs ${lacking(value, [['messages (a list of messages with a role)', messagesOk]])}`);
      const problem = messagesProblem(value.messages as unknown[]);
      return problem ? bad(`A request record's ${problem}`) : { ok: true, record: value as unknown as RequestRecord };
    }
    case 'chunk': {
      const chunkOk = isRecord(value.chunk);
      if (!timed || !chunkOk) return bad(`A chunk record needs ${lacking(value, [['chunk (an object)', chunkOk]])}`);
      const problem = chunkProblem(value.chunk as Record<string, unknown>);
      return problem ? bad(`A chunk record's ${problem}`) : { ok: true, record: value as unknown as ChunkRecord };
    }
    case 'event': {
      if (!timed) return bad(`An event record needs ${lacking(value, [])}`);
      const problem = eventProblem(value.event);
      return problem ? bad(`An event record's ${problem}`) : { ok: true, record: value as unknown as EventRecord };
    }
    default:
      return bad(`Unknown record kind ${JSON.stringify(value.kind ?? null).slice(0, 60)} (expected header, request, chunk or event)`);
  }
}

function isTimed(value: Record<string, unknown>): boolean {
  return typeof value.t === 'number' && Number.isFinite(value.t) && Number.isInteger(value.turn);
}

/** What a record that failed a check lacks, the time fields first, as a phrase. */
function lacking(value: Record<string, unknown>, more: [string, boolean][]): string {
  return missing([
    ['t (a number)', typeof value.t === 'number' && Number.isFinite(value.t)],
    ['turn (a whole number)', Number.isInteger(value.turn)],
    ...more,
  ]).join(', ');
}

/** True for a line that is a Foresight record other than a header: what a file that lost its header starts with. */
export function isHeaderlessRecord(value: unknown): boolean {
  return isRecord(value) && (value.kind === 'request' || value.kind === 'chunk' || value.kind === 'event') && typeof value.t === 'number' && Number.isInteger(value.turn);
}

function checkHeader(value: Record<string, unknown>): CheckedRecord {
  const lacking = missing([
    [`format "${SESSION_FORMAT}"`, value.format === SESSION_FORMAT],
    ['version (a number)', typeof value.version === 'number'],
    ['id (text)', typeof value.id === 'string'],
    ['model (text)', typeof value.model === 'string'],
    ['tools (a list)', Array.isArray(value.tools)],
    ['versions (an object)', isRecord(value.versions)],
  ]);
  if (lacking.length > 0) return bad(`A header needs ${lacking.join(', ')}`);
  const warnings: string[] = [];
  const tools: ToolSpec[] = [];
  (value.tools as unknown[]).forEach((tool, i) => {
    const problem = toolSpecProblem(tool);
    if (problem) warnings.push(`The header's tools[${i}] ${problem}; it was left out`);
    else tools.push(tool as ToolSpec);
  });
  const header = { ...value, tools } as unknown as SessionHeader;
  if (value.recordedTools !== undefined && !(Array.isArray(value.recordedTools) && value.recordedTools.every((n) => typeof n === 'string'))) {
    warnings.push("The header's recordedTools should be a list of tool names; it was ignored");
    delete header.recordedTools;
  }
  if (value.mutatingTools !== undefined && !(Array.isArray(value.mutatingTools) && value.mutatingTools.every((n) => typeof n === 'string'))) {
    warnings.push("The header's mutatingTools should be a list of tool names; it was ignored");
    delete header.mutatingTools;
  }
  for (const key of ['endpoint', 'createdAt', 'title'] as const) {
    if (value[key] !== undefined && typeof value[key] !== 'string') {
      warnings.push(`The header's ${key} should be text; it was ignored`);
      if (key === 'title') delete header.title;
      else header[key] = '';
    }
  }
  // Shown in the sessions view and the trace panel: a file written elsewhere may carry a key in it.
  if (typeof header.endpoint === 'string') header.endpoint = redactUrl(header.endpoint);
  return { ok: true, record: header, warnings };
}

function toolSpecProblem(tool: unknown): string | undefined {
  if (!isRecord(tool)) return 'is not a tool declaration (an object)';
  if (tool.type !== undefined && tool.type !== 'function') return `has type ${JSON.stringify(tool.type).slice(0, 40)}, not "function"`;
  const fn = tool.function;
  if (!isRecord(fn) || typeof fn.name !== 'string' || fn.name === '') return 'needs function.name (text)';
  if (fn.description !== undefined && typeof fn.description !== 'string') return 'has a function.description that is not text';
  if (fn.parameters !== undefined && !isRecord(fn.parameters)) return 'has function.parameters that are not an object (a JSON Schema)';
  return undefined;
}

function messagesProblem(messages: readonly unknown[]): string | undefined {
  for (const [i, m] of messages.entries()) {
    const message = m as Record<string, unknown>;
    const content = message.content;
    if (content !== undefined && content !== null && typeof content !== 'string' && !Array.isArray(content)) {
      return `messages[${i}].content should be text, a list of parts or null`;
    }
    const calls = message.tool_calls;
    if (calls === undefined || calls === null) continue;
    if (!Array.isArray(calls)) return `messages[${i}].tool_calls should be a list`;
    for (const [j, call] of calls.entries()) {
      const fn = isRecord(call) ? call.function : undefined;
      if (!isRecord(fn) || typeof fn.name !== 'string' || (fn.arguments !== undefined && typeof fn.arguments !== 'string')) {
        return `messages[${i}].tool_calls[${j}] needs function.name and function.arguments as text`;
      }
    }
  }
  return undefined;
}

function chunkProblem(chunk: Record<string, unknown>): string | undefined {
  if (chunk.usage !== undefined && chunk.usage !== null && !isRecord(chunk.usage)) return 'chunk.usage should be an object or null';
  const choices = chunk.choices;
  if (choices === undefined || choices === null) return undefined;
  if (!Array.isArray(choices)) return 'chunk.choices should be a list';
  for (let i = 0; i < choices.length; i++) {
    const choice: unknown = choices[i];
    if (!isRecord(choice)) return `chunk.choices[${i}] should be an object`;
    if (choice.finish_reason !== undefined && choice.finish_reason !== null && typeof choice.finish_reason !== 'string') {
      return `chunk.choices[${i}].finish_reason should be text or null`;
    }
    const delta = choice.delta;
    if (delta === undefined || delta === null) continue;
    if (!isRecord(delta)) return `chunk.choices[${i}].delta should be an object`;
    for (const key of DELTA_TEXTS) {
      const text = delta[key];
      if (text !== undefined && text !== null && typeof text !== 'string') return `chunk.choices[${i}].delta.${key} should be text or null`;
    }
    const calls = delta.tool_calls;
    if (calls === undefined || calls === null) continue;
    if (!Array.isArray(calls)) return `chunk.choices[${i}].delta.tool_calls should be a list`;
    for (let j = 0; j < calls.length; j++) {
      const problem = callDeltaProblem(calls[j]);
      if (problem) return `chunk.choices[${i}].delta.tool_calls[${j}]${problem}`;
    }
  }
  return undefined;
}

/** The delta fields that must be text (or null) when present. */
const DELTA_TEXTS = ['role', 'content', 'reasoning_content', 'reasoning'] as const;

/** What is wrong with one tool-call delta, as the end of a sentence starting with where it is. */
function callDeltaProblem(call: unknown): string | undefined {
  if (!isRecord(call)) return ' should be an object';
  if (call.index !== undefined && !Number.isInteger(call.index)) return '.index should be a whole number';
  if (call.id !== undefined && call.id !== null && typeof call.id !== 'string') return '.id should be text';
  const fn = call.function;
  if (fn === undefined || fn === null) return undefined;
  if (!isRecord(fn)) return '.function should be an object';
  if (fn.name !== undefined && fn.name !== null && typeof fn.name !== 'string') return '.function.name should be text';
  if (fn.arguments !== undefined && fn.arguments !== null && typeof fn.arguments !== 'string') return '.function.arguments should be text';
  return undefined;
}

function eventProblem(event: unknown): string | undefined {
  if (!isRecord(event) || typeof event.type !== 'string') return 'event should be an object with a type';
  switch (event.type) {
    case 'toolResult':
      return isToolResult(event) ? undefined : 'tool result needs callId, name, arguments and output (text), isError (true or false) and durationMs (a number)';
    case 'toolStart':
      return typeof event.callId === 'string' && typeof event.name === 'string' ? undefined : 'tool start needs callId and name (text)';
    case 'speculation':
      return isRecord(event.event) && typeof event.event.type === 'string' ? undefined : 'speculation needs event (an object with a type)';
    case 'turnMetrics':
      return isRecord(event.metrics) ? undefined : 'turn metrics need metrics (an object)';
    case 'turnEnd':
      return typeof event.finishReason === 'string' ? undefined : 'turn end needs finishReason (text)';
    case 'error':
      return typeof event.message === 'string' ? undefined : 'error needs message (text)';
    default:
      // A newer writer's event: kept, and ignored by whoever does not know it.
      return undefined;
  }
}

function isMessageList(value: unknown): boolean {
  return Array.isArray(value) && value.every((m) => isRecord(m) && typeof m.role === 'string' && ROLES.has(m.role));
}

function isToolResult(event: Record<string, unknown>): boolean {
  return (
    typeof event.callId === 'string' &&
    typeof event.name === 'string' &&
    typeof event.arguments === 'string' &&
    typeof event.output === 'string' &&
    typeof event.isError === 'boolean' &&
    typeof event.durationMs === 'number'
  );
}

function missing(fields: [string, boolean][]): string[] {
  return fields.filter(([, ok]) => !ok).map(([name]) => name);
}

function bad(problem: string): CheckedRecord {
  return { ok: false, problem };
}
