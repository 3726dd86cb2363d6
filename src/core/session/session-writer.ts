import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ChatMessage, ToolSpec } from '../chat/types.js';
import type { Disposable } from '../disposable.js';
import { redactorFor, redactUrl } from '../util/redact-url.js';
import { SESSION_FORMAT, SESSION_FORMAT_VERSION } from './format.js';
import type { SessionEvent, SessionHeader, SessionRecord } from './format.js';
import type { RawChunk } from '../stream/raw-chunk.js';

/** What a recording says about itself in its header. */
export interface SessionWriterOptions {
  /** The file to append to; its folder is created if missing. */
  path: string;
  id: string;
  model: string;
  /** The endpoint URL as configured; it is sanitised before it is written. */
  endpoint: string;
  tools: ToolSpec[];
  recordedTools?: string[];
  /** Tools that may change things (not read-only), so a replay never runs them early. */
  mutatingTools?: string[];
  rulesHash?: string;
  foresightVersion: string;
  vscodeVersion?: string;
  title?: string;
  /** Clock in milliseconds, for tests; `performance.now` by default. */
  now?: () => number;
  /** Told once when a write fails; the writer then stops writing rather than throw into the agent. */
  onError?: (error: Error) => void;
  /**
   * The header of the session already in `path`, which this writer goes on with: nothing is
   * written for it, and `t` counts from when `now` reads at creation (the session's own start).
   */
  resume?: SessionHeader;
}

/**
 * An endpoint URL safe to store: its user-info part and every credential-named query or
 * fragment parameter value replaced by `***` (see `redactUrl`).
 */
export function sanitizeEndpointUrl(url: string): string {
  return redactUrl(url);
}

/**
 * Records one session as JSON Lines: the header when created, then one line per record, each
 * written synchronously in a single call on a file opened for appending, so a crash loses at
 * most the line being written. `t` is milliseconds since the writer was created. Records
 * after `dispose()` are ignored.
 */
export class SessionWriter implements Disposable {
  /** The header as written. */
  readonly header: SessionHeader;
  readonly path: string;
  private fd: number | undefined;
  private readonly now: () => number;
  private readonly start: number;
  private readonly onError: ((error: Error) => void) | undefined;
  private readonly redact: (text: string) => string;

  constructor(options: SessionWriterOptions) {
    this.path = options.path;
    this.now = options.now ?? (() => performance.now());
    this.start = this.now();
    this.onError = options.onError;
    this.redact = redactorFor(options.endpoint);
    const resumed = options.resume;
    this.header = resumed ?? {
      kind: 'header',
      format: SESSION_FORMAT,
      version: SESSION_FORMAT_VERSION,
      id: options.id,
      createdAt: new Date().toISOString(),
      model: options.model,
      endpoint: sanitizeEndpointUrl(options.endpoint),
      tools: options.tools,
      versions: { foresight: options.foresightVersion, node: process.version },
      source: { kind: 'recording' },
      timing: 'recorded',
    };
    if (resumed) {
      mkdirSync(dirname(options.path), { recursive: true });
      this.fd = openSync(options.path, 'a');
      return;
    }
    if (options.recordedTools) this.header.recordedTools = options.recordedTools;
    if (options.mutatingTools && options.mutatingTools.length > 0) this.header.mutatingTools = options.mutatingTools;
    if (options.rulesHash !== undefined) this.header.rulesHash = options.rulesHash;
    if (options.vscodeVersion !== undefined) this.header.versions.vscode = options.vscodeVersion;
    if (options.title !== undefined) this.header.title = options.title;
    // Opening may throw (no permission, bad path): the caller decides whether to record at all.
    mkdirSync(dirname(options.path), { recursive: true });
    this.fd = openSync(options.path, 'a');
    this.write(this.header);
  }

  /** Records that model call `turn` begins with these messages. */
  request(turn: number, messages: readonly ChatMessage[]): void {
    this.write({ kind: 'request', t: this.elapsed(), turn, messages: [...messages] });
  }

  /** Records one raw streamed chunk of model call `turn`, as received. */
  chunk(turn: number, chunk: RawChunk): void {
    this.write({ kind: 'chunk', t: this.elapsed(), turn, chunk });
  }

  /** Records a derived event (tool run, error…) of model call `turn`; an error's text loses any credential it quotes. */
  event(turn: number, event: SessionEvent): void {
    const safe = event.type === 'error' ? { ...event, message: this.redact(event.message) } : event;
    this.write({ kind: 'event', t: this.elapsed(), turn, event: safe });
  }

  /** Closes the file; later records are dropped. Safe to call twice. */
  dispose(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      closeSync(fd);
    } catch {
      // Nothing left to lose: every line was written when it was recorded.
    }
  }

  private elapsed(): number {
    // Tenths of a millisecond are plenty for replay and keep the lines short.
    return Math.round((this.now() - this.start) * 10) / 10;
  }

  private write(record: SessionRecord): void {
    if (this.fd === undefined) return;
    try {
      const bytes = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
      // writeSync may write less than asked; finish the line before anything else is recorded.
      for (let done = 0; done < bytes.length; ) done += writeSync(this.fd, bytes, done);
    } catch (error) {
      this.dispose();
      this.onError?.(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
