import { median } from '../../src/core/util/median.js';
import { createCodeRunner, type CodeLanguage } from '../../src/core/tools/code-runner.js';
import { fmt, printTable } from './bench-table.js';

/** Cold and warm start of one language: medians over the runs, and whether every output agreed. */
export interface CodeRunnerBenchRow {
  language: CodeLanguage;
  runs: number;
  coldMsMedian: number;
  warmMsMedian: number;
  /** Cold over warm: how many times faster a warmed run answers. */
  ratio: number;
  sameOutput: boolean;
}

// Small but not empty: the start-up is what is measured, with a little real work after it.
const PROGRAMS: Record<CodeLanguage, string> = {
  javascript: 'let total = 0; for (let i = 1; i <= 1000; i++) total += i; console.log("sum", total);',
  python: 'total = sum(range(1, 1001))\nprint("sum", total)',
};

/**
 * Times `run_code` on the same small program, cold (no warm interpreter: the run spawns one)
 * and warm (after `warmLanguage` resolved: the interpreter waits for the program), from the
 * call to the result, and prints a table of medians. The warm time leaves out the warm-up
 * itself, which the speculator starts while the model is still thinking.
 */
export async function codeRunnerBench(runs = 7): Promise<CodeRunnerBenchRow[]> {
  const runner = await createCodeRunner();
  const signal = new AbortController().signal;
  const rows: CodeRunnerBenchRow[] = [];
  try {
    for (const language of runner.languages) {
      const code = PROGRAMS[language];
      const cold: number[] = [];
      const warm: number[] = [];
      const outputs = new Set<string>();
      // One unmeasured run of each kind first, so neither pays for the file cache.
      await runner.run({ language, code }, signal);
      for (let i = 0; i < runs; i++) {
        let t = performance.now();
        outputs.add((await runner.run({ language, code }, signal)).output);
        cold.push(performance.now() - t);
        await runner.warmLanguage(language, signal);
        t = performance.now();
        outputs.add((await runner.run({ language, code }, signal)).output);
        warm.push(performance.now() - t);
      }
      const coldMsMedian = median(cold) ?? NaN;
      const warmMsMedian = median(warm) ?? NaN;
      rows.push({ language, runs, coldMsMedian, warmMsMedian, ratio: coldMsMedian / warmMsMedian, sameOutput: outputs.size === 1 });
    }
  } finally {
    await runner.dispose();
  }
  printTable(
    `run_code start-up: cold vs warm (median of ${runs} runs, same program; time from the call to the result)`,
    ['language', 'cold ms', 'warm ms', 'cold/warm', 'same output'],
    rows.map((r) => [r.language, fmt(r.coldMsMedian), fmt(r.warmMsMedian), `${fmt(r.ratio)}x`, r.sameOutput ? 'yes' : 'NO']),
  );
  return rows;
}
