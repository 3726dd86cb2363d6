import { constants } from 'node:fs';
import { lstat, open, realpath } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { Tool } from '../../chat/tool.js';
import { resolveInsideRoot } from '../root-path.js';
import { declined, type ConfirmProvider } from './confirm.js';
import { fail } from './workspace-result.js';

const WRITE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
const PREVIEW_CHARS = 2000;

/**
 * `write_file`: writes UTF-8 text to a file inside the root (creating it, or replacing it
 * whole) once the user agreed through `confirm`. Never speculative (`readOnly: false`). The
 * folder must exist; a symlink out of the root, a folder, a FIFO or a device is refused
 * before the user is asked.
 */
export function writeFileTool(root: string, confirm: ConfirmProvider, maxBytes: number): Tool {
  return {
    name: 'write_file',
    description: 'Write a UTF-8 text file inside the workspace, creating it or replacing its whole content. The user is asked to confirm first; the folder must already exist.',
    parameters: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'File relative to the workspace root.' },
        content: { type: 'string', description: 'The complete new content of the file.' },
      },
      required: ['path', 'content'],
      additionalProperties: false,
    },
    readOnly: false,
    async run(args, signal) {
      signal.throwIfAborted();
      const { path, content } = args;
      if (typeof path !== 'string' || typeof content !== 'string') return fail('write_file needs "path" and "content" as strings.');
      const bytes = Buffer.byteLength(content);
      if (bytes > maxBytes) return fail(`the content is ${bytes} bytes; write_file takes at most ${maxBytes}.`);
      const target = await writableTarget(root, path);
      signal.throwIfAborted();
      if ('error' in target) return fail(target.error);
      const agreed = await confirm(
        { kind: 'write_file', title: `${target.exists ? 'Replace' : 'Create'} ${target.shown}?`, path: target.shown, absolutePath: target.path, exists: target.exists, bytes, preview: content.slice(0, PREVIEW_CHARS) },
        signal,
      );
      signal.throwIfAborted();
      if (!agreed) return declined(`writing ${target.shown}`);
      const handle = await open(target.path, WRITE_FLAGS, 0o666).catch((err: unknown) => err as Error);
      if (handle instanceof Error) return fail(`cannot write ${path}: ${handle.message}`);
      try {
        if (!(await handle.stat()).isFile()) return fail(`${path} is not a regular file.`);
        await handle.writeFile(content, 'utf8');
      } finally {
        await handle.close();
      }
      return { output: `Wrote ${bytes} bytes to ${target.shown}.`, isError: false };
    },
  };
}

/** Where a write of `requested` lands: a real path inside the root, or why not. */
async function writableTarget(root: string, requested: string): Promise<{ path: string; shown: string; exists: boolean } | { error: string }> {
  if (requested.includes('\0')) return { error: 'the path contains a NUL character.' };
  const name = basename(requested);
  if (name === '' || name === '.' || name === '..' || /[\\/]$/.test(requested)) return { error: `${requested} does not name a file.` };
  const folder = await resolveInsideRoot(root, dirname(requested));
  if ('error' in folder) return { error: /no such file/.test(folder.error) ? `the folder of ${requested} does not exist; create it first.` : folder.error };
  const realRoot = await realpath(root);
  let path = join(folder.path, name);
  let exists = false;
  const info = await lstat(path).catch(() => undefined);
  if (info) {
    exists = true;
    if (info.isSymbolicLink()) {
      const real = await resolveInsideRoot(root, requested);
      if ('error' in real) return real;
      path = real.path;
      const target = await lstat(path);
      if (!target.isFile()) return { error: `${requested} is not a regular file; only files can be written.` };
    } else if (info.isDirectory()) {
      return { error: `${requested} is a folder.` };
    } else if (!info.isFile()) {
      return { error: `${requested} is not a regular file (a FIFO, socket or device); only files can be written.` };
    }
  }
  return { path, shown: relative(realRoot, path).split(sep).join('/'), exists };
}
