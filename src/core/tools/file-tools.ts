import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Tool, ToolResult } from '../agent/tool.js';
import { resolveInsideRoot } from './root-path.js';

/** Largest slice of a file handed to the model at once. */
const MAX_READ_BYTES = 256 * 1024;
const MAX_LIST_ENTRIES = 1000;

const fail = (output: string): ToolResult => ({ output: `Error: ${output}`, isError: true });

/**
 * The two built-in read-only tools, confined to `root` (symlinks included): `read_file` and
 * `list_directory`. They never write, so they are safe to run speculatively.
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
      const path = args.path;
      if (typeof path !== 'string') return fail('read_file needs "path" as a string.');
      const offset = typeof args.offset === 'number' && Number.isInteger(args.offset) && args.offset >= 0 ? args.offset : 0;
      const resolved = await resolveInsideRoot(root, path);
      if ('error' in resolved) return fail(resolved.error);
      const info = await stat(resolved.path);
      if (info.isDirectory()) return fail(`${path} is a folder; use list_directory.`);
      const data = await readFile(resolved.path, { signal });
      const slice = data.subarray(offset, offset + MAX_READ_BYTES);
      if (slice.includes(0)) return fail(`${path} looks binary; only text files can be read.`);
      const more = offset + slice.length < data.length;
      const note = more ? `\n[… ${data.length - offset - slice.length} more bytes; read again with offset ${offset + slice.length}]` : '';
      return { output: slice.toString('utf8') + note, isError: false, isFresh: unchangedSince(resolved.path, info.mtimeMs, info.size) };
    },
  };
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
    async run(args) {
      const path = typeof args.path === 'string' ? args.path : '.';
      const resolved = await resolveInsideRoot(root, path);
      if ('error' in resolved) return fail(resolved.error);
      const info = await stat(resolved.path);
      if (!info.isDirectory()) return fail(`${path} is a file; use read_file.`);
      const entries = await readdir(resolved.path, { withFileTypes: true });
      const names = entries
        .map((e) => (e.isDirectory() ? `${e.name}/` : e.name))
        .sort((a, b) => a.localeCompare(b));
      const shown = names.slice(0, MAX_LIST_ENTRIES);
      const more = names.length > shown.length ? `\n[… ${names.length - shown.length} more entries]` : '';
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
