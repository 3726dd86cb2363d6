// Column arithmetic over one line of a rule file. Only spaces and tabs count as blanks, so a
// column computed here is the column an editor shows.

import type { Range } from './rule-ast.js';

/** The range of columns [start, end) on one line. */
export function span(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

/** Whether `c` is a space or a tab. */
export function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

/** The first column at or after `i` that is not a blank. */
export function skipBlanks(line: string, i: number): number {
  while (i < line.length && isBlank(line[i])) i++;
  return i;
}

/** The column just after the word starting at `i`: a word ends at a blank or `#`. */
export function wordEnd(line: string, i: number): number {
  while (i < line.length && !isBlank(line[i]) && line[i] !== '#') i++;
  return i;
}

/** The end of the text from `from` before any `#` comment, trailing blanks dropped. */
export function contentEnd(line: string, from: number): number {
  const hash = line.indexOf('#', from);
  return trimBlanksEnd(line, from, hash < 0 ? line.length : hash);
}

/** Like `contentEnd`, but a `#` inside a JSON string ("…") does not start a comment. */
export function jsonContentEnd(line: string, from: number): number {
  let inString = false;
  let i = from;
  for (; i < line.length; i++) {
    const c = line[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === '#') {
      break;
    }
  }
  return trimBlanksEnd(line, from, Math.min(i, line.length));
}

/** `end` moved back over blanks, never before `from`. */
export function trimBlanksEnd(line: string, from: number, end: number): number {
  while (end > from && isBlank(line[end - 1])) end--;
  return end;
}

/** A word as it may appear in a message: quoted, escaped, and cut short if long. */
export function quoteWord(word: string): string {
  return JSON.stringify(word.length > 40 ? `${word.slice(0, 40)}…` : word);
}

/** The candidate within two edits of `word`, if one is; for "did you mean" hints. */
export function closestWord(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > 16) return undefined;
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
