import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { ChatMessage, JsonSchema, ToolCall, ToolSpec } from '../chat/types.js';
import { SESSION_FORMAT, SESSION_FORMAT_VERSION } from './format.js';
import type { SessionHeader } from './format.js';

/** Where an imported object was read: the file and, for JSON Lines or arrays, its 1-based line or item. */
export interface ImportSource {
  file: string;
  line?: number;
}

/** Knobs shared by the importers. */
export interface ImportOptions {
  /** Tool run time recorded for each imported tool result that states none; 300 ms by default. */
  toolLatencyMs?: number;
  /** Goes into `versions.foresight`; `unknown` by default. */
  foresightVersion?: string;
}

/** The tool run time imports assume when the source records none. */
export const DEFAULT_TOOL_LATENCY_MS = 300;

/** A plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value if it is a string, else undefined. */
export function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The longest title taken from a conversation's first user message, in characters. */
export const CONVERSATION_TITLE_CHARS = 80;

/**
 * What a conversation is about, for a list: its first user message with every run of
 * whitespace made one space, cut at a word before CONVERSATION_TITLE_CHARS with an ellipsis;
 * undefined when no user message says anything.
 */
export function conversationTitle(messages: readonly ChatMessage[]): string | undefined {
  for (const m of messages) {
    if (m.role !== 'user') continue;
    const text = (typeof m.content === 'string' ? m.content : '').replace(/\s+/g, ' ').trim();
    if (!text) continue;
    if (text.length <= CONVERSATION_TITLE_CHARS) return text;
    const cut = text.slice(0, CONVERSATION_TITLE_CHARS - 1);
    const space = cut.lastIndexOf(' ');
    return `${(space > CONVERSATION_TITLE_CHARS / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
  }
  return undefined;
}

/**
 * The header every import shares; the same source always gives the same id and title. The
 * title is the source's own, else the conversation's first user message, else the file name
 * (with the line). A source without a date gets the epoch, which the Sessions view reads as
 * "no date" (see `sessionDate`).
 */
export function importedHeader(
  kind: 'responses-rollout' | 'chat-transcript',
  source: ImportSource,
  fields: { model: string; tools: ToolSpec[]; createdAt?: string; title?: string; demo?: boolean; mutatingTools?: string[] | undefined; conversation?: readonly ChatMessage[] },
  options: ImportOptions,
): SessionHeader {
  const name = basename(source.file);
  const where = source.line === undefined ? name : `${name}#${source.line}`;
  const header: SessionHeader = {
    kind: 'header',
    format: SESSION_FORMAT,
    version: SESSION_FORMAT_VERSION,
    // The base name, not the path, so a file gives the same ids wherever it is read from.
    id: createHash('sha1').update(`${kind}:${where}`).digest('hex').slice(0, 12),
    createdAt: fields.createdAt ?? new Date(0).toISOString(),
    model: fields.model,
    endpoint: '',
    tools: fields.tools,
    recordedTools: fields.tools.map((t) => t.function.name),
    versions: { foresight: options.foresightVersion ?? 'unknown' },
    source: source.line === undefined ? { kind, file: source.file } : { kind, file: source.file, line: source.line },
    title: nonBlank(fields.title) ?? conversationTitle(fields.conversation ?? []) ?? (source.line === undefined ? name : `${name} #${source.line}`),
    timing: 'none',
  };
  if (fields.demo !== undefined) header.demo = fields.demo;
  if (fields.mutatingTools !== undefined && fields.mutatingTools.length > 0) header.mutatingTools = fields.mutatingTools;
  return header;
}

function nonBlank(text: string | undefined): string | undefined {
  const trimmed = text?.replace(/\s+/g, ' ').trim();
  return trimmed ? trimmed : undefined;
}

/**
 * Tool declarations made up from the calls a session made, for sources that declare none:
 * one per name, in order of first call, with an object schema whose properties are the
 * argument keys seen, typed from their JSON values.
 */
export function inferToolSpecs(calls: readonly Pick<ToolCall, 'name' | 'arguments'>[]): ToolSpec[] {
  const byName = new Map<string, Map<string, Set<string>>>();
  for (const call of calls) {
    let properties = byName.get(call.name);
    if (!properties) byName.set(call.name, (properties = new Map()));
    let args: unknown;
    try {
      args = JSON.parse(call.arguments) as unknown;
    } catch {
      continue;
    }
    if (!isRecord(args)) continue;
    for (const [key, value] of Object.entries(args)) {
      let types = properties.get(key);
      if (!types) properties.set(key, (types = new Set()));
      types.add(jsonType(value));
    }
  }
  return [...byName].map(([name, properties]) => {
    const schemaProperties: Record<string, JsonSchema> = {};
    for (const [key, types] of properties) {
      // An integer seen beside a fractional number is just a number.
      if (types.has('number')) types.delete('integer');
      const list = [...types];
      schemaProperties[key] = { type: list.length === 1 ? list[0] : list };
    }
    return { type: 'function', function: { name, parameters: { type: 'object', properties: schemaProperties } } };
  });
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/**
 * A tool declaration in chat shape from either wire shape: Chat Completions (`function.name`)
 * or Responses (`name` at the top); undefined for anything without a name or not a function.
 */
export function toolSpecOf(value: unknown): ToolSpec | undefined {
  if (!isRecord(value) || (value.type !== undefined && value.type !== 'function')) return undefined;
  const fn = isRecord(value.function) ? value.function : value;
  const name = stringOr(fn.name);
  if (!name) return undefined;
  const spec: ToolSpec = { type: 'function', function: { name } };
  const description = stringOr(fn.description);
  if (description !== undefined) spec.function.description = description;
  if (isRecord(fn.parameters)) spec.function.parameters = fn.parameters;
  return spec;
}

/**
 * Tool declarations from a list in either wire shape, skipping entries that are not tools.
 * Absent (undefined or null) is no tools; anything else that is not a list throws an Error
 * naming `field`.
 */
export function toolSpecsOf(list: unknown, field = 'tools'): ToolSpec[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new Error(`\`${field}\` should be a list of tool declarations, not ${describeType(list)}`);
  return list.flatMap((value) => toolSpecOf(value) ?? []);
}

/** A unix time in seconds as an ISO date, or undefined when it is not a usable number. */
export function isoFromUnixSeconds(value: unknown): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  const date = new Date(value * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** "a string", "an object", "a number"…, for sentences about a mistyped field. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type}`;
}
