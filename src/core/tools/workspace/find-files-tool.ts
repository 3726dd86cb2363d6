import type { Tool } from '../../chat/tool.js';
import { underDeadline } from './deadline.js';
import { folderInsideRoot } from './folder-inside-root.js';
import { compileGlob } from './glob.js';
import { walkFiles } from './walk-files.js';
import { fail, readResult, type FileStamp } from './workspace-result.js';

/** Limits of one file search by name. */
export interface FindFilesLimits {
  timeoutMs: number;
  /** Most paths returned. */
  maxResults: number;
  /** Most entries looked at in the walk. */
  maxEntries: number;
  skipFolders: readonly string[];
}

/**
 * `find_files`: workspace paths matching a glob, in name order, walking folders with
 * `opendir` (skipping `skipFolders` unless `include_skipped`), never following symlinks, and
 * stopping at `maxResults` matches, `maxEntries` entries or the timeout. The result is stale
 * once any folder it listed changes.
 */
export function findFilesTool(root: string, limits: FindFilesLimits): Tool {
  return {
    name: 'find_files',
    description: `Find files in the workspace whose path matches a glob (e.g. "**/*.ts", "src/**/test_*.py", "*.{md,txt}"; a pattern without "/" matches file names at any depth). Returns at most ${limits.maxResults} paths relative to the workspace root. Skips ${limits.skipFolders.join(', ')} unless include_skipped is true.`,
    parameters: {
      type: 'object',
      properties: {
        pattern: { type: 'string', description: 'Glob to match against paths relative to the workspace root.' },
        path: { type: 'string', default: '.', description: 'Folder to search in, relative to the workspace root.' },
        include_skipped: { type: 'boolean', default: false, description: `Also look inside ${limits.skipFolders.join(', ')}.` },
      },
      required: ['pattern'],
      additionalProperties: false,
    },
    readOnly: true,
    run(args, signal) {
      return underDeadline(signal, limits.timeoutMs, (s) => findFiles(root, args, limits, s), () => fail(`finding files took longer than ${limits.timeoutMs} ms; narrow the pattern or the folder.`));
    },
  };
}

async function findFiles(root: string, args: Record<string, unknown>, limits: FindFilesLimits, signal: AbortSignal) {
  signal.throwIfAborted();
  if (typeof args.pattern !== 'string' || args.pattern.length === 0) return fail('find_files needs "pattern" as a non-empty string.');
  const folder = await folderInsideRoot(root, typeof args.path === 'string' ? args.path : '.');
  signal.throwIfAborted();
  if ('error' in folder) return fail(folder.error);
  const matches = compileGlob(args.pattern);
  const stamps: FileStamp[] = [];
  const walk = walkFiles(folder.path, {
    skipFolders: new Set(args.include_skipped === true ? [] : limits.skipFolders),
    maxEntries: limits.maxEntries,
    signal,
    prefix: folder.relative,
    onFolder: (s) => stamps.push(s),
  });
  const found: string[] = [];
  let more = false;
  for await (const file of walk.files) {
    if (!matches(file.relative)) continue;
    if (found.length >= limits.maxResults) {
      more = true;
      break;
    }
    found.push(file.relative);
  }
  const notes: string[] = [];
  if (more) notes.push(`[… more than ${limits.maxResults} matches; narrow the pattern]`);
  if (walk.truncated()) notes.push(`[… stopped after looking at ${limits.maxEntries} entries; search a smaller folder]`);
  const body = found.length > 0 ? found.join('\n') : `(no file matches ${args.pattern})`;
  return readResult([body, ...notes].join('\n'), stamps);
}
