import { constants, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { SESSION_FORMAT, SESSION_FORMAT_VERSION } from './format.js';
import type { Session, SessionReadProblem, SessionTurn } from './format.js';
import { importChatTranscript } from './import-chat.js';
import { isRecord } from './import-common.js';
import type { ImportOptions } from './import-common.js';
import { importResponsesRollout } from './import-responses.js';
import { checkRecord, isHeaderlessRecord } from './record-checks.js';

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

// Opening a FIFO for reading blocks until a writer comes, unless it is opened non-blocking.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Reads a session file of any kind `parseSessionText` accepts. Only a regular file is read: a
 * FIFO, socket or device is one problem, found without blocking on it. Never throws: a file
 * that cannot be read is one problem.
 */
export async function readSessionFile(path: string, options: ImportOptions = {}): Promise<SessionFileContents> {
  let text: string;
  try {
    const handle = await open(path, OPEN_FLAGS);
    try {
      const info = await handle.stat();
      if (!info.isFile()) return { sessions: [], problems: [{ file: path, line: 0, message: notAFileMessage(info) }] };
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { sessions: [], problems: [{ file: path, line: 0, message: `Could not read the file: ${reason}` }] };
  }
  return parseSessionText(text, path, options);
}

/** What a sessions path that is a FIFO, socket or device is reported as. */
export function notAFileMessage(info: Pick<Stats, 'isDirectory' | 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice'>): string {
  let kind = 'a FIFO, socket or device';
  if (info.isDirectory()) kind = 'a folder';
  else if (info.isFIFO()) kind = 'a FIFO';
  else if (info.isSocket()) kind = 'a socket';
  else if (info.isCharacterDevice() || info.isBlockDevice()) kind = 'a device';
  return `Not a regular file but ${kind}; it was skipped without being read.`;
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
      if (isHeaderlessRecord(parsed.value)) {
        const what = (parsed.value as { kind: string }).kind;
        return {
          sessions: [],
          problems: [...early, { file, line: number, message: `The file holds Foresight session records but no session header (the first readable line is a ${what} record); a recording starts with its header, so nothing was read.` }],
        };
      }
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
  /** A header was unreadable: its records are skipped quietly, since its problem said so once. */
  private skipping = false;

  constructor(
    private readonly file: string,
    private readonly out: SessionFileContents,
  ) {}

  add(value: unknown, line: number): void {
    const checked = checkRecord(value);
    if (!checked.ok) {
      if (isRecord(value) && value.kind === 'header') {
        this.current = undefined;
        this.skipping = true;
        return this.problem(line, `${checked.problem}; the header and the records after it, up to the next header, were skipped.`);
      }
      if (this.skipping) return;
      return this.problem(line, `${checked.problem}; the line was skipped.`);
    }
    const record = checked.record;
    if (record.kind === 'header') {
      this.skipping = false;
      if ('warnings' in checked) for (const warning of checked.warnings) this.problem(line, `${warning}.`);
      if (record.version > SESSION_FORMAT_VERSION) {
        this.problem(line, `The session was written by a newer Foresight (format ${record.version}); reading what this version knows.`);
      }
      const session: Session = { header: record, turns: [] };
      this.out.sessions.push(session);
      this.current = { session, turns: new Map() };
      return;
    }
    if (this.skipping) return;
    if (!this.current) return this.problem(line, 'A record before any session header; the line was skipped.');
    if (record.kind === 'request') {
      const turn: SessionTurn = { index: record.turn, request: record.messages, chunks: [], toolResults: [], startedAt: record.t, toolResultsAt: [] };
      this.current.session.turns.push(turn);
      this.current.turns.set(record.turn, { turn, t: record.t });
      return;
    }
    const open = this.current.turns.get(record.turn);
    if (!open) return this.problem(line, `A ${record.kind} for turn ${record.turn}, which has no request; the line was skipped.`);
    if (record.kind === 'chunk') open.turn.chunks.push({ t: Math.max(0, record.t - open.t), chunk: record.chunk });
    else if (record.event.type === 'toolResult') {
      open.turn.toolResults.push(record.event);
      open.turn.toolResultsAt?.push(Math.max(0, record.t - open.t));
    }
    else if (record.event.type === 'speculation' || record.event.type === 'turnMetrics') {
      (open.turn.speculation ??= []).push({ t: Math.max(0, record.t - open.t), event: record.event });
    }
  }

  private problem(line: number, message: string): void {
    this.out.problems.push({ file: this.file, line, message });
  }
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
