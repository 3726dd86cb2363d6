import { parseArgs } from 'node:util';
import { faultsProblem } from '../core/endpoint/endpoint-faults.js';
import { LocalEndpoint } from '../core/endpoint/local-endpoint.js';
import { REASONING_FIELDS, type ReasoningField } from '../core/endpoint/reasoning-shape.js';
import { loadSessions } from '../core/session/load-sessions.js';
import { CliError, numberOption, takeList } from './cli-args.js';
import { formatServableSessions, servableTurns, shippedDemoSessionsDir } from './serve-list.js';
import { SERVE_USAGE } from './usage.js';


/** `foresight serve`: runs the replay endpoint until SIGINT/SIGTERM. */
export async function serveCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      sessions: { type: 'string', multiple: true },
      port: { type: 'string' },
      'tokens-per-second': { type: 'string' },
      'reasoning-field': { type: 'string' },
      'fail-status': { type: 'string' },
      'fail-count': { type: 'string' },
      'cut-after': { type: 'string' },
      faults: { type: 'boolean' },
      list: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(SERVE_USAGE);
    return 0;
  }
  // `--sessions a b c`: the values after the flag arrive as positionals.
  const paths = takeList(values.sessions, positionals);
  if (values.list) return listCommand(paths);
  if (paths.length === 0) throw new CliError('serve needs --sessions with at least one file or folder.');
  const field = values['reasoning-field'] ?? 'reasoning_content';
  if (!REASONING_FIELDS.includes(field as ReasoningField)) {
    throw new CliError(`--reasoning-field must be one of ${REASONING_FIELDS.join(', ')}; got "${field}".`);
  }
  const { sessions, problems } = await loadSessions(paths);
  for (const p of problems) console.error(`warning: ${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
  if (sessions.length === 0) throw new CliError(`no sessions could be read from ${paths.join(', ')}.`);
  const failStatus = numberOption(values['fail-status'], '--fail-status');
  const failCount = numberOption(values['fail-count'], '--fail-count');
  const cutAfter = numberOption(values['cut-after'], '--cut-after');
  const allowFaults = values.faults ?? false;
  if (!allowFaults && (failStatus !== undefined || failCount !== undefined || cutAfter !== undefined)) {
    throw new CliError('--fail-status, --fail-count and --cut-after are fault switches for tests: add --faults to use them.');
  }
  const faults = {
    ...(failStatus !== undefined ? { failStatus } : {}),
    ...(failCount !== undefined ? { failCount } : {}),
    ...(cutAfter !== undefined ? { cutAfterChunks: cutAfter } : {}),
  };
  const faultProblem = faultsProblem(faults);
  if (faultProblem) throw new CliError(faultProblem);
  const endpoint = await LocalEndpoint.start({
    sessions,
    port: numberOption(values.port, '--port') ?? 0,
    ...(values['tokens-per-second'] !== undefined ? { tokensPerSecond: numberOption(values['tokens-per-second'], '--tokens-per-second') ?? null } : {}),
    reasoningField: field as ReasoningField,
    allowFaults,
    faults,
    log: (line) => console.error(line),
  });
  console.log(`listening http://127.0.0.1:${endpoint.port}`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await endpoint.close();
  return 0;
}

/** `foresight serve --list`: the prompts each session answers, then exit. */
async function listCommand(given: string[]): Promise<number> {
  let paths = given;
  if (paths.length === 0) {
    const demo = shippedDemoSessionsDir();
    if (!demo) throw new CliError('serve --list found no shipped demo sessions here; name the session files or folders to list.');
    paths = [demo];
  }
  const { sessions, problems } = await loadSessions(paths);
  for (const p of problems) console.error(`warning: ${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
  if (sessions.length === 0) throw new CliError(`no sessions could be read from ${paths.join(', ')}.`);
  console.log(formatServableSessions(sessions.map(servableTurns)));
  return 0;
}
