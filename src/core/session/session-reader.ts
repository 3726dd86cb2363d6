import { constants, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { SESSION_FORMAT, SESSION_FORMAT_VERSION } from './format.js';
import type { Session, SessionReadProblem, SessionTurn } from './format.js';
import { importChatTranscript } from './import-chat.js';
import { isRecord } from './import-common.js';
import type { ImportOptions } from './import-common.js';
import { importResponsesRollout } from './import-responses.js';
import { checkRecord, isHeaderlessRecord } from './record-checks.js';
import { Utf8Lines } from './utf8-lines.js';

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

/** Bytes read from a session file at a time. */
const READ_CHUNK_BYTES = 1 << 20;

/**
 * Reads a session file of any kind `parseSessionText` accepts, with the same result. Only a
 * regular file is read: a FIFO, socket or device is one problem, found without blocking on it.
 * JSON Lines (how sessions are recorded) are read and parsed line by line as the file streams
 * in, so the file's text never sits in memory whole; a file whose first line is not JSON on its
 * own (a pretty-printed transcript) or is a list is read whole. Never throws: a file that cannot
 * be read is one problem.
 */
export async function readSessionFile(path: string, options: ImportOptions = {}): Promise<SessionFileContents> {
  return readSessionFileInChunks(path, options, READ_CHUNK_BYTES);
}

/** `readSessionFile`, reading `chunkBytes` at a time (small in tests, to cut lines and characters across reads). */
export async function readSessionFileInChunks(path: string, options: ImportOptions, chunkBytes: number): Promise<SessionFileContents> {
  try {
    const handle = await open(path, OPEN_FLAGS);
    try {
      const info = await handle.stat();
      if (!info.isFile()) return { sessions: [], problems: [{ file: path, line: 0, message: notAFileMessage(info) }] };
      const lines = new StreamedLines(path, options);
      const buffer = Buffer.alloc(chunkBytes);
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, chunkBytes, null);
        if (bytesRead === 0) break;
        if (!lines.write(buffer.subarray(0, bytesRead))) break;
      }
      return lines.end();
    } finally {
      await handle.close();
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { sessions: [], problems: [{ file: path, line: 0, message: `Could not read the file: ${reason}` }] };
  }
}

/**
 * A file's bytes cut into lines as they come and fed to a `JsonLinesReader`, once the first
 * non-blank line shows the file is JSON Lines; until then (and for good, when it is not) the
 * bytes are kept, to be read whole by `parseSessionText`. Lines are numbered and cut as
 * `parseSessionText` cuts them (at `\n`, one `\r` before it dropped).
 */
class StreamedLines {
  private readonly cutter = new Utf8Lines();
  private mode: 'undecided' | 'lines' | 'whole' = 'undecided';
  /** The bytes so far (copies), while they may still have to be read whole. */
  private held: Buffer[] = [];
  private number = 0;
  private readonly reader: JsonLinesReader;

  constructor(
    private readonly file: string,
    private readonly options: ImportOptions,
  ) {
    this.reader = new JsonLinesReader(file, options);
  }

  /** Takes the next bytes (not kept: the caller may reuse them); false once the result is settled and the rest need not be read. */
  write(bytes: Buffer): boolean {
    if (this.mode !== 'lines') this.held.push(Buffer.from(bytes));
    if (this.mode !== 'whole') this.cutter.push(bytes, this.take);
    return this.reader.result === undefined;
  }

  end(): SessionFileContents {
    if (this.mode === 'lines') {
      // The last piece, after the last newline, is a line too (with any `\r` it ends with).
      const last = this.cutter.flush();
      this.reader.line(last, ++this.number);
      // A file cut off mid-line (a crash while recording) ends without a newline; this one has one.
      return this.reader.end(last.trim() !== '');
    }
    return parseSessionText(Buffer.concat(this.held).toString('utf8'), this.file, this.options);
  }

  private readonly take = (text: string): boolean => {
    const line = ++this.number === 1 && text.startsWith('\uFEFF') ? text.slice(1) : text;
    if (this.mode === 'lines') {
      this.reader.line(line, this.number);
      return this.reader.result === undefined;
    }
    if (isBlank(line)) return true;
    // The first non-blank line decides: JSON on its own and not a list, so JSON Lines.
    const parsed = parseJson(line);
    if (!parsed.ok || Array.isArray(parsed.value)) {
      this.mode = 'whole';
      return false;
    }
    this.mode = 'lines';
    this.held = [];
    this.reader.parsedLine(parsed.value, this.number);
    return this.reader.result === undefined;
  };
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
  const reader = new JsonLinesReader(file, options);
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length && reader.result === undefined; i++) reader.line(lines[i] ?? '', i + 1);
  // A file cut off mid-line (a crash while recording) ends without a newline.
  return reader.end(!/\n\s*$/.test(text), wholeError);
}

/**
 * Reads JSON Lines one line at a time, in order: the first readable line says what the file
 * holds (Foresight session records, rollouts or transcripts), then each line is a record or
 * one session. A line that is not JSON is reported once it is known whether it was the last
 * one (the last one of a file cut off mid-line is reported as such).
 */
class JsonLinesReader {
  private readonly out: SessionFileContents = { sessions: [], problems: [] };
  private kind: FileKind | undefined;
  private readonly early: SessionReadProblem[] = [];
  private readonly assembler: SessionAssembler;
  /** The latest line that was not JSON, reported when the next non-blank line (or the end) comes. */
  private unparsed: { line: number; error: string; early: boolean } | undefined;
  /** Set when a line settled what the whole file reads as (nothing more is read). */
  result: SessionFileContents | undefined;

  constructor(
    private readonly file: string,
    private readonly options: ImportOptions,
  ) {
    this.assembler = new SessionAssembler(file, this.out);
  }

  line(line: string, number: number): void {
    if (this.result !== undefined || isBlank(line)) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      this.report(false);
      this.unparsed = { line: number, error: jsonErrorText(error), early: this.kind === undefined };
      return;
    }
    this.parsedLine(value, number);
  }

  /** A non-blank line, already parsed. */
  parsedLine(value: unknown, number: number): void {
    if (this.result !== undefined) return;
    this.report(false);
    const file = this.file;
    if (this.kind === undefined) {
      if (isHeaderlessRecord(value)) {
        const what = (value as { kind: string }).kind;
        this.result = {
          sessions: [],
          problems: [...this.early, { file, line: number, message: `The file holds Foresight session records but no session header (the first readable line is a ${what} record); a recording starts with its header, so nothing was read.` }],
        };
        return;
      }
      this.kind = kindOf(value);
      if (this.kind === undefined) {
        this.result = { sessions: [], problems: [{ file, line: number, message: `The file ${NOT_A_SESSION}.` }] };
        return;
      }
      this.out.problems.push(...this.early);
    }
    if (this.kind === 'session') this.assembler.add(value, number);
    else importInto(this.out, this.kind, value, file, number, this.options, 'The line');
  }

  /** After the last line; `truncated`: the text does not end with a newline (and whitespace). */
  end(truncated: boolean, wholeError?: string): SessionFileContents {
    if (this.result !== undefined) return this.result;
    this.report(truncated);
    if (this.kind === undefined) {
      // Not one line is JSON: the file as a whole is the better thing to report on.
      const why = wholeError === undefined ? '' : ` (${wholeError})`;
      return { sessions: [], problems: [{ file: this.file, line: 0, message: `The file is not valid JSON${why}, so it ${NOT_A_SESSION}.` }] };
    }
    return this.out;
  }

  /** Reports the pending unparsable line; `last`: it was the last line of a file cut off mid-line. */
  private report(last: boolean): void {
    const u = this.unparsed;
    if (u === undefined) return;
    this.unparsed = undefined;
    const message = last ? 'The last line is incomplete (the recording probably stopped while writing it); it was skipped.' : `Not valid JSON (${u.error}); the line was skipped.`;
    (u.early ? this.early : this.out.problems).push({ file: this.file, line: u.line, message });
  }
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
    else if (record.event.type === 'specReason') open.turn.specReason = record.event.turn;
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
    return { ok: false, error: jsonErrorText(error) };
  }
}

function jsonErrorText(error: unknown): string {
  // V8 quotes the text it choked on, newlines and all; one line reads better in a list of problems.
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, ' ').trim();
}

/** `line.trim() === ''`, answered at the first character for the usual line (a JSON object). */
function isBlank(line: string): boolean {
  if (line.length === 0) return true;
  const first = line.charCodeAt(0);
  // Printable ASCII is never white space.
  if (first > 32 && first < 127) return false;
  return line.trim() === '';
}
