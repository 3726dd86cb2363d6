import { open } from 'node:fs/promises';
import type { Tool } from '../../chat/tool.js';
import { underDeadline } from './deadline.js';
import { fileInsideRoot, folderInsideRoot } from './folder-inside-root.js';
import { compileGlob } from './glob.js';
import { notARegularFile, OPEN_FLAGS } from './open-regular-file.js';
import { compileTextPattern, type TextPattern } from './text-pattern.js';
import { walkFiles } from './walk-files.js';
import { fail, readResult, stampOf, type FileStamp } from './workspace-result.js';

/** Limits of one text search across files. */
export interface SearchTextLimits {
  timeoutMs: number;
  maxMatches: number;
  /** Most entries looked at in the walk. */
  maxEntries: number;
  /** Most bytes read from one file; the rest of it is not searched, and the result says so. */
  maxFileBytes: number;
  /** Most bytes read in all. */
  maxTotalBytes: number;
  skipFolders: readonly string[];
}

const CHUNK_BYTES = 64 * 1024;
// A longer line is searched in pieces of this size; a match across two pieces is missed.
const MAX_LINE_BYTES = 16 * 1024;
const SHOWN_LINE_CHARS = 240;

/**
 * `search_text`: lines containing a literal or a regex, across the workspace's text files, as
 * `path:line: text`. Regexes run on the linear-time engine (see `compileTextPattern`), files
 * are read in 64 KiB slices, files holding a NUL byte are skipped as binary, and the search
 * stops at `maxMatches`, the byte limits or the timeout. Stale once a file or folder it looked
 * at changes.
 */
export function searchTextTool(root: string, limits: SearchTextLimits): Tool {
  return {
    name: 'search_text',
    description: `Search the workspace's text files for a literal string, or a regular expression when regex is true (no back references or lookaround). Returns at most ${limits.maxMatches} matching lines as "path:line: text". Skips binary files and ${limits.skipFolders.join(', ')}.`,
    parameters: {
      type: 'object',
      properties: {
        pattern: { type: 'string', description: 'Text (or regex) to look for.' },
        regex: { type: 'boolean', default: false, description: 'Treat pattern as a regular expression.' },
        case_sensitive: { type: 'boolean', default: true },
        path: { type: 'string', default: '.', description: 'Folder (or one file) to search in, relative to the workspace root.' },
        glob: { type: 'string', description: 'Only search files whose path matches this glob, e.g. "**/*.ts".' },
      },
      required: ['pattern'],
      additionalProperties: false,
    },
    readOnly: true,
    run(args, signal) {
      return underDeadline(signal, limits.timeoutMs, (s) => searchText(root, args, limits, s), () => fail(`the search took longer than ${limits.timeoutMs} ms; narrow the folder or the glob.`));
    },
  };
}

interface Budget {
  matches: string[];
  bytesLeft: number;
}

async function searchText(root: string, args: Record<string, unknown>, limits: SearchTextLimits, signal: AbortSignal) {
  signal.throwIfAborted();
  if (typeof args.pattern !== 'string' || args.pattern.length === 0) return fail('search_text needs "pattern" as a non-empty string.');
  const pattern = compileTextPattern(args.pattern, { regex: args.regex === true, caseSensitive: args.case_sensitive !== false });
  const requested = typeof args.path === 'string' ? args.path : '.';
  const file = await fileInsideRoot(root, requested);
  signal.throwIfAborted();
  if (file) {
    const budget: Budget = { matches: [], bytesLeft: limits.maxTotalBytes };
    const stamps: FileStamp[] = [];
    const outcome = await searchFile(file.path, file.relative, pattern, limits, budget, signal, stamps);
    if (outcome === 'binary') return fail(`${requested} looks binary (it holds NUL bytes); only text files are searched.`);
    if (outcome === 'skipped') return fail(notARegularFile(requested));
    const notes = [pattern.note ? `[note: ${pattern.note}]` : '', outcome === 'partly' ? `[only the first ${limits.maxFileBytes} bytes searched]` : ''].filter(Boolean);
    return readResult([budget.matches.length > 0 ? budget.matches.join('\n') : `(no match for ${JSON.stringify(args.pattern)} in ${file.relative})`, ...notes].join('\n'), stamps);
  }
  const folder = await folderInsideRoot(root, requested);
  signal.throwIfAborted();
  if ('error' in folder) return fail(folder.error);
  const inGlob = typeof args.glob === 'string' && args.glob.length > 0 ? compileGlob(args.glob) : () => true;
  const stamps: FileStamp[] = [];
  const walk = walkFiles(folder.path, { skipFolders: new Set(limits.skipFolders), maxEntries: limits.maxEntries, signal, prefix: folder.relative, onFolder: (s) => stamps.push(s) });
  const budget: Budget = { matches: [], bytesLeft: limits.maxTotalBytes };
  let binary = 0;
  const partly: string[] = [];
  let stoppedAtMatches = false;
  for await (const file of walk.files) {
    if (!inGlob(file.relative)) continue;
    if (budget.bytesLeft <= 0) break;
    const outcome = await searchFile(file.absolute, file.relative, pattern, limits, budget, signal, stamps);
    if (outcome === 'binary') binary++;
    else if (outcome === 'partly') partly.push(file.relative);
    if (budget.matches.length >= limits.maxMatches) {
      stoppedAtMatches = true;
      break;
    }
  }
  const notes: string[] = [];
  if (pattern.note) notes.push(`[note: ${pattern.note}]`);
  if (stoppedAtMatches) notes.push(`[… stopped at ${limits.maxMatches} matches; narrow the search]`);
  if (budget.bytesLeft <= 0) notes.push(`[… stopped after reading ${limits.maxTotalBytes} bytes; narrow the folder or the glob]`);
  if (walk.truncated()) notes.push(`[… stopped after looking at ${limits.maxEntries} entries]`);
  if (partly.length > 0) notes.push(`[only the first ${limits.maxFileBytes} bytes searched of: ${partly.slice(0, 10).join(', ')}${partly.length > 10 ? ', …' : ''}]`);
  if (binary > 0) notes.push(`[${binary} binary file${binary === 1 ? '' : 's'} skipped]`);
  const body = budget.matches.length > 0 ? budget.matches.join('\n') : `(no match for ${JSON.stringify(args.pattern)})`;
  return readResult([body, ...notes].join('\n'), stamps);
}

/** Searches one file line by line; a file holding a NUL byte gives no match at all. */
async function searchFile(path: string, shown: string, pattern: TextPattern, limits: SearchTextLimits, budget: Budget, signal: AbortSignal, stamps: FileStamp[]): Promise<'done' | 'binary' | 'partly' | 'skipped'> {
  let handle;
  try {
    handle = await open(path, OPEN_FLAGS);
  } catch {
    return 'skipped';
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return 'skipped';
    stamps.push(stampOf(path, info));
    const found: string[] = [];
    const room = limits.maxMatches - budget.matches.length;
    const limit = Math.min(info.size, limits.maxFileBytes, budget.bytesLeft);
    const chunk = Buffer.alloc(CHUNK_BYTES);
    let carry = Buffer.alloc(0);
    let line = 1;
    let position = 0;
    const test = (text: string, at: number) => {
      if (found.length < room && pattern.indexIn(text) !== -1) found.push(`${shown}:${at}: ${text.length > SHOWN_LINE_CHARS ? `${text.slice(0, SHOWN_LINE_CHARS)}…` : text}`);
    };
    while (position < limit && found.length < room) {
      const { bytesRead } = await handle.read(chunk, 0, Math.min(CHUNK_BYTES, limit - position), position);
      signal.throwIfAborted();
      if (bytesRead === 0) break;
      position += bytesRead;
      budget.bytesLeft -= bytesRead;
      const data = chunk.subarray(0, bytesRead);
      if (data.includes(0)) return 'binary';
      const joined = carry.length > 0 ? Buffer.concat([carry, data]) : data;
      const lastNewline = joined.lastIndexOf(0x0a);
      if (lastNewline !== -1) {
        const lines = joined.subarray(0, lastNewline).toString('utf8').split('\n');
        for (const text of lines) {
          test(text.endsWith('\r') ? text.slice(0, -1) : text, line);
          line++;
        }
      }
      carry = Buffer.from(joined.subarray(lastNewline + 1));
      if (carry.length > MAX_LINE_BYTES) {
        test(carry.toString('utf8'), line);
        carry = Buffer.alloc(0);
      }
    }
    if (carry.length > 0) test(carry.toString('utf8'), line);
    budget.matches.push(...found);
    return position < info.size && found.length < room ? 'partly' : 'done';
  } finally {
    await handle.close();
  }
}
