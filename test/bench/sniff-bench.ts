import type { Rule } from '../../src/core/rules/rule-ast.js';
import type { Session } from '../../src/core/session/format.js';
import { ArgumentNormalizer } from '../../src/core/schema/argument-normalizer.js';
import { RuleSniffer } from '../../src/core/sniff/rule-sniffer.js';
import { Sniffer } from '../../src/core/sniff/sniffer.js';
import { fmt, printTable } from './bench-table.js';
import { reasoningStreams, type ReasoningStream } from './corpus-reasoning.js';

const REPEATS = 15;

/** MB/s of a sniffer over all streams, best of a few runs after a warm-up. */
function throughput(streams: ReasoningStream[], make: (s: ReasoningStream) => { push(t: string): unknown; flush(): unknown }): number {
  let bytes = 0;
  for (const s of streams) for (const c of s.chunks) bytes += Buffer.byteLength(c);
  const once = () => {
    for (const s of streams) {
      const sn = make(s);
      for (const c of s.chunks) sn.push(c);
      sn.flush();
    }
  };
  once();
  let best = Infinity;
  for (let round = 0; round < 3; round++) {
    const start = process.hrtime.bigint();
    for (let r = 0; r < REPEATS; r++) once();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return (bytes * REPEATS) / 1e6 / best;
}

/**
 * The naive sniffer the prior art used: on every chunk, append to the buffer and run every
 * pattern over the whole buffer again.
 */
class NaiveRescan {
  private buffer = '';
  private readonly regexes: RegExp[];
  constructor(rules: readonly Rule[]) {
    this.regexes = rules.flatMap((r) => r.patterns.flatMap((p) => (p.regex ? [new RegExp(p.source, `${p.flags}g`)] : [])));
  }
  push(text: string): number {
    this.buffer += text;
    let found = 0;
    for (const re of this.regexes) {
      re.lastIndex = 0;
      while (re.exec(this.buffer) !== null) found++;
    }
    return found;
  }
  flush(): void {}
}

/** Mean microseconds per chunk for the chunks fed right after `at` characters of reasoning. */
function costAt(chunks: string[], at: number, make: () => { push(t: string): unknown }, sample: number): number {
  const sn = make();
  let pos = 0;
  let i = 0;
  while (pos < at && i < chunks.length) pos += chunks[i++]!.length, sn.push(chunks[i - 1]!);
  const start = process.hrtime.bigint();
  for (let k = 0; k < sample && i < chunks.length; k++) sn.push(chunks[i++]!);
  return Number(process.hrtime.bigint() - start) / 1e3 / sample;
}

/** Table (a): throughput, and cost per chunk as the reasoning grows, against the naive rescan. */
export function sniffBench(sessions: Session[], rules: Rule[]): { rulesMBps: number; allMBps: number; ratio100k: number } {
  const streams = reasoningStreams(sessions);
  const normalizer = new ArgumentNormalizer();
  const rulesMBps = throughput(streams, (s) => new RuleSniffer(rules, s.tools, normalizer));
  const allMBps = throughput(streams, (s) => new Sniffer({ rules, tools: s.tools, normalizer }));
  const naiveMBps = throughput(streams.slice(0, 40), () => new NaiveRescan(rules));
  printTable(
    '(a) sniffing throughput on the corpus reasoning (word-sized chunks, as streamed)',
    ['sniffer', 'MB/s', 'vs naive'],
    [
      ['default rules (incremental)', fmt(rulesMBps), `${fmt(rulesMBps / naiveMBps)}x`],
      ['default rules + schema-aware', fmt(allMBps), `${fmt(allMBps / naiveMBps)}x`],
      ['naive rescan (baseline, 40 turns)', fmt(naiveMBps), '1.0x'],
    ],
  );
  // One long reasoning stream: all the corpus reasoning in a row, 100k characters and more.
  const tools = streams.find((s) => s.tools.length > 0)?.tools ?? [];
  const long = streams.flatMap((s) => s.chunks);
  const rows: string[][] = [];
  let ratio100k = 0;
  for (const at of [1_000, 10_000, 100_000]) {
    const inc = Math.min(...[0, 1, 2].map(() => costAt(long, at, () => new RuleSniffer(rules, tools, normalizer), 400)));
    const all = Math.min(...[0, 1, 2].map(() => costAt(long, at, () => new Sniffer({ rules, tools, normalizer }), 400)));
    const naive = Math.min(...[0, 1].map(() => costAt(long, at, () => new NaiveRescan(rules), 100)));
    if (at === 100_000) ratio100k = naive / inc;
    rows.push([`${at / 1000}k chars so far`, fmt(inc, 2), fmt(all, 2), fmt(naive, 2), `${fmt(naive / inc, 0)}x`]);
  }
  printTable('(a) cost per chunk (microseconds) as the reasoning grows', ['position', 'rules', 'rules+schema', 'naive', 'naive/rules'], rows);
  return { rulesMBps, allMBps, ratio100k };
}
