import { CliError } from './cli-args.js';
import { EVAL_USAGE, EXPORT_USAGE, PROXY_USAGE, SERVE_USAGE, TEST_USAGE, TOOLS_USAGE } from './usage.js';

const USAGE = `usage: foresight <command> [options]

commands:
  serve   serve recorded sessions as an OpenAI-compatible endpoint
  test    check rule files (.sniff) and run their inline tests
  eval    measure the sniffer and speculation on recorded traces
  tools   list the tools Foresight would offer (MCP servers too) and which may run early
  export  write recorded sessions as OpenTelemetry traces (OTLP/JSON, GenAI conventions)
  proxy   record your own agent's conversations through an OpenAI-protocol proxy, with shadow speculation

${SERVE_USAGE}

${TEST_USAGE}

${EVAL_USAGE}

${TOOLS_USAGE}

${EXPORT_USAGE}

${PROXY_USAGE}`;

// Each command's code is loaded when it runs: `eval` does not pay for the OpenTelemetry
// exporter, the MCP client or the HTTP server, nor `--help` for any of them.
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return (await import('./serve-command.js')).serveCommand(rest);
    case 'test':
      return (await import('./test-command.js')).testCommand(rest);
    case 'eval':
      return (await import('./eval-command.js')).evalCommand(rest);
    case 'tools':
      return (await import('./tools-command.js')).toolsCommand(rest);
    case 'export':
      return (await import('./export-command.js')).exportCommand(rest);
    case 'proxy':
      return (await import('./proxy-command.js')).proxyCommand(rest);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    default:
      throw new CliError(`unknown command "${command}".\n\n${USAGE}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof CliError) {
      console.error(`foresight: ${err.message}`);
      process.exitCode = 2;
    } else {
      console.error(err);
      process.exitCode = 1;
    }
  },
);
