import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ArgumentNormalizer } from '../core/schema/argument-normalizer.js';
import type { Session } from '../core/session/format.js';
import { loadSessions } from '../core/session/load-sessions.js';
import { LatencyStats } from '../core/speculation/latency-stats.js';
import { DEFAULT_POLICY } from '../core/speculation/speculation-policy.js';
import { resniffedSession } from '../core/trace/otlp/resniffed-session.js';
import { otlpJson } from '../core/trace/otlp/otlp-json.js';
import { sendOtlp } from '../core/trace/otlp/otlp-send.js';
import { readableSpans } from '../core/trace/otlp/readable-spans.js';
import { sessionSpans } from '../core/trace/otlp/session-spans.js';
import { CliError, globList, numberOption } from './cli-args.js';
import { defaultRulesPath } from './default-rules.js';
import { loadRuleFiles } from './load-rule-files.js';
import { EXPORT_USAGE } from './usage.js';


/** `foresight export --otlp`: sessions as OTLP/JSON, to stdout, a file, or a receiver. */
export async function exportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      otlp: { type: 'boolean' },
      out: { type: 'string' },
      send: { type: 'string' },
      header: { type: 'string', multiple: true },
      'capture-content': { type: 'boolean' },
      resniff: { type: 'boolean' },
      rules: { type: 'string', multiple: true },
      readonly: { type: 'string', multiple: true },
      'timeout-ms': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(EXPORT_USAGE);
    return 0;
  }
  if (values.otlp !== true) throw new CliError(`export needs a format: --otlp is the one there is.\n\n${EXPORT_USAGE}`);
  if (positionals.length === 0) throw new CliError(`export --otlp needs at least one session file.\n\n${EXPORT_USAGE}`);
  if (values.out !== undefined && values.send !== undefined) throw new CliError('--out and --send exclude each other: write a file or send to a receiver.');
  const headers = parseHeaders(values.header ?? []);
  const timeoutMs = numberOption(values['timeout-ms'], '--timeout-ms');

  const { sessions, problems } = await loadSessions(positionals);
  for (const p of problems) console.error(`warning: ${p.file}${p.line > 0 ? `:${p.line}` : ''}: ${p.message}`);
  if (sessions.length === 0) {
    console.error('foresight: no session could be read, so nothing was exported.');
    return 1;
  }
  const chosen = values.resniff === true ? await resniffAll(sessions, values.rules ?? [], values.readonly ?? []) : sessions;
  const spans = readableSpans(chosen.map((s) => sessionSpans(s, { captureContent: values['capture-content'] === true })));
  if (values.send !== undefined) {
    try {
      await sendOtlp(spans, values.send, { headers, ...(timeoutMs !== undefined ? { timeoutMillis: timeoutMs } : {}) });
    } catch (error) {
      console.error(`foresight: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    }
    console.error(`sent ${spans.length} spans of ${sessions.length} session(s)`);
    return 0;
  }
  const json = otlpJson(spans);
  if (values.out !== undefined) {
    await writeFile(values.out, json);
    console.error(`wrote ${spans.length} spans of ${sessions.length} session(s) to ${values.out}`);
  } else process.stdout.write(`${json}\n`);
  return 0;
}

async function resniffAll(sessions: readonly Session[], ruleFiles: readonly string[], readonly: readonly string[]): Promise<Session[]> {
  const paths = ruleFiles.length > 0 ? ruleFiles : [defaultRulesPath()].filter((p): p is string => p !== undefined);
  const setup = { rules: await loadRuleFiles(paths), normalizer: new ArgumentNormalizer(), policy: DEFAULT_POLICY, latency: new LatencyStats(), schemaSniffing: true, openWorldTools: [] };
  const globs = globList(readonly);
  const out: Session[] = [];
  for (const s of sessions) out.push(await resniffedSession(s, setup, globs));
  return out;
}

function parseHeaders(raw: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of raw) {
    const eq = h.indexOf('=');
    if (eq <= 0) throw new CliError(`--header takes NAME=VALUE; got "${h.length > 40 ? `${h.slice(0, 40)}…` : h}".`);
    out[h.slice(0, eq).trim()] = h.slice(eq + 1);
  }
  return out;
}
