import { parseRules } from '../../src/core/rules/rule-parser.js';
import type { Session } from '../../src/core/session/format.js';
import { ResniffCache, ruleText } from '../../src/core/tuning/resniff-cache.js';
import { digestSession } from '../../src/core/tuning/session-digest.js';
import { median } from '../../src/core/util/median.js';
import { fmt, printTable } from './bench-table.js';

const EDITS = 11;

/** What re-sniffing after a rule edit costs, with the editor's reuse and from scratch. */
export interface ResniffBenchResult {
  sessions: number;
  rules: number;
  /** Median ms from an edited file's text to fresh figures for every rule, reusing what did not change. */
  editMsMedian: number;
  editMsMax: number;
  /** Median ms for the same, from the parsed sessions with nothing reused (every turn digested, every rule sniffed). */
  scratchMsMedian: number;
}

/**
 * Re-sniffs `count` sessions (the corpus sessions cycled to that number) after editing one rule
 * of `rulesText`, the way the language server's worker does: sessions digested once, only the
 * edited rule sniffed again. Against it, the same edit with no reuse: every session digested
 * and every rule sniffed again. Both start from sessions already read from disk.
 */
export async function resniffBench(corpus: readonly Session[], rulesText: string, count = 100): Promise<ResniffBenchResult> {
  const sessions = Array.from({ length: count }, (_, i) => corpus[i % corpus.length]!);
  // Two versions of the file differing in one rule, alternated so every edit is a real change.
  const marker = /confidence 0\.5\b/.exec(rulesText) ? 'confidence 0.5' : undefined;
  const variants = marker ? [rulesText, rulesText.replace(marker, 'confidence 0.51')] : [rulesText, `${rulesText}\n`];
  const figuresFor = (cache: ResniffCache, text: string) => {
    const lines = text.split(/\r?\n/);
    return cache.figures(parseRules(text).rules, (r) => ruleText(lines, r));
  };

  const cache = new ResniffCache();
  cache.setSessions(sessions.map((s) => digestSession(s)));
  await figuresFor(cache, variants[0]!);
  const edits: number[] = [];
  for (let i = 1; i <= EDITS; i++) {
    const start = performance.now();
    await figuresFor(cache, variants[i % 2]!);
    edits.push(performance.now() - start);
  }

  const scratch: number[] = [];
  for (let i = 1; i <= 3; i++) {
    const start = performance.now();
    const fresh = new ResniffCache();
    fresh.setSessions(sessions.map((s) => digestSession(s)));
    await figuresFor(fresh, variants[i % 2]!);
    scratch.push(performance.now() - start);
  }
  const result: ResniffBenchResult = {
    sessions: sessions.length,
    rules: parseRules(rulesText).rules.length,
    editMsMedian: median(edits) ?? 0,
    editMsMax: Math.max(...edits),
    scratchMsMedian: median(scratch) ?? 0,
  };
  printTable(`Re-sniffing ${result.sessions} sessions after a rule edit (${result.rules} rules)`, ['', 'median ms', 'max ms'], [
    ['editor (sessions digested once, edited rule only)', fmt(result.editMsMedian), fmt(result.editMsMax)],
    ['from scratch (digest every session, sniff every rule)', fmt(result.scratchMsMedian), fmt(Math.max(...scratch))],
  ]);
  return result;
}
