import type { ToolResult } from '../../chat/tool.js';
import { runProcess, type ProcessOutcome } from './run-process.js';
import { fail } from './workspace-result.js';

/** Limits of one git command. */
export interface GitLimits {
  timeoutMs: number;
  maxOutputBytes: number;
  /** The git program; `git` on the PATH by default. */
  git: string;
}

// Read-only and inert: no pager, no index lock taken, and nothing the repository's own config
// could make git run (an fsmonitor hook; the diff tool adds --no-ext-diff --no-textconv).
const SAFE_PREFIX = ['--no-pager', '--no-optional-locks', '-c', 'core.fsmonitor=false', '-c', 'core.untrackedCache=false', '-c', 'color.ui=false'];

/**
 * Runs a read-only git subcommand in `cwd` with a timeout and an output cap, killed on abort.
 * Turns the usual failures into results the model can act on: git missing, not a repository,
 * timeout; otherwise hands the outcome to `onSuccess`.
 */
export async function runGit(cwd: string, args: readonly string[], limits: GitLimits, signal: AbortSignal, onSuccess: (outcome: ProcessOutcome) => ToolResult): Promise<ToolResult> {
  const outcome = await runProcess(limits.git, [...SAFE_PREFIX, ...args], { cwd, env: gitEnv() }, { timeoutMs: limits.timeoutMs, maxOutputBytes: limits.maxOutputBytes, signal });
  if (outcome.spawnError) {
    if (outcome.spawnError.code === 'ENOENT') return fail('git is not installed (or not on the PATH), so the repository cannot be inspected.');
    return fail(`git could not be started: ${outcome.spawnError.message}`);
  }
  if (outcome.timedOut) return fail(`git took longer than ${limits.timeoutMs} ms and was stopped.`);
  if (outcome.exitCode !== 0 && !outcome.outputCapped) {
    if (/not a git repository/i.test(outcome.stderr)) return fail('the workspace is not inside a git repository.');
    return fail(`git ${args[0] ?? ''} failed: ${outcome.stderr.trim().slice(0, 2000) || `exit code ${outcome.exitCode}`}`);
  }
  return onSuccess(outcome);
}

function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_PAGER: 'cat',
    PAGER: 'cat',
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    LC_ALL: 'C',
  };
  delete env.GIT_EXTERNAL_DIFF;
  return env;
}
