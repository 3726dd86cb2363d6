import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Tool, ToolResult } from '../../chat/tool.js';
import { withRerunFreshness } from './git-status-tool.js';
import { runGit, type GitLimits } from './run-git.js';
import { fail } from './workspace-result.js';

/**
 * `git_diff`: the unstaged changes (or the staged ones) under the workspace root, or of one
 * path inside it, as a unified diff. Read-only, inert (no external diff or textconv), capped.
 */
export function gitDiffTool(root: string, limits: GitLimits): Tool {
  const diff = async (args: Record<string, unknown>, signal: AbortSignal): Promise<ToolResult> => {
    const cwd = await realpath(root);
    let spec = '.';
    if (typeof args.path === 'string' && args.path !== '' && args.path !== '.') {
      // Lexical check: a deleted file has no real path, yet its diff is what the model wants.
      const target = resolve(cwd, args.path);
      const rel = relative(cwd, target);
      if (args.path.includes('\0') || rel.startsWith('..' + sep) || rel === '..' || isAbsolute(rel)) return fail(`${args.path} is outside the folder these tools may read.`);
      spec = `:(literal)${rel.split(sep).join('/')}`;
    }
    const staged = args.staged === true ? ['--cached'] : [];
    return runGit(cwd, ['diff', '--no-ext-diff', '--no-textconv', '--no-color', ...staged, '--', spec], limits, signal, (o) => ({
      output: o.stdout.trim() === '' ? `(no ${args.staged === true ? 'staged' : 'unstaged'} changes)` : o.stdout + (o.outputCapped ? `\n[… diff cut at ${limits.maxOutputBytes} bytes; ask for one path]` : ''),
      isError: false,
    }));
  };
  return {
    name: 'git_diff',
    description: 'Show uncommitted changes in the workspace as a unified diff: unstaged ones by default, staged ones with staged=true; optionally for one path.',
    parameters: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'File or folder relative to the workspace root; the whole workspace when absent.' },
        staged: { type: 'boolean', default: false, description: 'Show what is staged for the next commit instead.' },
      },
      additionalProperties: false,
    },
    readOnly: true,
    async run(args, signal) {
      signal.throwIfAborted();
      return withRerunFreshness(await diff(args, signal), (s) => diff(args, s));
    },
  };
}
