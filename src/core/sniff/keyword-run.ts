import { readLiteral } from './argument-literal.js';

/** Keyword arguments written in prose, outside any call: `m1=5, m2=5, d=2`. */
export interface KeywordRun {
  args: Record<string, unknown>;
  start: number;
  end: number;
}

/** `key =` where `=` is an assignment, not `==`, `=>`, `<=`, `!=`. */
const KEY = /(?<![\w.\]\u2019'"`])([A-Za-z_][A-Za-z0-9_]{0,40})\s*=(?![=>])\s*/g;
/** A number ending where the sentence may go on: "d=2." and "d=2," end at the 2. */
const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w%]|\.\d)/;
const WORD = /^(?:true|false|True|False|null|None)(?![\w])/;
/** Between two pairs of one run: a comma, a semicolon, "and", or a space. */
const GLUE = /^\s*(?:[,;]\s*(?:and\s+)?|\s+and\s+|\s+)/;
const MAX_RUNS = 8;
const OPERATOR = /[=<>!+\-*/^%]/;

/**
 * Reads runs of `key=value` pairs from a sentence: values are numbers, quoted strings, lists,
 * objects and true/false/null, so prose and formulas (`F = G * m1`) are not read as pairs.
 * Pairs join into one run across commas, semicolons, "and" or spaces. Bounded by the sentence.
 * The answer is shared: callers must not change it.
 */
export function readKeywordRuns(text: string): KeywordRun[] {
  if (text.indexOf('=') < 0) return NO_RUNS;
  // A sentence is tested before it is read: the second ask is the same answer.
  if (text === last.text) return last.runs;
  const runs = read(text);
  last = { text, runs };
  return runs;
}

const NO_RUNS: KeywordRun[] = [];
let last: { text: string; runs: KeywordRun[] } = { text: '', runs: NO_RUNS };

function read(text: string): KeywordRun[] {
  const out: KeywordRun[] = [];
  let current: KeywordRun | undefined;
  KEY.lastIndex = 0;
  for (let m = KEY.exec(text); m !== null && out.length < MAX_RUNS; m = KEY.exec(text)) {
    const at = m.index + m[0].length;
    const v = valueAt(text, at);
    const before = text.slice(Math.max(0, m.index - 3), m.index).trimEnd();
    // `a + b = 3` or `x == y = 2` is arithmetic, not a keyword argument.
    if (!v || OPERATOR.test(before.slice(-1))) {
      current = undefined;
      continue;
    }
    const joined = current !== undefined && GLUE.exec(text.slice(current.end, m.index))?.[0].length === m.index - current.end;
    if (!joined || !current) {
      current = { args: {}, start: m.index, end: v.end };
      out.push(current);
    }
    if (m[1]! in current.args) {
      // The same key twice is two statements, not one call.
      current = { args: {}, start: m.index, end: v.end };
      out.push(current);
    }
    current.args[m[1]!] = v.value;
    current.end = v.end;
    KEY.lastIndex = v.end;
  }
  return out;
}

function valueAt(text: string, i: number): { value: unknown; end: number } | undefined {
  const c = text[i];
  if (c === undefined) return undefined;
  if (c === '"' || c === "'" || c === '`' || c === '[' || c === '{') {
    const lit = readLiteral(text, i);
    return lit ? { value: lit.value, end: lit.end } : undefined;
  }
  const rest = text.slice(i, i + 40);
  const n = NUMBER.exec(rest);
  if (n) return { value: Number(n[0]), end: i + n[0].length };
  const w = WORD.exec(rest);
  if (w) return { value: w[0] === 'null' || w[0] === 'None' ? null : w[0].toLowerCase() === 'true', end: i + w[0].length };
  return undefined;
}
