import type { Tool } from '../../chat/tool.js';
import { declined, type ConfirmProvider } from './confirm.js';
import { folderInsideRoot } from './folder-inside-root.js';
import { processReport } from './process-report.js';
import { runProcess } from './run-process.js';
import { fail } from './workspace-result.js';

/** Limits of one shell command. */
export interface RunCommandLimits {
  timeoutMs: number;
  maxOutputBytes: number;
}

/**
 * `run_command`: runs a shell command in a folder inside the root once the user agreed through
 * `confirm`, with a time limit and an output cap, its whole process group killed on abort.
 * Never speculative (`readOnly: false`): a command can change anything.
 */
export function runCommandTool(root: string, confirm: ConfirmProvider, limits: RunCommandLimits): Tool {
  return {
    name: 'run_command',
    description: `Run a shell command in the workspace (or a folder inside it) and return its exit code and output. The user is asked to confirm first. Stopped after ${Math.round(limits.timeoutMs / 1000)} s.`,
    parameters: {
      type: 'object',
      properties: {
        command: { type: 'string', description: 'The command line, run by the system shell.' },
        cwd: { type: 'string', default: '.', description: 'Folder to run it in, relative to the workspace root.' },
      },
      required: ['command'],
      additionalProperties: false,
    },
    readOnly: false,
    async run(args, signal) {
      signal.throwIfAborted();
      const command = args.command;
      if (typeof command !== 'string' || command.trim() === '') return fail('run_command needs "command" as a non-empty string.');
      const folder = await folderInsideRoot(root, typeof args.cwd === 'string' ? args.cwd : '.');
      signal.throwIfAborted();
      if ('error' in folder) return fail(folder.error);
      const agreed = await confirm({ kind: 'run_command', title: 'Run this command?', command, cwd: folder.relative || '.' }, signal);
      signal.throwIfAborted();
      if (!agreed) return declined(`running ${JSON.stringify(command)}`);
      const [shell, shellArgs] = process.platform === 'win32' ? [process.env.ComSpec ?? 'cmd.exe', ['/d', '/s', '/c', command]] : ['/bin/sh', ['-c', command]];
      const outcome = await runProcess(shell, shellArgs, { cwd: folder.path, env: process.env }, { ...limits, signal, input: '' });
      if (outcome.spawnError) return fail(`the shell could not be started: ${outcome.spawnError.message}`);
      return processReport(outcome, limits);
    },
  };
}
