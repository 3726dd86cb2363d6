import { constants } from 'node:fs';
import { open, opendir, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Tool, ToolResult } from '../chat/tool.js';
import { resolveInsideRoot } from './root-path.js';

/** Largest slice of a file handed to the model at once. */
const MAX_READ_BYTES = 256 * 1024;
const MAX_LIST_ENTRIES = 1000;
// Names kept for sorting; past this a folder's further entries are only counted.
const MAX_LISTED_NAMES = 100_000;
// Never block on opening a FIFO, and never follow a symlink swapped in after the path was resolved.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

const fail = (output: string): ToolResult => ({ output: `Error: ${output}`, isError: true });

/**
 * The two built-in read-only tools, confined to `root` (symlinks included): `read_file` and
 * `list_directory`. They never write, so they are safe to run speculatively. They read
 * regular files and folders only (never a FIFO, socket or device), a file in slices of at
 * most 256 KiB read from its descriptor (memory stays bounded whatever the file's size, and a
 * slice ends on a whole UTF-8 character), and they honour their AbortSignal between steps.
 */
export function createFileTools(root: string): Tool[] {
  return [readFileTool(root), listDirectoryTool(root)];
}

function readFileTool(root: string): Tool {
  return {
    name: 'read_file',
    description: 'Read a UTF-8 text file inside the workspace. Returns at most 256 KiB from the given byte offset.',
    parameters: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'Path relative to the workspace root.' },
        offset: { type: 'integer', minimum: 0, default: 0, description: 'Byte offset to start reading at.' },
      },
      required: ['path'],
      additionalProperties: false,
    },
    readOnly: true,
    async run(args, signal) {
      signal.throwIfAborted();
      const path = args.path;
      if (typeof path !== 'string') return fail('read_file needs "path" as a string.');
      const offset = typeof args.offset === 'number' && Number.isSafeInteger(args.offset) && args.offset >= 0 ? args.offset : 0;
      const resolved = await resolveInsideRoot(root, path);
      signal.throwIfAborted();
      if ('error' in resolved) return fail(resolved.error);
      // stat never blocks, whatever the path is; open on a FIFO could.
      const before = await stat(resolved.path);
      if (before.isDirectory()) return fail(`${path} is a folder; use list_directory.`);
      if (!before.isFile()) return fail(notAFile(path));
      let handle: FileHandle;
      try {
        handle = await open(resolved.path, OPEN_FLAGS);
      } catch (err) {
        return fail(`cannot open ${path}: ${err instanceof Error ? err.message : String(err)}`);
      }
      try {
        signal.throwIfAborted();
        const info = await handle.stat();
        if (!info.isFile()) return fail(notAFile(path));
        if (offset >= info.size && info.size > 0) return fail(`offset ${offset} is past the end of ${path}, which has ${info.size} bytes.`);
        const slice = await readSlice(handle, offset, info.size, signal);
        if (slice.bytes.includes(0)) return fail(`${path} looks binary; only text files can be read.`);
        const next = slice.start + slice.bytes.length;
        const note = next < info.size ? `\n[… ${info.size - next} more bytes; read again with offset ${next}]` : '';
        return { output: slice.bytes.toString('utf8') + note, isError: false, isFresh: unchangedSince(resolved.path, info.mtimeMs, info.size) };
      } finally {
        await handle.close();
      }
    },
  };
}

/**
 * At most MAX_READ_BYTES from `offset`, moved forward past a partial character at the start
 * and ending before a partial character at the cut (UTF-8 characters are at most 4 bytes).
 */
async function readSlice(handle: FileHandle, offset: number, size: number, signal: AbortSignal): Promise<{ start: number; bytes: Buffer }> {
  const want = Math.max(0, Math.min(MAX_READ_BYTES + 4, size - offset));
  const buffer = Buffer.alloc(want);
  let got = 0;
  while (got < want) {
    const { bytesRead } = await handle.read(buffer, got, want - got, offset + got);
    signal.throwIfAborted();
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  const data = buffer.subarray(0, got);
  let from = 0;
  while (from < 3 && from < data.length && isContinuation(data[from]!)) from++;
  let end = Math.min(data.length, from + MAX_READ_BYTES);
  if (end < data.length) {
    const cut = end;
    while (end > from && cut - end < 3 && isContinuation(data[end]!)) end--;
    // Not UTF-8 after all (four continuation bytes in a row): cut where the limit is.
    if (isContinuation(data[end]!)) end = cut;
  }
  return { start: offset + from, bytes: data.subarray(from, end) };
}

function isContinuation(byte: number): boolean {
  return (byte & 0xc0) === 0x80;
}

function notAFile(path: string): string {
  return `${path} is not a regular file (a FIFO, socket or device); only files can be read.`;
}

function listDirectoryTool(root: string): Tool {
  return {
    name: 'list_directory',
    description: 'List the entries of a folder inside the workspace; folders end with "/".',
    parameters: {
      type: 'object',
      properties: { path: { type: 'string', description: 'Folder relative to the workspace root; "." for the root.', default: '.' } },
      additionalProperties: false,
    },
    readOnly: true,
    async run(args, signal) {
      signal.throwIfAborted();
      const path = typeof args.path === 'string' ? args.path : '.';
      const resolved = await resolveInsideRoot(root, path);
      signal.throwIfAborted();
      if ('error' in resolved) return fail(resolved.error);
      const info = await stat(resolved.path);
      if (!info.isDirectory()) return fail(`${path} is not a folder; use read_file for a file.`);
      const names: string[] = [];
      let uncounted = 0;
      const dir = await opendir(resolved.path);
      try {
        for await (const e of dir) {
          if (names.length < MAX_LISTED_NAMES) names.push(e.isDirectory() ? `${e.name}/` : e.name);
          else uncounted++;
          if ((names.length + uncounted) % 1000 === 0) signal.throwIfAborted();
        }
      } finally {
        // Iterating to the end closes the folder; an early exit (abort) must close it here.
        await dir.close().catch(() => {});
      }
      signal.throwIfAborted();
      names.sort((a, b) => a.localeCompare(b));
      const shown = names.slice(0, MAX_LIST_ENTRIES);
      const hidden = names.length - shown.length + uncounted;
      const more = hidden > 0 ? `\n[… ${hidden} more entries]` : '';
      return {
        output: shown.length > 0 ? shown.join('\n') + more : `(${join(path)} is empty)`,
        isError: false,
        isFresh: unchangedSince(resolved.path, info.mtimeMs, info.size),
      };
    },
  };
}

/** A freshness check: the path still has the modification time and size it had when read. */
function unchangedSince(path: string, mtimeMs: number, size: number): () => Promise<boolean> {
  return async () => {
    try {
      const now = await stat(path);
      return now.mtimeMs === mtimeMs && now.size === size;
    } catch {
      return false;
    }
  };
}
