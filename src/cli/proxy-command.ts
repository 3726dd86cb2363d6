import { parseArgs } from 'node:util';
import { RecordingProxy } from '../core/proxy/recording-proxy.js';
import type { ShadowCall } from '../core/proxy/shadow-speculation.js';
import { CliError, globList, numberOption } from './cli-args.js';
import { defaultRulesPath } from './default-rules.js';
import { loadRuleFiles } from './load-rule-files.js';
import { PROXY_USAGE } from './usage.js';


/** `foresight proxy`: runs the recording proxy until SIGINT/SIGTERM. */
export async function proxyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      upstream: { type: 'string' },
      port: { type: 'string' },
      'sessions-dir': { type: 'string' },
      rules: { type: 'string', multiple: true },
      readonly: { type: 'string', multiple: true },
      'no-shadow': { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(PROXY_USAGE);
    return 0;
  }
  const upstream = values.upstream;
  if (!upstream) throw new CliError('proxy needs --upstream, the base URL of your endpoint (e.g. https://api.example.com/v1).');
  // `--rules a.sniff b.sniff` leaves b.sniff among the positionals.
  const stray = positionals.filter((p) => !p.endsWith('.sniff'));
  if (stray.length > 0) throw new CliError(`unexpected argument "${stray[0]}".\n\n${PROXY_USAGE}`);
  const ruleFiles = [...(values.rules ?? []), ...positionals];
  const shadowOn = !values['no-shadow'] && values['sessions-dir'] !== undefined;
  const rules = shadowOn ? await loadRuleFiles(ruleFiles.length > 0 ? ruleFiles : [defaultRulesPath()].filter((p): p is string => p !== undefined)) : [];
  const readOnly = globList(values.readonly);
  let proxy: RecordingProxy;
  try {
    proxy = await RecordingProxy.start({
      upstream,
      port: numberOption(values.port, '--port') ?? 0,
      ...(values['sessions-dir'] !== undefined ? { sessionsDir: values['sessions-dir'] } : {}),
      ...(shadowOn ? { shadow: { rules, ...(readOnly.length > 0 ? { readOnly } : {}) } } : {}),
      onShadow: (turn, file) => {
        for (const call of turn.calls) console.error(shadowLine(call, file));
      },
      log: (line) => console.error(line),
    });
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
  console.log(`listening http://127.0.0.1:${proxy.port}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await proxy.close();
  return 0;
}

function shadowLine(call: ShadowCall, file: string): string {
  const what = call.exact ? `exact, ${call.leadMs} ms ahead (${call.ruleId})` : call.ruleId ? `predicted with other arguments (${call.ruleId})` : 'not predicted';
  return `shadow: turn ${call.turn} ${call.name}: ${what}; tool took ${call.toolLatencyMs} ms; an early run would have saved ${call.savedMs} ms [${file}]`;
}
