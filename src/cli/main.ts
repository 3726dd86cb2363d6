import { CliError } from './cli-args.js';
import { EVAL_USAGE, evalCommand } from './eval-command.js';
import { EXPORT_USAGE, exportCommand } from './export-command.js';
import { PROXY_USAGE, proxyCommand } from './proxy-command.js';
import { SERVE_USAGE, serveCommand } from './serve-command.js';
import { TEST_USAGE, testCommand } from './test-command.js';
import { TOOLS_USAGE, toolsCommand } from './tools-command.js';

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

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return serveCommand(rest);
    case 'test':
      return testCommand(rest);
    case 'eval':
      return evalCommand(rest);
    case 'tools':
      return toolsCommand(rest);
    case 'export':
      return exportCommand(rest);
    case 'proxy':
      return proxyCommand(rest);
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
