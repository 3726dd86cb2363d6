import { readFile } from 'node:fs/promises';
import { SESSION_FORMAT, SESSION_FORMAT_VERSION } from './format.js';
import type {
  ChunkRecord,
  EventRecord,
  RequestRecord,
  Session,
  SessionHeader,
  SessionReadProblem,
  SessionRecord,
  SessionTurn,
} from './format.js';
import { importChatTranscript } from './import-chat.js';
import { isRecord } from './import-common.js';
import type { ImportOptions } from './import-common.js';
import { importResponsesRollout } from './import-responses.js';

/** Every session a file holds, and every part of it that could not be read. */
export interface SessionFileContents {
  sessions: Session[];
  /** In file order; `line` is 1-based, or 0 when the problem concerns the file as a whole. */
  problems: SessionReadProblem[];
}

type FileKind = 'session' | 'rollout' | 'chat';

const NOT_A_SESSION =
  'is neither a Foresight session, an OpenAI Responses rollout nor a Chat Completions transcript ' +
  '(an object with `messages`)';

/**
 * Reads a session file of any kind `parseSessionText` accepts. Never throws: a file that
 * cannot be read is one problem.
 */
export async function readSessionFile(path: string, options: ImportOptions = {}): Promise<SessionFileContents> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { sessions: [], problems: [{ file: path, line: 0, message: `Could not read the file: ${reason}` }] };
  }
  return parseSessionText(text, path, options);
}

/**
 * Reads sessions from text, recognised by content: Foresight session JSON Lines (records
 * grouped into turns), OpenAI Responses rollouts as JSON Lines (one session per line), or Chat
 * Completions transcripts (one JSON object, an array of them, or JSON Lines of them; one
 * session each). A line that cannot be read is reported with its number and skipped; the rest
 * is still read. Never throws.
 */
export function parseSessionText(text: string, file: string, options: ImportOptions = {}): SessionFileContents {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (body.trim() === '') return { sessions: [], problems: [{ file, line: 0, message: 'The file is empty.' }] };
  // A pretty-printed transcript spans many lines, so try the whole text as one JSON value first.
  const whole = parseJson(body);
  // One object on one line is JSON Lines of one line: read it as such so it keeps its line number.
  if (whole.ok && (Array.isArray(whole.value) || body.trim().includes('\n'))) return fromJsonValue(whole.value, file, options);
  return fromJsonLines(body, file, options, whole.ok ? undefined : whole.error);
}

function fromJsonValue(value: unknown, file: string, options: ImportOptions): SessionFileContents {
  const out: SessionFileContents = { sessions: [], problems: [] };
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      const kind = kindOf(item);
      if (kind === 'rollout' || kind === 'chat') {
        importInto(out, kind, item, file, i + 1, options, `Item ${i + 1} of the list`);
      } else {
        out.problems.push({ file, line: 0, message: `Item ${i + 1} of the list ${NOT_A_SESSION}.` });
      }
    });
    if (value.length === 0) out.problems.push({ file, line: 0, message: 'The file holds an empty list.' });
    return out;
  }
  const kind = kindOf(value);
  if (kind === 'session') {
    // A session file whose only line is its header: a recording stopped before the first request.
    return fromJsonLines(JSON.stringify(value), file, options);
  }
  if (kind === undefined) return { sessions: [], problems: [{ file, line: 0, message: `The file ${NOT_A_SESSION}.` }] };
  importInto(out, kind, value, file, undefined, options, 'The file');
  return out;
}

function fromJsonLines(text: string, file: string, options: ImportOptions, wholeError?: string): SessionFileContents {
  const out: SessionFileContents = { sessions: [], problems: [] };
  const lines = text.split(/\r?\n/);
  const lastLine = lastNonBlank(lines);
  // A file cut off mid-line (a crash while recording) ends without a newline.
  const truncated = !/\n\s*$/.test(text);
  let kind: FileKind | undefined;
  const early: SessionReadProblem[] = [];
  const assembler = new SessionAssembler(file, out);

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') continue;
    const number = i + 1;
    const parsed = parseJson(line);
    if (!parsed.ok) {
      const message =
        truncated && number === lastLine
          ? 'The last line is incomplete (the recording probably stopped while writing it); it was skipped.'
          : `Not valid JSON (${parsed.error}); the line was skipped.`;
      (kind === undefined ? early : out.problems).push({ file, line: number, message });
      continue;
    }
    if (kind === undefined) {
      kind = kindOf(parsed.value);
      if (kind === undefined) {
        return { sessions: [], problems: [{ file, line: number, message: `The file ${NOT_A_SESSION}.` }] };
      }
      out.problems.push(...early);
    }
    if (kind === 'session') assembler.add(parsed.value, number);
    else importInto(out, kind, parsed.value, file, number, options, 'The line');
  }
  if (kind === undefined) {
    // Not one line is JSON: the file as a whole is the better thing to report on.
    const why = wholeError === undefined ? '' : ` (${wholeError})`;
    return { sessions: [], problems: [{ file, line: 0, message: `The file is not valid JSON${why}, so it ${NOT_A_SESSION}.` }] };
  }
  return out;
}

function importInto(
  out: SessionFileContents,
  kind: 'rollout' | 'chat',
  value: unknown,
  file: string,
  line: number | undefined,
  options: ImportOptions,
  what: string,
): void {
  try {
    const source = line === undefined ? { file } : { file, line };
    out.sessions.push(
      kind === 'rollout' ? importResponsesRollout(value, source, options) : importChatTranscript(value, source, options),
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    out.problems.push({ file, line: line ?? 0, message: `${what} could not be imported: ${reason}.` });
  }
}

function kindOf(value: unknown): FileKind | undefined {
  if (!isRecord(value)) return undefined;
  if (value.kind === 'header' && value.format === SESSION_FORMAT) return 'session';
  if (isRecord(value.response) && Array.isArray(value.response.output)) return 'rollout';
  if (Array.isArray(value.messages)) return 'chat';
  return undefined;
}

/** Groups session records into sessions and turns as they are read, line by line. */
class SessionAssembler {
  private current: { session: Session; turns: Map<number, { turn: SessionTurn; t: number }> } | undefined;

  constructor(
    private readonly file: string,
    private readonly out: SessionFileContents,
  ) {}

  add(value: unknown, line: number): void {
    const record = checkRecord(value);
    if (typeof record === 'string') return this.problem(line, `${record}; the line was skipped.`);
    if (record.kind === 'header') {
      if (record.version > SESSION_FORMAT_VERSION) {
        this.problem(line, `The session was written by a newer Foresight (format ${record.version}); reading what this version knows.`);
      }
      const session: Session = { header: record, turns: [] };
      this.out.sessions.push(session);
      this.current = { session, turns: new Map() };
      return;
    }
    if (!this.current) return this.problem(line, 'A record before any session header; the line was skipped.');
    if (record.kind === 'request') {
      const turn: SessionTurn = { index: record.turn, request: record.messages, chunks: [], toolResults: [] };
      this.current.session.turns.push(turn);
      this.current.turns.set(record.turn, { turn, t: record.t });
      return;
    }
    const open = this.current.turns.get(record.turn);
    if (!open) return this.problem(line, `A ${record.kind} for turn ${record.turn}, which has no request; the line was skipped.`);
    if (record.kind === 'chunk') open.turn.chunks.push({ t: Math.max(0, record.t - open.t), chunk: record.chunk });
    else if (record.event.type === 'toolResult') open.turn.toolResults.push(record.event);
    else if (record.event.type === 'speculation' || record.event.type === 'turnMetrics') {
      (open.turn.speculation ??= []).push({ t: Math.max(0, record.t - open.t), event: record.event });
    }
  }

  private problem(line: number, message: string): void {
    this.out.problems.push({ file: this.file, line, message });
  }
}

/** The record if `value` has the shape of one, else a sentence saying what is wrong. */
function checkRecord(value: unknown): SessionRecord | string {
  if (!isRecord(value)) return 'Not a record (a JSON object)';
  const missing = (fields: [string, boolean][]): string[] => fields.filter(([, ok]) => !ok).map(([name]) => name);
  const timed: [string, boolean][] = [
    ['t (a number)', typeof value.t === 'number' && Number.isFinite(value.t)],
    ['turn (a whole number)', Number.isInteger(value.turn)],
  ];
  let lacking: string[];
  switch (value.kind) {
    case 'header':
      lacking = missing([
        [`format "${SESSION_FORMAT}"`, value.format === SESSION_FORMAT],
        ['version (a number)', typeof value.version === 'number'],
        ['id (text)', typeof value.id === 'string'],
        ['model (text)', typeof value.model === 'string'],
        ['tools (a list)', Array.isArray(value.tools)],
        ['versions (an object)', isRecord(value.versions)],
      ]);
      return lacking.length > 0 ? `A header needs ${lacking.join(', ')}` : (value as unknown as SessionHeader);
    case 'request':
      lacking = missing([...timed, ['messages (a list of messages with a role)', isMessageList(value.messages)]]);
      return lacking.length > 0 ? `A request record needs ${lacking.join(', ')}` : (value as unknown as RequestRecord);
    case 'chunk':
      lacking = missing([...timed, ['chunk (an object)', isRecord(value.chunk)]]);
      return lacking.length > 0 ? `A chunk record needs ${lacking.join(', ')}` : (value as unknown as ChunkRecord);
    case 'event': {
      const event = value.event;
      const eventOk = isRecord(event) && typeof event.type === 'string' && (event.type !== 'toolResult' || isToolResult(event));
      lacking = missing([...timed, ['event (an object with a type; a tool result with all its fields)', eventOk]]);
      return lacking.length > 0 ? `An event record needs ${lacking.join(', ')}` : (value as unknown as EventRecord);
    }
    default:
      return `Unknown record kind ${JSON.stringify(value.kind ?? null)} (expected header, request, chunk or event)`;
  }
}

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);

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

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    // V8 quotes the text it choked on, newlines and all; one line reads better in a list of problems.
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: message.replace(/\s+/g, ' ').trim() };
  }
}

function lastNonBlank(lines: readonly string[]): number {
  for (let i = lines.length - 1; i >= 0; i--) if ((lines[i] ?? '').trim() !== '') return i + 1;
  return 0;
}
