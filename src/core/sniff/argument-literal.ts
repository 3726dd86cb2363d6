/** A value written as code in the reasoning, and where it ends. */
export interface ReadLiteral {
  value: unknown;
  end: number;
}

const MAX_DEPTH = 8;
const MAX_LENGTH = 4096;

/**
 * Reads a JSON or Python-style literal at `i`: objects/dicts, arrays/lists, strings in double,
 * single or back quotes, numbers, true/false/True/False, null/None. Keys may be bare words
 * (`{city: "Oslo"}`). Undefined when the text there is not a whole literal, so prose with a
 * stray brace yields nothing. Bounded in depth and length.
 */
export function readLiteral(text: string, i: number): ReadLiteral | undefined {
  const limit = Math.min(text.length, i + MAX_LENGTH);
  const r = value(text, skip(text, i, limit), limit, 0);
  return r;
}

/**
 * Reads keyword arguments `name=value, name2="x"` (or `name: value`) from `i` up to the closing
 * parenthesis, as written in a call `tool(name=value)`. Undefined unless every piece is a keyword.
 */
export function readKeywordArguments(text: string, i: number): ReadLiteral | undefined {
  const limit = Math.min(text.length, i + MAX_LENGTH);
  const out: Record<string, unknown> = {};
  let j = skip(text, i, limit);
  if (text[j] === ')') return { value: out, end: j + 1 };
  for (;;) {
    const key = /^[A-Za-z_]\w*/.exec(text.slice(j, j + 64));
    if (!key) return undefined;
    j = skip(text, j + key[0].length, limit);
    if (text[j] !== '=' && text[j] !== ':') return undefined;
    j = skip(text, j + 1, limit);
    const v = value(text, j, limit, 1) ?? bareWord(text, j, limit);
    if (!v) return undefined;
    out[key[0]] = v.value;
    j = skip(text, v.end, limit);
    if (text[j] === ',') {
      j = skip(text, j + 1, limit);
      continue;
    }
    if (text[j] === ')') return { value: out, end: j + 1 };
    return undefined;
  }
}

function value(text: string, i: number, limit: number, depth: number): ReadLiteral | undefined {
  if (i >= limit || depth > MAX_DEPTH) return undefined;
  const c = text[i]!;
  if (c === '{') return object(text, i, limit, depth);
  if (c === '[') return array(text, i, limit, depth);
  if (c === '"' || c === "'" || c === '`') return string(text, i, limit);
  const num = /^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w.])/.exec(text.slice(i, i + 40));
  if (num) return { value: Number(num[0]), end: i + num[0].length };
  const word = /^(?:true|false|True|False|null|None)(?!\w)/.exec(text.slice(i, i + 6));
  if (word) return { value: word[0] === 'null' || word[0] === 'None' ? null : word[0].toLowerCase() === 'true', end: i + word[0].length };
  return undefined;
}

function object(text: string, i: number, limit: number, depth: number): ReadLiteral | undefined {
  const out: Record<string, unknown> = {};
  let j = skip(text, i + 1, limit);
  if (text[j] === '}') return { value: out, end: j + 1 };
  for (;;) {
    let key: string;
    const q = text[j];
    if (q === '"' || q === "'") {
      const s = string(text, j, limit);
      if (!s) return undefined;
      key = s.value as string;
      j = s.end;
    } else {
      const bare = /^[A-Za-z_]\w*/.exec(text.slice(j, j + 64));
      if (!bare) return undefined;
      key = bare[0];
      j += bare[0].length;
    }
    j = skip(text, j, limit);
    if (text[j] !== ':') return undefined;
    const v = value(text, skip(text, j + 1, limit), limit, depth + 1);
    if (!v) return undefined;
    out[key] = v.value;
    j = skip(text, v.end, limit);
    if (text[j] === ',') {
      j = skip(text, j + 1, limit);
      if (text[j] === '}') return { value: out, end: j + 1 };
      continue;
    }
    if (text[j] === '}') return { value: out, end: j + 1 };
    return undefined;
  }
}

function array(text: string, i: number, limit: number, depth: number): ReadLiteral | undefined {
  const out: unknown[] = [];
  let j = skip(text, i + 1, limit);
  if (text[j] === ']') return { value: out, end: j + 1 };
  for (;;) {
    const v = value(text, j, limit, depth + 1);
    if (!v) return undefined;
    out.push(v.value);
    j = skip(text, v.end, limit);
    if (text[j] === ',') {
      j = skip(text, j + 1, limit);
      if (text[j] === ']') return { value: out, end: j + 1 };
      continue;
    }
    if (text[j] === ']') return { value: out, end: j + 1 };
    return undefined;
  }
}

function string(text: string, i: number, limit: number): ReadLiteral | undefined {
  const q = text[i]!;
  let s = '';
  for (let j = i + 1; j < limit; j++) {
    const d = text[j]!;
    if (d === '\\' && j + 1 < limit) {
      const e = text[++j]!;
      s += e === 'n' ? '\n' : e === 't' ? '\t' : e;
      continue;
    }
    if (d === q) return { value: s, end: j + 1 };
    if (d === '\n') return undefined;
    s += d;
  }
  return undefined;
}

/** An unquoted keyword value such as `metric` in `units=metric`. */
function bareWord(text: string, i: number, limit: number): ReadLiteral | undefined {
  const w = /^[A-Za-z][\w.:/@+-]*/.exec(text.slice(i, Math.min(limit, i + 200)));
  return w ? { value: w[0], end: i + w[0].length } : undefined;
}

function skip(text: string, i: number, limit: number): number {
  while (i < limit && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  return i;
}
