import { parseArgs } from 'node:util';
import { evaluate, type EvalReport } from '../core/eval/evaluate.js';
import { loadSessions } from '../core/session/load-sessions.js';
import { CliError, numberOption, takeList } from './cli-args.js';
import { defaultRulesPath } from './default-rules.js';
import { loadRuleFiles } from './load-rule-files.js';

export const EVAL_USAGE = `foresight eval FILES... [--rules F.sniff...] [--readonly GLOB,...] [--tokens-per-second N]
               [--no-schema] [--json] [--calls]

Replays traces (sessions or Responses rollouts) through the sniffer and the speculation
policy, chunk by chunk, and reports per call whether the exact call (tool and canonical
arguments) was predicted before it was sealed. Tools matching --readonly count as read-only;
all others must be blocked. Without --rules the shipped default rules are used.`;

/** `foresight eval`: prints the report as tables, or one JSON object with --json. */
export async function evalCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      rules: { type: 'string', multiple: true },
      readonly: { type: 'string', multiple: true },
      'tokens-per-second': { type: 'string' },
      'no-schema': { type: 'boolean' },
      json: { type: 'boolean' },
      calls: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(EVAL_USAGE);
    return 0;
  }
  // Rule files given as `--rules a.sniff b.sniff` leave b.sniff among the positionals.
  const ruleFiles = [...(values.rules ?? []), ...positionals.filter((p) => p.endsWith('.sniff'))];
  const files = takeList(undefined, positionals.filter((p) => !p.endsWith('.sniff')));
  if (files.length === 0) throw new CliError('eval needs at least one trace file or folder.');
  const rulesPaths = ruleFiles.length > 0 ? ruleFiles : [defaultRulesPath()].filter((p): p is string => p !== undefined);
  const rules = await loadRuleFiles(rulesPaths);
  const readonly = (values.readonly ?? []).flatMap((g) => g.split(',')).map((g) => g.trim()).filter((g) => g.length > 0);
  const { sessions, problems } = await loadSessions(files);
  for (const p of problems) console.error(`warning: ${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
  if (sessions.length === 0) throw new CliError(`no sessions could be read from ${files.join(', ')}.`);
  const report = await evaluate(sessions, {
    rules,
    readonly,
    tokensPerSecond: numberOption(values['tokens-per-second'], '--tokens-per-second') ?? 40,
    schemaSniffing: !values['no-schema'],
  });
  if (values.json) {
    const { perCall, ...summary } = report;
    console.log(JSON.stringify(values.calls ? report : { ...summary, perCallCount: perCall.length }, null, 2));
  } else {
    printReport(report, values.calls ?? false);
  }
  return 0;
}

function pct(n: number, d: number): string {
  return d === 0 ? '-' : `${((100 * n) / d).toFixed(0)}%`;
}

function printReport(r: EvalReport, calls: boolean): void {
  const rows: [string, string][] = [
    ['sessions / turns / calls', `${r.sessions} / ${r.turns} / ${r.calls}`],
    ['exact predictions (all calls)', `${r.exact} of ${r.calls} (${pct(r.exact, r.calls)})`],
    ['exact where values were in the reasoning', `${r.exactEligible} of ${r.eligible} (${pct(r.exactEligible, r.eligible)})`],
    ['warm before code-runner calls', `${r.warmBefore} of ${r.codeRunnerCalls} (${pct(r.warmBefore, r.codeRunnerCalls)})`],
    ['intents / fired / blocked', `${r.intents} / ${r.fired} / ${r.blocked}`],
    ['hits / partial / misfires', `${r.hits} / ${r.partialHits} / ${r.misfires} (${pct(r.misfires, r.fired)} of fired)`],
    ['unsafe runs', String(r.unsafeRuns)],
    ['median lead', r.leadCharsMedian === null ? '-' : `${r.leadCharsMedian} chars, ${r.leadMsMedian} ms`],
    ['sniffing', `${r.sniffMBps.toFixed(1)} MB/s over ${r.reasoningChars} chars`],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
  console.log('');
  const header = ['rule', 'intents', 'exact', 'fired', 'misfires', 'blocked', 'lead'];
  const table = r.perRule.map((x) => [x.ruleId, String(x.intents), String(x.exact), String(x.fired), String(x.misfires), String(x.blocked), x.leadCharsMedian === null ? '-' : String(x.leadCharsMedian)]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  for (const row of table) console.log(line(row));
  if (calls) {
    console.log('');
    for (const c of r.perCall) {
      const mark = c.exact ? 'EXACT' : c.eligible ? 'MISS ' : c.warmBefore ? 'WARM ' : '  -  ';
      console.log(`${mark} ${c.session} t${c.turn} ${c.tool} ${c.arguments.slice(0, 100)}${c.ruleId ? `  <- ${c.ruleId}, lead ${c.leadChars} chars` : ''}`);
    }
  }
}
