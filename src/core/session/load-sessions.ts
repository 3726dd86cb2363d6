import { readdir, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { extname, join } from 'node:path';
import type { Session, SessionReadProblem } from './format.js';
import type { ImportOptions } from './import-common.js';
import { notAFileMessage, readSessionFile } from './session-reader.js';

/** File endings that may hold sessions, transcripts or rollouts. */
const SESSION_EXTENSIONS = new Set(['.jsonl', '.json']);

/**
 * Loads sessions from files and folders (folders recursively, `.jsonl` and `.json` files), in
 * a stable order. Unreadable lines and files are reported as problems; the rest still loads.
 * Only regular files are opened (a symlink is followed to one): a FIFO, socket or device,
 * named or found in a folder, is a problem and is never opened, so loading cannot block on it.
 */
export async function loadSessions(paths: readonly string[], options: ImportOptions = {}): Promise<{ sessions: Session[]; problems: SessionReadProblem[] }> {
  const sessions: Session[] = [];
  const problems: SessionReadProblem[] = [];
  for (const path of paths) {
    let files: string[];
    try {
      files = await expand(path, problems);
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

async function expand(path: string, problems: SessionReadProblem[]): Promise<string[]> {
  const info = await stat(path);
  if (info.isDirectory()) return expandFolder(path, problems);
  if (!info.isFile()) {
    problems.push({ file: path, line: 0, message: notAFileMessage(info) });
    return [];
  }
  return [path];
}

async function expandFolder(path: string, problems: SessionReadProblem[]): Promise<string[]> {
  const out: string[] = [];
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const full = join(path, e.name);
    // Symlinked folders are not followed, so a link back up cannot loop.
    if (e.isDirectory()) {
      out.push(...(await expandFolder(full, problems)));
      continue;
    }
    if (!SESSION_EXTENSIONS.has(extname(e.name))) continue;
    if (e.isFile()) {
      out.push(full);
      continue;
    }
    let target: Stats | undefined;
    try {
      target = e.isSymbolicLink() ? await stat(full) : undefined;
    } catch (err) {
      problems.push({ file: full, line: 0, message: `cannot read ${full}: ${err instanceof Error ? err.message : String(err)}` });
      continue;
    }
    if (target?.isFile()) out.push(full);
    else if (!target?.isDirectory()) problems.push({ file: full, line: 0, message: notAFileMessage(target ?? e) });
  }
  return out;
}
