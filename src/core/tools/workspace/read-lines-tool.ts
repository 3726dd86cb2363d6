import type { Tool } from '../../chat/tool.js';
import { underDeadline } from './deadline.js';
import { openRegularFile } from './open-regular-file.js';
import { wholeUtf8Prefix } from './utf8-cut.js';
import { fail, readResult, stampOf } from './workspace-result.js';

/** Limits of one line-range read. */
export interface ReadLinesLimits {
  timeoutMs: number;
  /** Most lines returned at once. */
  maxLines: number;
  /** Most bytes of text returned at once. */
  maxOutputBytes: number;
  /** Most bytes read looking for the range; a range deeper in the file is refused. */
  maxScanBytes: number;
}

export const DEFAULT_READ_LINES_LIMITS: ReadLinesLimits = { timeoutMs: 10_000, maxLines: 2000, maxOutputBytes: 256 * 1024, maxScanBytes: 64 * 1024 * 1024 };

const CHUNK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

/**
 * `read_lines`: lines `start_line`..`end_line` (1-based, inclusive) of a text file inside the
 * root, each prefixed with its number and a tab. Streams the file in 64 KiB slices and stops
 * after the range, so memory stays bounded whatever the file's size; gives up past
 * `maxScanBytes`, on a NUL byte (binary), and at the timeout.
 */
export function readLinesTool(root: string, limits: ReadLinesLimits = DEFAULT_READ_LINES_LIMITS): Tool {
  return {
    name: 'read_lines',
    description: `Read lines of a UTF-8 text file inside the workspace, by 1-based line numbers (inclusive). At most ${limits.maxLines} lines per call; each line comes prefixed with its number and a tab.`,
    parameters: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'Path relative to the workspace root.' },
        start_line: { type: 'integer', minimum: 1, default: 1, description: 'First line to read (1-based).' },
        end_line: { type: 'integer', minimum: 1, description: 'Last line to read (inclusive); defaults to as many as one call allows.' },
      },
      required: ['path'],
      additionalProperties: false,
    },
    readOnly: true,
    run(args, signal) {
      return underDeadline(signal, limits.timeoutMs, (s) => readLines(root, args, limits, s), () => fail(`reading ${String(args.path)} took longer than ${limits.timeoutMs} ms.`));
    },
  };
}

async function readLines(root: string, args: Record<string, unknown>, limits: ReadLinesLimits, signal: AbortSignal) {
  signal.throwIfAborted();
  const path = args.path;
  if (typeof path !== 'string') return fail('read_lines needs "path" as a string.');
  const start = positiveInteger(args.start_line) ?? 1;
  const askedEnd = positiveInteger(args.end_line);
  if (askedEnd !== undefined && askedEnd < start) return fail(`end_line (${askedEnd}) is before start_line (${start}).`);
  const end = Math.min(askedEnd ?? Number.MAX_SAFE_INTEGER, start + limits.maxLines - 1);
  const opened = await openRegularFile(root, path, signal);
  if ('error' in opened) return fail(opened.error);
  const { handle, info } = opened;
  try {
    const parts: Buffer[] = [];
    let outBytes = 0;
    let line = 1;
    let atLineStart = true;
    let position = 0;
    let cutAt: number | undefined;
    let moreAfter = false;
    const chunk = Buffer.alloc(CHUNK_BYTES);
    scan: while (position < info.size) {
      if (position >= limits.maxScanBytes) return fail(`line ${start} is not within the first ${limits.maxScanBytes} bytes of ${path}; use read_file with a byte offset for text that deep.`);
      const { bytesRead } = await handle.read(chunk, 0, Math.min(CHUNK_BYTES, info.size - position), position);
      signal.throwIfAborted();
      if (bytesRead === 0) break;
      const data = chunk.subarray(0, bytesRead);
      position += bytesRead;
      let i = 0;
      // Only what was read through counts: a NUL just after the range says nothing about it.
      const binary = (upTo: number) => data.subarray(0, upTo).includes(0);
      while (i < data.length) {
        const nl = data.indexOf(NEWLINE, i);
        const stop = nl === -1 ? data.length : nl + 1;
        if (line >= start) {
          if (atLineStart) parts.push(Buffer.from(`${line}\t`));
          const room = limits.maxOutputBytes - outBytes;
          const piece = wholeUtf8Prefix(data.subarray(i, stop), room);
          parts.push(Buffer.from(piece));
          outBytes += piece.length;
          if (piece.length < stop - i) {
            if (binary(stop)) return failBinary(path);
            cutAt = line;
            break scan;
          }
        }
        atLineStart = nl !== -1;
        if (nl === -1) break;
        if (line === end) {
          if (binary(stop)) return failBinary(path);
          line++;
          moreAfter = stop < data.length || position < info.size;
          break scan;
        }
        line++;
        i = stop;
      }
      if (binary(data.length)) return failBinary(path);
    }
    const lastLine = atLineStart ? line - 1 : line;
    if (parts.length === 0) {
      if (info.size === 0) return readResult(`(${path} is empty)`, [stampOf(opened.path, info)]);
      return fail(`${path} has ${lastLine} lines; start_line ${start} is past the end.`);
    }
    let text = Buffer.concat(parts).toString('utf8');
    const nl = text.endsWith('\n') ? '' : '\n';
    const capped = askedEnd === undefined || end < askedEnd;
    if (cutAt !== undefined) text += `\n[… line ${cutAt} was cut at the ${limits.maxOutputBytes}-byte limit; read on with start_line ${cutAt + 1}]`;
    else if (line > end && moreAfter && capped) text += `${nl}[… more lines follow; read on with start_line ${end + 1}]`;
    else if (lastLine < end && askedEnd !== undefined) text += `${nl}[end of file at line ${lastLine}]`;
    return readResult(text, [stampOf(opened.path, info)]);
  } finally {
    await handle.close();
  }
}

function failBinary(path: string) {
  return fail(`${path} looks binary (it holds NUL bytes); only text files can be read.`);
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 ? value : undefined;
}
