/** A value read after a parameter's label, and how it was written. */
export interface LabelledValue {
  text: string;
  quoted: boolean;
  /** A word stood between the label and the value ("event start time 2026-…"). */
  filler: boolean;
  /** Offset just past the value in the text read. */
  end: number;
}

/** A parse is decided (a value, or none), or needs more text to decide. */
export type LabelledRead = { status: 'value'; value: LabelledValue } | { status: 'none' } | { status: 'more' };

const MAX_QUOTED = 200;
/** Words that join a label to its value; never a value themselves. */
const JOINERS = ['should be', 'will be', 'would be', 'set to', 'equals', 'being', 'equal', 'was', 'is', 'of', 'as', 'to'];
const JOINER_WORDS = new Set(['should', 'will', 'would', 'being', 'set', 'equals', 'equal', 'was', 'is', 'of', 'as', 'to']);
const MORE: LabelledRead = { status: 'more' };
const NONE: LabelledRead = { status: 'none' };

/**
 * Reads the value stated right after a label that ends at `pos`: `label: v`, `label = v`,
 * `label is v` (and was, of, as, to, should be…), `label (v)`, `label v`, each optionally
 * with one filler word first when `filler` is set. A value is "quoted", 'quoted', `quoted`, a
 * date or date-time (2026-03-01 15:00[:00]), or a token ([A-Za-z0-9] then [\w.:/@+-], ending
 * alphanumeric, not a joining word). `final` says no more text will come. Exact about needing
 * more text: it answers `more` only when the text ends inside what it is reading, so a caller
 * can decide every label as soon as the stream allows, with no guessing margin.
 */
export function readLabelledValue(text: string, pos: number, final: boolean, filler: boolean): LabelledRead {
  let i = pos;
  // A quoted label ("event_id": "E1") is followed by its closing quote.
  const c0 = text[i];
  if (c0 === '"' || c0 === "'" || c0 === '`') i++;
  let usedFiller = false;
  if (filler) {
    const ws = skipSpaces(text, i);
    if (ws === text.length) return final ? NONE : MORE;
    if (ws === i) return NONE;
    let j = ws;
    while (j < text.length && isLetter(text.charCodeAt(j))) j++;
    if (j === text.length && !final) return MORE;
    const len = j - ws;
    if (len < 2 || len > 10 || JOINER_WORDS.has(text.slice(ws, j).toLowerCase())) return NONE;
    i = j;
    usedFiller = true;
  }
  const afterSpace = skipSpaces(text, i);
  if (afterSpace === text.length) return final ? NONE : MORE;
  const c = text[afterSpace];
  if (c === ':' || c === '=' || c === '(') {
    const v = skipSpaces(text, afterSpace + 1);
    if (v === text.length) return final ? NONE : MORE;
    return readValue(text, v, final, usedFiller);
  }
  if (afterSpace === i) return NONE;
  // A joining word, then the value; else the value right after the space.
  const rest = text.slice(afterSpace, afterSpace + 12).toLowerCase();
  for (const joiner of JOINERS) {
    if (joiner.startsWith(rest) && !final && afterSpace + rest.length === text.length) return MORE;
    if (rest.startsWith(joiner)) {
      const after = afterSpace + joiner.length;
      if (after === text.length) return final ? NONE : MORE;
      if (!isSpace(text.charCodeAt(after))) continue;
      const v = skipSpaces(text, after);
      if (v === text.length) return final ? NONE : MORE;
      return readValue(text, v, final, usedFiller);
    }
  }
  return readValue(text, afterSpace, final, usedFiller);
}

function readValue(text: string, i: number, final: boolean, filler: boolean): LabelledRead {
  const c = text[i]!;
  if (c === '"' || c === "'" || c === '`') {
    for (let j = i + 1; j < text.length; j++) {
      const d = text[j];
      if (d === '\n' || j - i - 1 > MAX_QUOTED) return NONE;
      if (d === c) return j === i + 1 ? NONE : { status: 'value', value: { text: text.slice(i + 1, j), quoted: true, filler, end: j + 1 } };
    }
    return final ? NONE : MORE;
  }
  // "order_id #W2378156", "issue #42": the number sign says an identifier follows; whether a call
  // writes it too is the schema's to say (see `ParamInfo.hashed`), so the value is read without it.
  if (c === '#') {
    if (i + 1 === text.length) return final ? NONE : MORE;
    if (!isAlnum(text.charCodeAt(i + 1))) return NONE;
    return readValue(text, i + 1, final, filler);
  }
  if (isDigit(text.charCodeAt(i))) {
    const date = readDate(text, i, final);
    if (date === 'more') return MORE;
    if (date !== undefined) return { status: 'value', value: { text: text.slice(i, date), quoted: false, filler, end: date } };
  }
  if (!isAlnum(text.charCodeAt(i))) return NONE;
  let j = i;
  while (j < text.length && isTokenChar(text.charCodeAt(j))) j++;
  if (j === text.length && !final) return MORE;
  let end = j;
  while (end > i && !isAlnum(text.charCodeAt(end - 1))) end--;
  const token = text.slice(i, end);
  if (JOINER_WORDS.has(token.toLowerCase())) return NONE;
  return { status: 'value', value: { text: token, quoted: false, filler, end } };
}

/** End of a date or date-time at `i`, undefined when there is none, 'more' when the text ends inside one. */
function readDate(text: string, i: number, final: boolean): number | undefined | 'more' {
  const shape = 'dddd-dd-dd';
  for (let k = 0; k < shape.length; k++) {
    if (i + k === text.length) return final ? undefined : 'more';
    const code = text.charCodeAt(i + k);
    if (shape[k] === 'd' ? !isDigit(code) : code !== 45) return undefined;
  }
  const dateEnd = i + shape.length;
  // An optional time: [T ]dd:dd[:dd]
  const timeShape = 'Xdd:dd';
  for (let k = 0; k < timeShape.length; k++) {
    if (dateEnd + k === text.length) return final ? dateEnd : 'more';
    const code = text.charCodeAt(dateEnd + k);
    const ok = timeShape[k] === 'X' ? code === 84 || code === 32 : timeShape[k] === 'd' ? isDigit(code) : code === 58;
    if (!ok) return dateEnd;
  }
  const timeEnd = dateEnd + timeShape.length;
  for (let k = 0; k < 3; k++) {
    if (timeEnd + k === text.length) return final ? timeEnd : 'more';
    const code = text.charCodeAt(timeEnd + k);
    if (k === 0 ? code !== 58 : !isDigit(code)) return timeEnd;
  }
  return timeEnd + 3;
}

function skipSpaces(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;
const isDigit = (c: number) => c >= 48 && c <= 57;
// Letters of any script ("Müller", "Åsa"): names are not only ASCII.
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c > 127 && LETTER.test(String.fromCharCode(c)));
const LETTER = /\p{L}/u;
const isAlnum = (c: number) => isDigit(c) || isLetter(c);
/** [\w.:/@+-] */
const isTokenChar = (c: number) => isAlnum(c) || c === 95 || c === 46 || c === 58 || c === 47 || c === 64 || c === 43 || c === 45;

/** Whether the character is part of a word, for label boundaries. */
export function isWordChar(c: number): boolean {
  return isAlnum(c) || c === 95;
}
