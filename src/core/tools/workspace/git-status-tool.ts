import { createHash } from 'node:crypto';
import type { Tool, ToolResult } from '../../chat/tool.js';
import { realpath } from 'node:fs/promises';
import { runGit, type GitLimits } from './run-git.js';

/**
 * `git_status`: the branch and the changed, staged and untracked files under the workspace
 * root (`git status --porcelain=v1 --branch -- .`). Read-only; fresh while git reports the
 * same status again (checked by running it once more).
 */
export function gitStatusTool(root: string, limits: GitLimits): Tool {
  const status = async (signal: AbortSignal): Promise<ToolResult> => {
    const cwd = await realpath(root);
    return runGit(cwd, ['status', '--porcelain=v1', '--branch', '--untracked-files=normal', '--', '.'], limits, signal, (o) => ({
      output: o.stdout.trim() === '' ? '(clean)' : o.stdout + (o.outputCapped ? `\n[… cut at ${limits.maxOutputBytes} bytes]` : ''),
      isError: false,
    }));
  };
  return {
    name: 'git_status',
    description: 'Show the git branch and the changed, staged and untracked files in the workspace (porcelain format: XY path, where X is the staged and Y the unstaged state).',
    parameters: { type: 'object', properties: {}, additionalProperties: false },
    readOnly: true,
    async run(_args, signal) {
      signal.throwIfAborted();
      return withRerunFreshness(await status(signal), status);
    },
  };
}

/**
 * Gives a git result an `isFresh` that runs the same command again and compares: git's answer
 * depends on the index and every tracked file, which no single stamp covers.
 */
export function withRerunFreshness(result: ToolResult, again: (signal: AbortSignal) => Promise<ToolResult>): ToolResult {
  if (result.isError) return result;
  const digest = hash(result.output);
  return {
    ...result,
    isFresh: async () => {
      try {
        const now = await again(AbortSignal.timeout(10_000));
        return !now.isError && hash(now.output) === digest;
      } catch {
        return false;
      }
    },
  };
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
