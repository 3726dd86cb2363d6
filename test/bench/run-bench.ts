import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRules } from '../../src/core/rules/rule-parser.js';
import { loadSessions } from '../../src/core/session/load-sessions.js';
import { CORPUS_DIR } from '../fixtures/corpus.js';
import { sniffBench } from './sniff-bench.js';
import { ttaBench } from './tta-bench.js';

/** `npm run bench`: prints every table and the targets they are held to. */
async function main(): Promise<void> {
  const rules = parseRules(readFileSync(join(process.cwd(), 'media/rules/default.sniff'), 'utf8')).rules;
  const { sessions } = await loadSessions([CORPUS_DIR]);
  const dev = (await loadSessions([join(CORPUS_DIR, 'conversational_tool_use_simulation.jsonl')])).sessions;
  console.log(`Foresight benchmarks — node ${process.version}, ${sessions.length} corpus sessions`);
  const sniff = sniffBench(sessions, rules);
  const tta = await ttaBench(dev, rules, 40, [300, 1500]);
  const targets: [string, boolean, string][] = [
    ['sniffing >= 30 MB/s with the default rules', sniff.rulesMBps >= 30, `${sniff.rulesMBps.toFixed(1)} MB/s (with schema-aware sniffing: ${sniff.allMBps.toFixed(1)})`],
    ['>= 20x the naive rescan at 100k chars', sniff.ratio100k >= 20, `${sniff.ratio100k.toFixed(0)}x`],
    // A call sealed before its speculation finished is a partial hit; only full hits count here.
    ...tta.filter((t) => t.hitTtaMedian !== null).map((t): [string, boolean, string] => [`TTA on a hit <= 1 ms median (${t.latency} ms tools)`, t.hitTtaMedian! <= 1, `${t.hitTtaMedian!.toFixed(2)} ms`]),
    ...tta.map((t): [string, boolean, string] => [`>= 95% of ideal saving realised (${t.latency} ms tools)`, t.realisedShare >= 0.95, `${(t.realisedShare * 100).toFixed(1)}%`]),
  ];
  console.log('\ntargets');
  for (const [name, ok, value] of targets) console.log(`${ok ? 'met    ' : 'NOT MET'}  ${name}: ${value}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
