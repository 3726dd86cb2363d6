import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * Resolves a model-supplied path inside `root`, following symlinks, and refuses anything that
 * lands outside it. Returns the real absolute path, or an error sentence for the model.
 */
export async function resolveInsideRoot(root: string, requested: string): Promise<{ path: string } | { error: string }> {
  if (requested.includes('\0')) return { error: 'the path contains a NUL character.' };
  let realRoot: string;
  try {
    realRoot = await realpath(root);
  } catch (err) {
    return { error: `the folder these tools may read (${root}) cannot be opened: ${err instanceof Error ? err.message : String(err)}` };
  }
  const candidate = resolve(realRoot, requested.length > 0 ? requested : '.');
  let real: string;
  try {
    real = await realpath(candidate);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'ENOENT') return { error: `no such file or folder: ${requested}` };
    return { error: `cannot open ${requested}: ${err instanceof Error ? err.message : String(err)}` };
  }
  const rel = relative(realRoot, real);
  if (rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel))) return { path: real };
  return { error: `${requested} is outside the folder these tools may read.` };
}
