// What `npm start [-- FOLDER]` opens. npm runs scripts in the package folder, so a relative
// FOLDER is taken from INIT_CWD (where the user typed the command), as the shell would.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';

export const START_USAGE = 'usage: npm start [-- FOLDER]   (FOLDER defaults to the folder npm start was typed in)';

/**
 * Parses the arguments after `npm start --`. Returns { kind: 'open', folder } with an absolute
 * folder, { kind: 'help' }, or { kind: 'error', message }. `isDirectory` is injected for tests.
 */
export function parseStartArgs(argv, env, cwd, isDirectory = defaultIsDirectory) {
  const base = env.INIT_CWD || cwd;
  const positional = [];
  for (const arg of argv) {
    if (arg === '-h' || arg === '--help') return { kind: 'help' };
    if (arg.startsWith('-')) return { kind: 'error', message: `unknown option ${arg}\n${START_USAGE}` };
    positional.push(arg);
  }
  if (positional.length > 1) return { kind: 'error', message: `one folder only, got ${positional.length}\n${START_USAGE}` };
  const folder = resolve(base, positional[0] ?? '.');
  if (!isDirectory(folder)) return { kind: 'error', message: `not a folder: ${folder}\n${START_USAGE}` };
  return { kind: 'open', folder };
}

function defaultIsDirectory(path) {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
