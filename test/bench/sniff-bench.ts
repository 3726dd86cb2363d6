import type { ToolSpec } from '../../src/core/chat/types.js';
import type { Rule } from '../../src/core/rules/rule-ast.js';
import type { Session } from '../../src/core/session/format.js';
import { ArgumentNormalizer } from '../../src/core/schema/argument-normalizer.js';
import { RuleSniffer } from '../../src/core/sniff/rule-sniffer.js';
import { Sniffer } from '../../src/core/sniff/sniffer.js';
import { fmt, printTable } from './bench-table.js';
import { allTools, cutEvery, reasoningStreams, reasoningTexts, repeatedReasoning } from './corpus-reasoning.js';
import { NaiveRescan } from './naive-rescan.js';
import { PRIOR_ART_WINDOW, PriorArtSniffer } from './prior-art-sniffer.js';

/** The prior art's own Python sniffer as its authors measured it: 209 µs per 4-character chunk. Quoted, not measured here. */
export const QUOTED_PRIOR_ART_US_PER_CHUNK = 209;
export const QUOTED_PRIOR_ART_MBPS = 4 / QUOTED_PRIOR_ART_US_PER_CHUNK;

/** Positions (characters of reasoning so far) at which the cost of one more chunk is measured. */
const POSITIONS = [1_000, 10_000, 100_000, 1_000_000];
/** Longest any one cell of the cost table may take, reaching its position included. */
const CELL_CAP_SECONDS = 30;

interface Sniffing {
  push(text: string): unknown;
  flush(): unknown;
}

interface Stream {
  tools: ToolSpec[];
  chunks: string[];
}

/** A measured cost, or how long was spent before giving up. */
type Cell = { us: number; chunks: number } | { overSeconds: number };

/** What the sniffing benchmark measured, for the targets. */
export interface SniffBenchResult {
  /** MB/s at 4-character chunks over the corpus reasoning. */
  rulesMBps: number;
  allMBps: number;
  priorArtMBps: number;
  naiveMBps: number;
  /** Per-chunk cost of rules+schema and of rules only at 1M chars over that at 1k; undefined when either was not measured. */
  flatAll: number | undefined;
  flatRules: number | undefined;
  /** The rules+schema cell at 1M chars, as printed. */
  allAt1M: string;
}

const bytesOf = (streams: readonly Stream[]) => streams.reduce((n, s) => n + s.chunks.reduce((m, c) => m + Buffer.byteLength(c), 0), 0);

/**
 * MB/s of a sniffer over all the streams (a new sniffer per turn): after warm-up passes (at
 * least two and half a second, so the JIT has settled), each turn counts with its fastest time
 * over at least five rounds and `minSeconds` of them, as the cost table does: a busy machine only
 * ever adds time, and one turn's stretch (a millisecond or so) is often undisturbed where a
 * whole pass over the corpus never is. A `slow` baseline, whose one pass takes seconds, is timed
 * by one pass after one warm-up.
 */
function throughput(streams: readonly Stream[], make: (s: Stream) => Sniffing, slow = false, minSeconds = 1.2): number {
  const bytes = bytesOf(streams);
  const one = (s: Stream) => {
    const sn = make(s);
    for (const c of s.chunks) sn.push(c);
    sn.flush();
  };
  const once = () => {
    for (const s of streams) one(s);
  };
  const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;
  const warm = process.hrtime.bigint();
  for (let passes = 0; slow ? passes < 1 : passes < 2 || seconds(warm) < 0.5; passes++) once();
  if (slow) {
    const start = process.hrtime.bigint();
    once();
    return bytes / 1e6 / seconds(start);
  }
  const best = streams.map(() => Infinity);
  const started = process.hrtime.bigint();
  for (let round = 0; round < 5 || seconds(started) < minSeconds; round++) {
    streams.forEach((s, k) => {
      const start = process.hrtime.bigint();
      one(s);
      best[k] = Math.min(best[k]!, seconds(start));
    });
  }
  return bytes / 1e6 / best.reduce((a, b) => a + b, 0);
}

/**
 * Mean microseconds per chunk over the `passages` fed, one after another, right after the
 * first `at` characters of `prefix`; the passages are the same at every position, so only the
 * position differs. Each passage counts with its fastest time over up to `reps` fresh sniffers:
 * a busy machine only ever adds time, while a cost the text itself causes shows in every run.
 * Incremental sniffers are fed the prefix in the same chunks (their state depends on it);
 * `prefill` sniffers, whose only state is the text, get it as one push. A cell whose first
 * attempt passes CELL_CAP_SECONDS is given up; later attempts are only started within it.
 */
function costAt(prefix: readonly string[], at: number, passages: readonly (readonly string[])[], make: () => Sniffing, reps: number, prefill = false): Cell {
  let index = 0;
  for (let pos = 0; pos < at; ) pos += prefix[index++]!.length;
  const joined = prefill ? prefix.slice(0, index).join('') : '';
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
  const best = passages.map(() => Infinity);
  let done = 0;
  for (let rep = 0; rep < reps && (rep === 0 || elapsed() < CELL_CAP_SECONDS); rep++) {
    const sn = make();
    if (prefill) sn.push(joined);
    else {
      let gaveUp = false;
      for (let i = 0; i < index && !gaveUp; i++) {
        sn.push(prefix[i]!);
        gaveUp = (i & 1023) === 1023 && elapsed() > CELL_CAP_SECONDS;
      }
      if (gaveUp && done === 0) return { overSeconds: CELL_CAP_SECONDS };
      if (gaveUp) break;
    }
    for (let p = 0; p < passages.length; p++) {
      const start = process.hrtime.bigint();
      for (const c of passages[p]!) sn.push(c);
      best[p] = Math.min(best[p]!, Number(process.hrtime.bigint() - start) / 1e3);
      if (done === 0 && elapsed() > CELL_CAP_SECONDS) return { overSeconds: CELL_CAP_SECONDS };
    }
    done++;
  }
  const chunks = passages.reduce((n, p) => n + p.length, 0);
  return { us: best.reduce((a, b) => a + b, 0) / chunks, chunks };
}

const cellText = (c: Cell | undefined, decimals = 2): string => (c === undefined ? 'not run' : 'us' in c ? fmt(c.us, decimals) : `over ${c.overSeconds} s`);
const cellUs = (c: Cell | undefined): number | undefined => (c !== undefined && 'us' in c ? c.us : undefined);
const ratioText = (a: number | undefined, b: number | undefined, digits = 1): string => (a === undefined || b === undefined ? '-' : `${fmt(a / b, digits)}x`);

/**
 * Sniffing throughput at 4-character chunks (and word-sized ones, as a stream cuts them), ours
 * against the prior-art way and the naive rescan in the same run; then the cost of one more
 * chunk as the reasoning grows to a million characters.
 */
export function sniffBench(sessions: Session[], rules: Rule[]): SniffBenchResult {
  const normalizer = new ArgumentNormalizer();
  const texts = reasoningTexts(sessions);
  const by4: Stream[] = texts.map((t) => ({ tools: t.tools, chunks: cutEvery(t.text, 4) }));
  const byWord: Stream[] = reasoningStreams(sessions).filter((s) => s.chunks.length > 0);
  const makeRules = (s: Stream) => new RuleSniffer(rules, s.tools, normalizer);
  const makeAll = (s: Stream) => new Sniffer({ rules, tools: s.tools, normalizer });
  const makePrior = () => new PriorArtSniffer();
  const makeNaive = () => new NaiveRescan(rules);

  const rows4 = {
    all: throughput(by4, makeAll),
    rules: throughput(by4, makeRules),
    prior: throughput(by4, makePrior),
    naive: throughput(by4, makeNaive, true),
  };
  const rowsWord = {
    all: throughput(byWord, makeAll),
    rules: throughput(byWord, makeRules),
    prior: throughput(byWord, makePrior),
    naive: throughput(byWord, makeNaive, true),
  };
  const kb = (bytesOf(by4) / 1e3).toFixed(0);
  const vs = (x: number) => [`${fmt(rows4.all / x)}x`, `${fmt(rows4.rules / x)}x`];
  printTable(
    `(a) sniffing throughput on the corpus reasoning (${by4.length} turns, ${kb} KB), same run, each turn its fastest of several rounds (a fresh sniffer each); ratios at 4-char chunks`,
    ['sniffer', 'MB/s 4-char', 'MB/s words', 'rules+schema is', 'rules only is'],
    [
      ['ours: rules + schema-aware (as shipped)', fmt(rows4.all, 2), fmt(rowsWord.all, 2), '1.0x', '-'],
      ['ours: default rules only', fmt(rows4.rules, 2), fmt(rowsWord.rules, 2), '-', '1.0x'],
      [`prior-art way: 6 intent regexes over last ${PRIOR_ART_WINDOW} chars`, fmt(rows4.prior, 3), fmt(rowsWord.prior, 3), ...vs(rows4.prior)],
      ['naive rescan: every rule over the whole buffer', fmt(rows4.naive, 3), fmt(rowsWord.naive, 3), ...vs(rows4.naive)],
      [`prior art's own Python sniffer, QUOTED (${QUOTED_PRIOR_ART_US_PER_CHUNK} us/4-char chunk), not measured here`, fmt(QUOTED_PRIOR_ART_MBPS, 3), '-', ...vs(QUOTED_PRIOR_ART_MBPS)],
    ],
  );

  // One long stream: all the corpus reasoning in a row, repeated to a million characters and
  // more, sniffed against every tool the corpus offers.
  const tools = allTools(sessions);
  // A sniffer can cost little on most chunks and milliseconds on a few (at sentence ends, say):
  // a few hundred chunks of one passage can miss those, so the sample is long and spread out.
  const SAMPLE = 2000;
  const long = cutEvery(repeatedReasoning(sessions, POSITIONS[POSITIONS.length - 1]!), 4);
  // The timed chunks, the same after every position: eight 1k-char passages spread evenly over
  // the corpus reasoning, so the costly kinds of text come in as often as the corpus has them.
  const corpusChars = reasoningTexts(sessions).reduce((n, t) => n + t.text.length + 2, 0);
  const passages = Array.from({ length: 8 }, (_, k) => {
    const from = Math.floor(((k + 0.5) * corpusChars) / 8);
    return cutEvery(repeatedReasoning(sessions, from + (4 * SAMPLE) / 8).slice(from), 4);
  });
  // The rescan costs the same on any chunk of a buffer that long: a few chunks of one passage do.
  const naivePassages = (at: number) => [passages[0]!.slice(0, at < 1_000_000 ? 20 : 3)];
  const makers: Record<'rules' | 'all' | 'prior', () => Sniffing> = {
    rules: () => new RuleSniffer(rules, tools, normalizer),
    all: () => new Sniffer({ rules, tools, normalizer }),
    prior: makePrior,
  };
  // Warm every sniffer's code up before the first (smallest) position is timed.
  for (const make of Object.values(makers)) costAt(long, 20_000, passages, make, 1);
  const reps = (at: number) => (at <= 10_000 ? 9 : at <= 100_000 ? 5 : 3);
  const table = POSITIONS.map((at) => ({
    at,
    rules: costAt(long, at, passages, makers.rules, reps(at)),
    all: costAt(long, at, passages, makers.all, reps(at)),
    prior: costAt(long, at, passages, makers.prior, reps(at)),
    // The rescan reads the whole buffer per chunk: at 1M chars a few chunks are enough (and all there is time for).
    naive: costAt(long, at, naivePassages(at), makeNaive, at < 1_000_000 ? 3 : 1, true),
  }));
  const first = table[0]!;
  const last = table[table.length - 1]!;
  const rows = table.map((r) => [
    r.at >= 1e6 ? `${r.at / 1e6}M chars so far` : `${r.at / 1000}k chars so far`,
    cellText(r.rules),
    cellText(r.all),
    cellText(r.prior),
    `${cellText(r.naive, 1)}${'us' in r.naive && r.naive.chunks < 20 ? ` (${r.naive.chunks} chunks)` : ''}`,
    ratioText(cellUs(r.naive), cellUs(r.all), 0),
  ]);
  rows.push(['1M cost / 1k cost', ratioText(cellUs(last.rules), cellUs(first.rules), 2), ratioText(cellUs(last.all), cellUs(first.all), 2), ratioText(cellUs(last.prior), cellUs(first.prior), 2), ratioText(cellUs(last.naive), cellUs(first.naive), 0), '']);
  printTable(
    `(a2) cost of one more 4-char chunk (microseconds) as the reasoning grows: corpus reasoning repeated, ${tools.length} tools offered; ` +
      `the mean over the same ${SAMPLE} chunks after each position (eight 1k-char passages spread over the corpus, each its fastest of a few fresh sniffers; naive: 20 chunks, 3 at 1M); a cell over ${CELL_CAP_SECONDS} s is given up`,
    ['position', 'rules', 'rules+schema', 'prior-art way', 'naive rescan', 'naive / rules+schema'],
    rows,
  );
  const flat = (a: Cell, b: Cell) => {
    const x = cellUs(a);
    const y = cellUs(b);
    return x === undefined || y === undefined ? undefined : x / y;
  };
  return {
    rulesMBps: rows4.rules,
    allMBps: rows4.all,
    priorArtMBps: rows4.prior,
    naiveMBps: rows4.naive,
    flatAll: flat(last.all, first.all),
    flatRules: flat(last.rules, first.rules),
    allAt1M: cellText(last.all),
  };
}
