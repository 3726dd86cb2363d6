import { opendir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { stampOf, type FileStamp } from './workspace-result.js';

/** Folder names a walk skips unless asked to include them. */
export const DEFAULT_SKIPPED_FOLDERS: readonly string[] = ['node_modules', '.git'];

export interface WalkOptions {
  skipFolders: ReadonlySet<string>;
  /** Most entries (files and folders) looked at; the walk stops there and says so. */
  maxEntries: number;
  signal: AbortSignal;
  /** Put before every yielded path: where `start` is, relative to the root ('' for the root). */
  prefix?: string;
  /** Receives the stamp of every folder listed, so a result can tell when it went stale. */
  onFolder?: (stamp: FileStamp) => void;
}

/** A regular file met by a walk: its path relative to where the walk started, with `/`. */
export interface WalkedFile {
  relative: string;
  absolute: string;
}

/**
 * Walks `start` (a real path already checked to be inside the root) depth first, in name
 * order, yielding regular files. Never follows a symlink (it could lead out of the root) and
 * never opens a FIFO or device. Checks the signal at every entry; `truncated()` says whether
 * it stopped at `maxEntries`.
 */
export function walkFiles(start: string, options: WalkOptions): { files: AsyncGenerator<WalkedFile>; truncated: () => boolean } {
  let seen = 0;
  let truncated = false;
  async function* visit(folder: string, prefix: string): AsyncGenerator<WalkedFile> {
    const info = await stat(folder);
    options.onFolder?.(stampOf(folder, info));
    const entries: { name: string; isDir: boolean; isFile: boolean }[] = [];
    const dir = await opendir(folder);
    try {
      for await (const e of dir) {
        options.signal.throwIfAborted();
        if (seen >= options.maxEntries) {
          truncated = true;
          break;
        }
        seen++;
        entries.push({ name: e.name, isDir: e.isDirectory(), isFile: e.isFile() });
      }
    } finally {
      await dir.close().catch(() => {});
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      options.signal.throwIfAborted();
      const relative = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.isFile) yield { relative, absolute: join(folder, e.name) };
      else if (e.isDir && !options.skipFolders.has(e.name)) yield* visit(join(folder, e.name), relative);
    }
  }
  return { files: visit(start, options.prefix ?? ''), truncated: () => truncated };
}
