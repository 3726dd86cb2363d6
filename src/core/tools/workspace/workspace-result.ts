import { stat } from 'node:fs/promises';
import type { ToolResult } from '../../chat/tool.js';

/** What a read depended on: a file or folder as it was when read. */
export interface FileStamp {
  path: string;
  mtimeMs: number;
  size: number;
}

/** A read's result, with the stamps of everything it looked at; fresh while none changed. */
export interface WorkspaceReadResult extends ToolResult {
  dependsOn: readonly FileStamp[];
  isFresh: () => Promise<boolean>;
}

/** An error result the model reads: what went wrong, in a sentence. */
export function fail(output: string): ToolResult {
  return { output: `Error: ${output}`, isError: true };
}

/** A successful read whose freshness is that every stamped path is still as it was. */
export function readResult(output: string, dependsOn: readonly FileStamp[]): WorkspaceReadResult {
  return { output, isError: false, dependsOn, isFresh: () => stampsHold(dependsOn) };
}

/** The stamp of a path from a stat already made. */
export function stampOf(path: string, info: { mtimeMs: number; size: number }): FileStamp {
  return { path, mtimeMs: info.mtimeMs, size: info.size };
}

const STAT_BATCH = 64;

/** Whether every path still has the modification time and size it had. */
export async function stampsHold(stamps: readonly FileStamp[]): Promise<boolean> {
  for (let i = 0; i < stamps.length; i += STAT_BATCH) {
    const batch = stamps.slice(i, i + STAT_BATCH);
    const same = await Promise.all(
      batch.map(async (s) => {
        try {
          const now = await stat(s.path);
          return now.mtimeMs === s.mtimeMs && now.size === s.size;
        } catch {
          return false;
        }
      }),
    );
    if (same.includes(false)) return false;
  }
  return true;
}
