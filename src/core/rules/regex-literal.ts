/** A regex literal found in a line: offsets are into that line, `end` just after the last flag. */
export type RegexLiteral =
  | { ok: true; source: string; flags: string; start: number; flagsStart: number; end: number }
  | { ok: false; start: number };

/** Flags a rule's pattern may carry; the sniffer adds its own scanning flags. */
export const ALLOWED_FLAGS = 'imsu';

/** A flag that cannot be used, at its offset within the flags. */
export interface FlagProblem {
  index: number;
  message: string;
}

/**
 * Lexes a regex literal starting at `text[start] === '/'` the way JavaScript does: it ends at
 * the first `/` that is neither escaped nor inside a character class, and is followed by its
 * flags (every identifier character up to the next space or symbol). `ok: false` when the
 * line ends first. Costs O(length of the literal).
 */
export function lexRegexLiteral(text: string, start: number): RegexLiteral {
  let inClass = false;
  let i = start + 1;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
    } else if (c === '/') {
      break;
    }
  }
  if (i >= text.length) return { ok: false, start };
  const flagsStart = i + 1;
  let end = flagsStart;
  while (end < text.length && /[A-Za-z0-9_$]/.test(text[end] ?? '')) end++;
  return { ok: true, source: text.slice(start + 1, i), flags: text.slice(flagsStart, end), start, flagsStart, end };
}

/** Every flag that is not one of `ALLOWED_FLAGS` or is repeated, with a message saying why and what to do. */
export function checkFlags(flags: string): FlagProblem[] {
  const problems: FlagProblem[] = [];
  const seen = new Set<string>();
  for (let index = 0; index < flags.length; index++) {
    const flag = flags[index] ?? '';
    const message = flagMessage(flag, seen);
    if (message !== undefined) problems.push({ index, message });
    seen.add(flag);
  }
  return problems;
}

function flagMessage(flag: string, seen: ReadonlySet<string>): string | undefined {
  if (seen.has(flag)) return `The flag "${flag}" is given twice; write it once.`;
  if (ALLOWED_FLAGS.includes(flag)) return undefined;
  if (flag === 'g' || flag === 'y') {
    return `The flag "${flag}" is not allowed: the sniffer decides where to scan. Remove it; a pattern may use i, m, s and u.`;
  }
  if (flag === 'd' || flag === 'v') {
    return `The flag "${flag}" is not supported in rule patterns. Remove it; a pattern may use i, m, s and u.`;
  }
  return `"${flag}" is not a regex flag. A pattern may use i (ignore case), m (multiline), s (dot matches newlines) and u (unicode).`;
}

/**
 * Names of the named capture groups `(?<name>…)` in a regex source, each once, in order.
 * Escaped parentheses, parentheses inside character classes and lookbehinds `(?<=` `(?<!`
 * are not groups. O(source length).
 */
export function namedGroups(source: string): string[] {
  const names = new Set<string>();
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
    } else if (c === '(' && source[i + 1] === '?' && source[i + 2] === '<') {
      const after = source[i + 3];
      if (after === '=' || after === '!') continue;
      const close = source.indexOf('>', i + 3);
      if (close < 0) break;
      const name = source.slice(i + 3, close);
      if (name.length > 0) names.add(name);
      i = close;
    }
  }
  return [...names];
}
