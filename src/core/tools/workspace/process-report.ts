import type { ToolResult } from '../../chat/tool.js';
import type { ProcessOutcome } from './run-process.js';

/**
 * A finished process as a result for the model: the exit status, then stdout and stderr
 * (each only when not empty), and why it was stopped if it was. An error when it did not exit
 * with 0.
 */
export function processReport(outcome: ProcessOutcome, limits: { timeoutMs: number; maxOutputBytes: number }): ToolResult {
  const lines: string[] = [];
  if (outcome.timedOut) lines.push(`stopped: it ran longer than the ${limits.timeoutMs} ms limit`);
  else if (outcome.outputCapped) lines.push(`stopped: its output passed the ${limits.maxOutputBytes}-byte limit`);
  else if (outcome.exitSignal) lines.push(`killed by ${outcome.exitSignal}`);
  else lines.push(`exit code ${outcome.exitCode}`);
  if (outcome.stdout !== '') lines.push('--- stdout ---', outcome.stdout.replace(/\n$/, ''));
  if (outcome.stderr !== '') lines.push('--- stderr ---', outcome.stderr.replace(/\n$/, ''));
  return { output: lines.join('\n'), isError: outcome.exitCode !== 0 || outcome.timedOut || outcome.outputCapped };
}
