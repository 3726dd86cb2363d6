import { parseArgs } from 'node:util';
import { evaluate, type EvalReport } from '../core/eval/evaluate.js';
import { loadSessions } from '../core/session/load-sessions.js';
import { CliError, globList, numberOption, takeList } from './cli-args.js';
import { defaultRulesPath } from './default-rules.js';
import { loadRuleFiles } from './load-rule-files.js';
import { OUTCOME_WORDS as W, outcomeWord, servedOutcome } from '../shared/outcome-words.js';
import { EVAL_USAGE } from './usage.js';


/** `foresight eval`: prints the report as tables, or one JSON object with --json. */
export async function evalCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      rules: { type: 'string', multiple: true },
      readonly: { type: 'string', multiple: true },
      'open-world': { type: 'string', multiple: true },
      'allow-open-world': { type: 'string', multiple: true },
      'tokens-per-second': { type: 'string' },
      'tool-latency-ms': { type: 'string' },
      'tokens-per-piece': { type: 'string' },
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
  const { sessions, problems } = await loadSessions(files);
  for (const p of problems) console.error(`warning: ${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
  if (sessions.length === 0) throw new CliError(`no sessions could be read from ${files.join(', ')}.`);
  const report = await evaluate(sessions, {
    rules,
    readonly: globList(values.readonly),
    openWorld: globList(values['open-world']),
    allowOpenWorld: globList(values['allow-open-world']),
    timing: {
      ...optional('tokensPerSecond', numberOption(values['tokens-per-second'], '--tokens-per-second')),
      ...optional('toolLatencyMs', numberOption(values['tool-latency-ms'], '--tool-latency-ms')),
      ...optional('tokensPerPiece', numberOption(values['tokens-per-piece'], '--tokens-per-piece')),
    },
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

function optional<K extends string>(key: K, value: number | undefined): { [P in K]?: number } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: number };
}

function pct(n: number, d: number): string {
  return d === 0 ? '-' : `${((100 * n) / d).toFixed(0)}%`;
}

function ratio(n: number | null): string {
  return n === null ? '-' : `${(100 * n).toFixed(0)}%`;
}

function printReport(r: EvalReport, calls: boolean): void {
  const claimed = r.hits + r.partialHits;
  const d = r.declined;
  const rows: [string, string][] = [
    ['sessions / turns / calls', `${r.sessions} / ${r.turns} / ${r.calls}`],
    ['recall: exact where values were in the reasoning', `${r.exactEligible} of ${r.eligible} (${ratio(r.recall)})`],
    ['exact predictions (all calls)', `${r.exact} of ${r.calls} (${pct(r.exact, r.calls)}), ${r.perCall.filter((c) => c.crossTurn).length} from an earlier turn`],
    ['precision: fired and then claimed', `${claimed} of ${r.fired} (${ratio(r.precision)}); ${W.misfire.plural} ${r.misfires}`],
    [`${W.misfire.plural}: recap of a call made / made later / never made`, `${r.misfireCauses.recap} / ${r.misfireCauses.later} / ${r.misfireCauses.never}; recaps ${pct(r.misfireCauses.recap, r.fired)} of fired`],
    [`claims: ${W.hit.plural} / ${W.partial.plural} / of them ${W.crossTurn.plural}`, `${r.hits} / ${r.partialHits} / ${r.crossTurnHits}`],
    [`intents / ${W.blocked.word} (may change things)`, `${r.intents} / ${r.blocked}`],
    ['declined: negated / recap / open-world', `${d.negated} / ${d.recap} / ${d.openWorld}`],
    ['declined by the cost model / low probability', `${d.notWorthIt} / ${d.lowConfidence}`],
    ['unsafe runs (must be 0)', String(r.unsafeRuns)],
    ['median lead of exact predictions', r.leadCharsMedian === null ? '-' : `${r.leadCharsMedian} chars, ${r.leadMsMedian} ms`],
    ['sniffing', `${r.sniffMBps.toFixed(1)} MB/s over ${r.reasoningChars} chars`],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
  console.log('');
  printTable(
    ['call predictions (all tools)', 'recall', 'predicted', 'made', 'precision'],
    [
      ['engine', `${r.exactEligible} of ${r.eligible} (${ratio(r.recall)})`, String(r.predictedCalls), String(r.exact), ratio(r.predictionPrecision)],
      ...r.callBaselines.map((b) => [`baseline: ${b.name}`, `${b.exactEligible} of ${r.eligible} (${ratio(b.recall)})`, String(b.predicted), String(b.claimed), ratio(b.precision)]),
    ],
  );
  console.log('');
  const warmHeader = ['warm-ups', 'before code-runner calls', 'turns warmed', 'warmed without a call'];
  const warmRows = [
    ['rules', `${r.warmBefore} of ${r.codeRunnerCalls} (${pct(r.warmBefore, r.codeRunnerCalls)})`, String(r.warmedTurns), `${r.warmWithoutCall} of ${r.turnsWithoutCodeRunnerCall} (${pct(r.warmWithoutCall, r.turnsWithoutCodeRunnerCall)})`],
    ...r.baselines.map((b) => [`baseline: ${b.name}`, `${b.warmBefore} of ${r.codeRunnerCalls} (${pct(b.warmBefore, r.codeRunnerCalls)})`, String(b.warmedTurns), `${b.warmWithoutCall} of ${r.turnsWithoutCodeRunnerCall} (${pct(b.warmWithoutCall, r.turnsWithoutCodeRunnerCall)})`]),
  ];
  printTable(warmHeader, warmRows);
  console.log('');
  const header = ['rule', 'intents', 'exact', 'fired', 'claimed', 'misfires', 'blocked', 'lead'];
  const table = r.perRule.map((x) => [x.ruleId, String(x.intents), String(x.exact), String(x.fired), String(x.claimed), String(x.misfires), String(x.blocked), x.leadCharsMedian === null ? '-' : String(x.leadCharsMedian)]);
  printTable(header, table);
  if (calls) {
    console.log('');
    for (const c of r.perCall) {
      const mark = c.exact ? 'EXACT' : c.eligible ? 'MISS ' : c.warmBefore ? 'WARM ' : '  -  ';
      console.log(`${mark} ${c.session} t${c.turn} ${c.tool} ${c.arguments.slice(0, 100)}${c.ruleId ? `  <- ${c.ruleId}${c.crossTurn ? ' (earlier turn)' : ''}, lead ${c.leadChars} chars` : ''}${c.claim ? ` [${outcomeWord(c.claim === 'hit' || c.claim === 'partial' ? servedOutcome(c.claim, c.crossTurn === true) : c.claim)}]` : ''}`);
    }
  }
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}
