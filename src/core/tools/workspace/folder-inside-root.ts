import { realpath, stat } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { resolveInsideRoot } from '../root-path.js';

/** A folder (or file) inside the root: its real path, and its path relative to the root with `/` ('' for the root). */
export interface InsideRoot {
  path: string;
  relative: string;
}

/** Resolves `requested` to a folder inside `root`, or an error sentence for the model. */
export async function folderInsideRoot(root: string, requested: string): Promise<InsideRoot | { error: string }> {
  const resolved = await resolveInsideRoot(root, requested);
  if ('error' in resolved) return resolved;
  const info = await stat(resolved.path);
  if (!info.isDirectory()) return { error: `${requested} is not a folder.` };
  const realRoot = await realpath(root);
  return { path: resolved.path, relative: relative(realRoot, resolved.path).split(sep).join('/') };
}

/**
 * `requested` as a regular file inside `root`, with its path relative to the root; undefined
 * when it is anything else (a folder, missing, outside: the caller's folder check says which).
 */
export async function fileInsideRoot(root: string, requested: string): Promise<InsideRoot | undefined> {
  const resolved = await resolveInsideRoot(root, requested);
  if ('error' in resolved) return undefined;
  const info = await stat(resolved.path);
  if (info.isDirectory()) return undefined;
  const realRoot = await realpath(root);
  return { path: resolved.path, relative: relative(realRoot, resolved.path).split(sep).join('/') };
}
