import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Session, SessionReadProblem } from './format.js';
import type { ImportOptions } from './import-common.js';
import { readSessionFile } from './session-reader.js';

/** File endings that may hold sessions, transcripts or rollouts. */
const SESSION_EXTENSIONS = new Set(['.jsonl', '.json']);

/**
 * Loads sessions from files and folders (folders recursively, `.jsonl` and `.json` files), in
 * a stable order. Unreadable lines and files are reported as problems; the rest still loads.
 */
export async function loadSessions(paths: readonly string[], options: ImportOptions = {}): Promise<{ sessions: Session[]; problems: SessionReadProblem[] }> {
  const sessions: Session[] = [];
  const problems: SessionReadProblem[] = [];
  for (const path of paths) {
    let files: string[];
    try {
      files = await expand(path);
    } catch (err) {
      problems.push({ file: path, line: 0, message: `cannot read ${path}: ${err instanceof Error ? err.message : String(err)}` });
      continue;
    }
    for (const file of files) {
      const read = await readSessionFile(file, options);
      sessions.push(...read.sessions);
      problems.push(...read.problems);
    }
  }
  return { sessions, problems };
}

async function expand(path: string): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return [path];
  const out: string[] = [];
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const full = join(path, e.name);
    if (e.isDirectory()) out.push(...(await expand(full)));
    else if (SESSION_EXTENSIONS.has(extname(e.name))) out.push(full);
  }
  return out;
}
