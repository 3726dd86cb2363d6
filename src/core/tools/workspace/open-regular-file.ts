import { constants } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { resolveInsideRoot } from '../root-path.js';

/** Read-only open flags that never block on a FIFO, nor follow a symlink swapped in after the path was resolved. */
export const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

/** An open regular file inside the root, with its real path and the stat of what was opened. */
export interface OpenedFile {
  handle: FileHandle;
  path: string;
  info: Stats;
}

/**
 * Opens `requested` for reading if it is a regular file inside `root` (symlinks followed and
 * checked); folders, FIFOs, sockets and devices are refused before any open that could block.
 * Returns an error sentence for the model otherwise.
 */
export async function openRegularFile(root: string, requested: string, signal: AbortSignal): Promise<OpenedFile | { error: string }> {
  const resolved = await resolveInsideRoot(root, requested);
  signal.throwIfAborted();
  if ('error' in resolved) return resolved;
  const before = await stat(resolved.path);
  signal.throwIfAborted();
  if (before.isDirectory()) return { error: `${requested} is a folder, not a file.` };
  if (!before.isFile()) return { error: notARegularFile(requested) };
  let handle: FileHandle;
  try {
    handle = await open(resolved.path, OPEN_FLAGS);
  } catch (err) {
    return { error: `cannot open ${requested}: ${err instanceof Error ? err.message : String(err)}` };
  }
  try {
    signal.throwIfAborted();
    const info = await handle.stat();
    if (!info.isFile()) {
      await handle.close();
      return { error: notARegularFile(requested) };
    }
    return { handle, path: resolved.path, info };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/** The sentence for a path that is a FIFO, socket or device. */
export function notARegularFile(path: string): string {
  return `${path} is not a regular file (a FIFO, socket or device); only files can be read.`;
}
