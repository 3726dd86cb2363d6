import { readKeywordArguments, readLiteral } from './argument-literal.js';
import { isWordChar, readLabelledValue } from './labelled-value.js';
import { looksLikeValue } from './value-patterns.js';
import type { LabelTarget, MentionStyle, SchemaPlan } from './schema-plan.js';

/** A tool named in a sentence; offsets are the sentence's. */
export interface Mention {
  tool: string;
  style: MentionStyle;
  start: number;
  end: number;
  /** Named as a tool ("the search function", `get_weather`), not only as a verb or a noun. */
  explicit: boolean;
}

/** A value stated in a sentence, with the labels that name its parameter (none when unlabelled). */
export interface StatedValue {
  value: unknown;
  text: string;
  start: number;
  end: number;
  /** `plan`: the next item of a plan for the tool named before ("do the same for X"). */
  how: 'labelled' | 'quoted' | 'phrase' | 'code' | 'plan';
  targets: LabelTarget[];
  /** For a labelled value: a word stood between label and value. */
  filler: boolean;
  /** Written in quotes or as a literal, so prose words cannot be mistaken for it. */
  quoted: boolean;
}

/** A whole argument object written out: `tool({...})`, `tool(k=v)`, or a bare `{...}`. */
export interface WrittenObject {
  /** The tool it was written as a call of, if any. */
  tool: string | undefined;
  args: Record<string, unknown>;
  /** A positional value, `tool("x")`, to bind by the schema. */
  positional?: unknown;
  start: number;
  end: number;
}

/** Everything one sentence states, read once. */
export interface SentenceFacts {
  mentions: Mention[];
  values: StatedValue[];
  objects: WrittenObject[];
}

/** A literal hit relative to the sentence. */
export interface SentenceHit {
  id: number;
  start: number;
  end: number;
}

// A module constant: the bundler writes a `\p` literal as `new RegExp`, built on every evaluation.
const STARTS_UPPER = /^\p{Lu}/u;
const LIST_MARKER = /^\s*(?:\d{1,3}[.)]|[-*\u2022])\s+/;
const EXPLICIT_AFTER = /^\s*(?:function|tool|api|endpoint|action|command)\b/i;
const EXPLICIT_BEFORE = /\b(?:call|calling|called|use|using|used|invoke|invoking|via|the|with)\s+[`"']?$/i;
/** Between a mention and an unquoted value: "function to look up", "for", "the weather in". */
const leadIn = (prepositions: string) =>
  new RegExp(String.raw`^[\x60"']?(?:\s*:)?\s*(?:(?:function|tool|api)\s+)?(?:(?:to|and)\s+(?:look\s+up|search(?:\s+for)?|find|get|fetch|check|query)\s+)?(?:(?:${prepositions})\s+)?(?:(?:the|both|each of|all of)\s+)?`, 'i');
const LEAD_IN = leadIn('for|on|about|of|in|at|with|up');
const PHRASE = /^(?:\p{Lu}[\p{L}\p{N}_'\u2019.&-]*|\d[\w.:/-]*[A-Za-z]\w*)(?:\s+(?:(?:of|de|la|le|van|von|der|du|del|da|di|y|&|and the|the)\s+)?[\p{Lu}0-9][\p{L}\p{N}_'\u2019.&-]*)*/u;
const CODE = /^[a-z0-9][\w.:/@+-]*(?:[_@.:/-]|\d)[\w.:/@+-]*[A-Za-z0-9]/;
/** Capitalised words that start prose, not names. */
const NOT_NAMES = new Set(['I', 'I\'ll', 'I\'m', 'Then', 'The', 'This', 'That', 'These', 'Those', 'It', 'We', 'So', 'But', 'And', 'Or', 'If', 'First', 'Next', 'Now', 'Let', 'Also', 'Maybe', 'Perhaps', 'Yes', 'No', 'Okay', 'OK', 'Wait', 'Hmm', 'Finally', 'Once', 'After', 'Before', 'His', 'Her', 'Their', 'Its', 'My', 'Our', 'A', 'An']);
/** A value followed by a figure is a result being restated ("Boston: 40F", "Austin — 12 C"), not an argument. */
const RESTATED = /^\s*(?::|\u2014|\u2013|-{1,2}|=|\bis\b|\bwas\b|\bare\b|\bwere\b|\bhas\b|\bhad\b)\s*[-+~\u2248]?[$\u20ac\u00a3]?\d/;
/**
 * After a quoted word, a noun that says what kind of part of something it names (the "month"
 * key, the 'Revenue' column): it is that part's name, not a value to pass. A noun that is a
 * parameter's own label was read as a label before this is asked.
 */
const NAMES_A_PART = /^\s*(?:key|keys|column|columns|field|fields|attribute|property|variable|sheet|tab|header|index|argument|parameter|module|package|library|class|method|exception|button|element|flag|option|entry|cell)\b/i;
/** An identifier: a letter and a digit ("C-5531", "ORD_7"), or four digits and more ("88121"), then a word end. */
const IDENTIFIER_NEXT = /^(?:(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[A-Za-z0-9][\w-]*|\d{4,})(?![\w.-]*\w)/;
/** A call's one argument written bare: a capitalised name (of a few words) or an identifier with a digit, then `)`. */
const BARE_ARGUMENT = /^(\p{Lu}[\p{L}\p{N}'.&-]*(?: \p{Lu}[\p{L}\p{N}'.&-]*){0,4}|[A-Za-z]*\d[\w.-]*)\s*\)/u;
/** A word that says an identifier follows: "ID C-42", "#7781", "number 88121", "no. 12A". */
const ID_WORD = /^(?:IDs?|Id|id|#|number|no\.?)\s*[:#]?\s*(?=[A-Za-z0-9])/;
/** Before a mention: words that say the sentence is about what to do, not what is. */
export const TO_DO = /\b(?:I'll|I will|let me|let's|let us|we'll|we will|I should|we should|I need to|we need to|I'm going to|I must|next|now|then|first|look up|check|get|fetch|find|pull up|open)\b/i;
/** LEAD_IN for a tool with several required parameters: its first value may come after "from" or "to". */
const LEAD_IN_SEVERAL = leadIn('for|on|about|of|in|at|with|up|from|to|into|between');
/** Between two values of one call to a tool with several required parameters: a comma, "and", or the next one's preposition. */
const ARGUMENT_GLUE = /^["'`]?\s*(?:,\s*(?:and\s+)?|\s+(?:and|to|from|into|on|at|for|in|with|by)\s+)(?:the\s+)?/i;
const LIST_GLUE = /^\s*(?:,\s*(?:and\s+)?(?:then\s+)?|\s+(?:and|then|and then|or|followed by)\s+)(?:(?:for|on|about|search(?:ing)?(?:\s+for)?|look(?:ing)?\s+up)\s+)?/i;
const MAX_QUOTED = 2000;
const OPENING_QUOTE = /["'`\u201c]/g;
const SAME_FOR = /\b(?:do|doing|did|repeat|repeating) (?:the same|that|this|it)(?: again)? (?:for|with) (?:the )?/gi;

/**
 * Reads one finished sentence: the tools it names, the values it states (labelled with a
 * parameter's name before or after them, quoted, or an unquoted name or code right after a
 * mention), and argument objects written as code. Bounded by the sentence's length. With
 * `labelsOnly`, for a caller that only needs the labelled values (a sentence that names no
 * tool and has no brace), the unlabelled values and objects are not looked for; the labelled
 * values are the same.
 */
export function readSentence(plan: SchemaPlan, text: string, hits: readonly SentenceHit[], labelsOnly = false): SentenceFacts {
  const lead = LIST_MARKER.exec(text)?.[0].length ?? 0;
  const mentions: Mention[] = [];
  const labels: { start: number; end: number; targets: LabelTarget[] }[] = [];
  for (const h of hits) {
    if (h.start < lead) continue;
    if (h.start > 0 && isWordChar(text.charCodeAt(h.start - 1))) continue;
    // A noun may be written in the plural ("the stock prices of …"); a name or a label may not.
    const plural = h.end < text.length && text.charCodeAt(h.end) === 115 && (h.end + 1 === text.length || !isWordChar(text.charCodeAt(h.end + 1)));
    if (h.end < text.length && isWordChar(text.charCodeAt(h.end)) && !plural) continue;
    const meaning = plan.meanings[h.id]!;
    if (plural) {
      // Only where the sentence says what to do: "we compared the stock prices of 2019 and 2020" is about data.
      if (TO_DO.test(text.slice(0, h.start))) for (const m of meaning.mentions) if (m.style === 'noun') mentions.push({ tool: m.tool, style: m.style, start: h.start, end: h.end + 1, explicit: false });
      continue;
    }
    if (meaning.mentions.length > 0) {
      // What the text around the hit says is the same for every tool the literal names: read once.
      let written: boolean | undefined;
      let after: boolean | undefined;
      let before: boolean | undefined;
      for (const m of meaning.mentions) {
        let explicit = m.style === 'name' && ((written ??= /[^a-z]/.test(text.slice(h.start, h.end).toLowerCase())) || !plan.tools.get(m.tool)!.verbName);
        if (!explicit) explicit = after ??= EXPLICIT_AFTER.test(text.slice(h.end, h.end + 24));
        if (!explicit && m.style !== 'noun') explicit = before ??= EXPLICIT_BEFORE.test(text.slice(Math.max(0, h.start - 12), h.start));
        mentions.push({ tool: m.tool, style: m.style, start: h.start, end: h.end, explicit });
      }
    }
    if (meaning.targets.length > 0) {
      // "current time" and "time" end together: one label for the parameters of both.
      const same = labels.find((l) => l.end === h.end);
      if (same) {
        same.targets = [...same.targets, ...meaning.targets];
        same.start = Math.min(same.start, h.start);
      } else labels.push({ start: h.start, end: h.end, targets: meaning.targets });
    }
  }
  sortByStart(mentions);
  // A noun inside a longer parameter label ("event" in "Event ID: E-1") is the label, not a mention;
  // inside a longer mention ("order" in "cancel the pending order"), that mention's.
  const within = (m: Mention, o: { start: number; end: number }) => o.start <= m.start && o.end >= m.end && o.end - o.start > m.end - m.start;
  for (let k = mentions.length - 1; k >= 0; k--) {
    const m = mentions[k]!;
    if (labels.some((l) => within(m, l)) || mentions.some((o) => within(m, o))) mentions.splice(k, 1);
  }
  const consumed: [number, number][] = [];
  const isFree = (s: number, e: number) => !consumed.some(([a, b]) => s < b && e > a);
  const objects = labelsOnly ? [] : readObjects(text, mentions, consumed);
  const values: StatedValue[] = [];
  const quotes = labels.length > 0 || !labelsOnly ? quotedValues(text, lead) : [];
  for (const label of labels) {
    if (!isFree(label.start, label.end)) continue;
    // A word inside a quoted value ("repo" in `ls /repo`, "title" in "Fix the title bar") is the
    // value's; a quoted label (`"repo": "x"`) is the whole quote.
    if (quotes.some((q) => q.start <= label.start && label.end <= q.end && (q.start !== label.start || q.end !== label.end))) continue;
    const after = enumValueAt(plan, label.targets, text, label.end) ?? labelledAt(text, label.end);
    const v = after ?? valueBeforeLabel(text, label.start);
    // The next label is not this one's value ("user id: first name Mei").
    if (!v || !isFree(v.start, v.end) || labels.some((o) => o !== label && v.start < o.end && v.end > o.start)) continue;
    // A count before its label ("3 days") labels only a numeric parameter; a quoted value or a name before "as the" any.
    const targets = after || v.quoted || v.named ? label.targets : label.targets.filter((t) => /^(?:integer|number)$/.test(plan.tools.get(t.tool)?.props.get(t.param)?.type ?? ''));
    if (targets.length === 0) continue;
    values.push({ value: v.value, text: v.text, start: v.start, end: v.end, how: 'labelled', targets, filler: v.filler, quoted: v.quoted });
    consumed.push([Math.min(label.start, v.start), Math.max(label.end, v.end)]);
  }
  if (labelsOnly) return { mentions, values: sortByStart(values), objects };
  for (const q of quotes) {
    if (!isFree(q.start - 1, q.end + 1)) continue;
    if (RESTATED.test(text.slice(q.end + 1, q.end + 24)) || NAMES_A_PART.test(text.slice(q.end + 1, q.end + 16))) continue;
    values.push({ value: q.text, text: q.text, start: q.start - 1, end: q.end + 1, how: 'quoted', targets: [], filler: false, quoted: true });
    consumed.push([q.start - 1, q.end + 1]);
  }
  for (const m of mentions) {
    // "The weather in Paris was sunny": after a noun, in a sentence that does not say what to do, a clause with a copula describes data.
    if (m.style === 'noun' && DESCRIBES.test(clauseAfter(text, m.end)) && !TO_DO.test(text.slice(0, m.start))) continue;
    let at = m.end;
    // A tool with several required parameters takes its values one after another, each after its preposition ("from BOS to DEN on 2026-03-14").
    const several = (plan.tools.get(m.tool)?.required.length ?? 0) >= 2;
    for (let k = 0; k < 8; k++) {
      const glue = k === 0 ? (several ? LEAD_IN_SEVERAL : LEAD_IN).exec(text.slice(at, at + 80)) : (several ? ARGUMENT_GLUE : LIST_GLUE).exec(text.slice(at, at + 80));
      if (!glue) break;
      let from = at + glue[0].length;
      // "the customer with ID C-42", "order #7781": the word that says an identifier follows is not the value.
      const idWord = ID_WORD.exec(text.slice(from, from + 12));
      const identified = idWord !== null && IDENTIFIER_NEXT.test(text.slice(from + idWord[0].length, from + idWord[0].length + 40));
      if (identified) from += idWord[0].length;
      // A noun mention needs its preposition ("the weather in Oslo"), else "weather Oslo" is prose;
      // an identifier may follow it directly ("customer C-5531", "order 88121") where the sentence says what to do.
      const bare = k === 0 && m.style === 'noun' && !/\b(?:for|in|at|of|on|from|to)\s/i.test(glue[0]);
      if (bare && !((identified || IDENTIFIER_NEXT.test(text.slice(from, from + 40))) && TO_DO.test(text.slice(0, m.start)))) break;
      if (several) {
        // A quoted value read already is one of them: the next may follow it.
        const quoted = values.find((x) => x.how === 'quoted' && x.start === from);
        if (quoted) {
          at = quoted.end;
          continue;
        }
      }
      const v = phraseAt(text, from);
      if (!v || !isFree(v.start, v.end)) break;
      if (RESTATED.test(text.slice(v.end, v.end + 24))) break;
      values.push(v);
      consumed.push([v.start, v.end]);
      at = v.end;
    }
  }
  // "Then I'll do the same for X": the next item of a plan for the tool named before.
  for (let m = SAME_FOR.exec(text); m !== null; m = SAME_FOR.exec(text)) {
    const v = phraseAt(text, m.index + m[0].length);
    if (v && isFree(v.start, v.end)) values.push({ value: v.value, text: v.text, start: v.start, end: v.end, how: 'plan', targets: v.targets, filler: false, quoted: false });
  }
  return { mentions, values: sortByStart(values), objects };
}

/** A copula: what comes before it is being described. */
const DESCRIBES = /\b(?:was|were|is|are|seems|seemed|looks|looked|remains|remained|has been|have been)\b/i;

/** The text after `at` up to the next clause break (at most 120 characters). */
function clauseAfter(text: string, at: number): string {
  const rest = text.slice(at, at + 120);
  const end = rest.search(/[,;:.!?](?=\s|$)/);
  return end < 0 ? rest : rest.slice(0, end);
}

/** Sorts by start (stably), skipping the sort when the list is in order already, as it mostly is. */
function sortByStart<T extends { start: number }>(list: T[]): T[] {
  for (let i = 1; i < list.length; i++) if (list[i]!.start < list[i - 1]!.start) return list.sort((a, b) => a.start - b.start);
  return list;
}

function readObjects(text: string, mentions: readonly Mention[], consumed: [number, number][]): WrittenObject[] {
  const out: WrittenObject[] = [];
  for (const m of mentions) {
    let j = m.end;
    if (text[j] === '`' || text[j] === '"' || text[j] === "'") j++;
    while (text[j] === ' ') j++;
    if (text[j] !== '(') continue;
    const open = j;
    j++;
    while (text[j] === ' ') j++;
    let args: Record<string, unknown> | undefined;
    let positional: unknown;
    let end = -1;
    const lit = readLiteral(text, j);
    if (lit) {
      let k = lit.end;
      while (text[k] === ' ') k++;
      if (text[k] === ')') {
        end = k + 1;
        if (lit.value !== null && typeof lit.value === 'object' && !Array.isArray(lit.value)) args = lit.value as Record<string, unknown>;
        else positional = lit.value;
      }
    }
    if (end < 0) {
      const kw = readKeywordArguments(text, j);
      if (kw) {
        args = kw.value as Record<string, unknown>;
        end = kw.end;
      }
    }
    if (end < 0) {
      // Written without quotes: `get_weather(Lima)`, `lookup_order(A-17)`; a lower-case word is a variable, not a value.
      const bare = BARE_ARGUMENT.exec(text.slice(j, j + 80));
      if (bare && !NOT_NAMES.has(bare[1]!)) {
        positional = bare[1]!;
        end = j + bare[0].length;
      }
    }
    if (end < 0) continue;
    out.push({ tool: m.tool, args: args ?? {}, ...(positional !== undefined ? { positional } : {}), start: m.start, end });
    consumed.push([open, end]);
  }
  for (let i = text.indexOf('{'); i >= 0; i = text.indexOf('{', i + 1)) {
    if (consumed.some(([a, b]) => i >= a && i < b)) continue;
    const lit = readLiteral(text, i);
    if (!lit || lit.value === null || typeof lit.value !== 'object' || Array.isArray(lit.value)) continue;
    out.push({ tool: undefined, args: lit.value as Record<string, unknown>, start: i, end: lit.end });
    consumed.push([i, lit.end]);
    i = lit.end - 1;
  }
  return out.sort((a, b) => a.start - b.start);
}

type Read = { value: unknown; text: string; start: number; end: number; filler: boolean; quoted: boolean; named?: boolean };

/** Between a label and its value: a closing quote, then `:`, `=`, is, to, of or as. */
const LABEL_SEPARATOR = /^["'`]?\s*(?:[:=]|\bis\b|\bto\b|\bof\b|\bas\b)?\s*/;

/**
 * One of the labelled parameters' enum values of several words, written out unquoted after
 * the label ("reason: ordered by mistake", "cabin is basic economy"); the longest that fits.
 */
function enumValueAt(plan: SchemaPlan, targets: readonly LabelTarget[], text: string, at: number): Read | undefined {
  let best: string | undefined;
  // Where the value would start, found only once some enum value of several words is asked about.
  let from = -1;
  for (const t of targets) {
    const values = plan.tools.get(t.tool)?.props.get(t.param)?.enum;
    if (!values) continue;
    for (const e of values) {
      if (typeof e !== 'string' || !e.includes(' ') || (best !== undefined && best.length >= e.length)) continue;
      if (from < 0) from = at + (LABEL_SEPARATOR.exec(text.slice(at, at + 16))?.[0].length ?? 0);
      const end = from + e.length;
      if (text.slice(from, end).toLowerCase() === e.toLowerCase() && (end === text.length || !isWordChar(text.charCodeAt(end)))) best = e;
    }
  }
  return best === undefined ? undefined : { value: best, text: best, start: from, end: from + best.length, filler: false, quoted: false };
}

function labelledAt(text: string, at: number): Read | undefined {
  // An array or object right after the label: `ids: ["A", "B"]`, `"filters": {...}`.
  const sep = LABEL_SEPARATOR.exec(text.slice(at, at + 16));
  if (sep) {
    const v = at + sep[0].length;
    if (text[v] === '[' || text[v] === '{') {
      const lit = readLiteral(text, v);
      if (lit) return { value: lit.value, text: text.slice(v, lit.end), start: v, end: lit.end, filler: false, quoted: true };
    }
  }
  let plain: Read | undefined;
  for (const filler of [false, true]) {
    const r = readLabelledValue(text, at, true, filler);
    if (r.status !== 'value') continue;
    const v = r.value;
    const start = v.end - v.text.length - (v.quoted ? 1 : 0);
    if (v.quoted) return { value: v.text, text: v.text, start, end: v.end, filler: v.filler, quoted: true };
    // An unquoted name of several words: "city is New York", "entity is Tim Rice".
    if (STARTS_UPPER.test(v.text) && !NOT_NAMES.has(v.text)) {
      const p = PHRASE.exec(text.slice(start, start + 200));
      const name = p ? trimName(p[0]) : v.text;
      return { value: name, text: name, start, end: start + name.length, filler: v.filler, quoted: false };
    }
    const read = { value: v.text, text: v.text, start, end: v.end, filler: v.filler, quoted: false };
    if (filler) return /\d/.test(v.text) ? read : plain;
    // A prose word after the label ("start time 2026-…") may be a filler before the value.
    if (looksLikeValue(v.text)) return read;
    plain = read;
  }
  return plain;
}

/** `"X" as the entity`, `"X" for the keyword`: a quoted value just before its label; or a number ("3 days"). */
function valueBeforeLabel(text: string, labelStart: number): Read | undefined {
  const near = text.slice(Math.max(0, labelStart - 24), labelStart);
  const count = /(?:^|[^\w.-])(-?\d+(?:\.\d+)?)\s+$/.exec(near);
  if (count) {
    const start = labelStart - near.length + count.index + count[0].indexOf(count[1]!);
    return { value: count[1]!, text: count[1]!, start, end: start + count[1]!.length, filler: false, quoted: false };
  }
  const joint = /(["'`])\s+(?:as|for|is)\s+(?:the\s+|its\s+|an?\s+|our\s+)?$/.exec(near);
  if (!joint) {
    // Unquoted, only a name or a code, and only before "as": "passing Paris as the location".
    const wider = text.slice(Math.max(0, labelStart - 80), labelStart);
    const named = NAMED_AS.exec(wider);
    if (!named || NOT_NAMES.has(named[1]!.split(/\s+/)[0]!)) return undefined;
    const start = labelStart - wider.length + named.index + named[0].indexOf(named[1]!);
    return { value: named[1]!, text: named[1]!, start, end: start + named[1]!.length, filler: false, quoted: false, named: true };
  }
  const close = labelStart - near.length + joint.index;
  const open = text.lastIndexOf(joint[1]!, close - 1);
  if (open < 0 || close - open - 1 < 1 || close - open - 1 > MAX_QUOTED) return undefined;
  const inner = text.slice(open + 1, close);
  if (/\n/.test(inner) || inner.trim() !== inner) return undefined;
  return { value: inner, text: inner, start: open, end: close + 1, filler: false, quoted: true };
}

/** A capitalised name (a few words) or a code of letters then digits, then "as the": a value written before its label. */
const NAMED_AS = /(?:^|[^\p{L}\p{N}_'-])(\p{Lu}[\p{L}\p{N}_'.-]*(?:\s+\p{Lu}[\p{L}\p{N}_'.-]*){0,3}|[A-Za-z]+\d[\w.-]*)\s+as\s+(?:the\s+|its\s+|an?\s+|our\s+)?$/u;

/** Quoted spans: "…", `…`, “…”, and '…' where the quotes are not apostrophes. Offsets of the inside. */
function quotedValues(text: string, from: number): { text: string; start: number; end: number }[] {
  const out: { text: string; start: number; end: number }[] = [];
  OPENING_QUOTE.lastIndex = from;
  for (let m = OPENING_QUOTE.exec(text); m !== null; m = OPENING_QUOTE.exec(text)) {
    const i = m.index;
    const c = text.charCodeAt(i);
    if (c === 39 && i > 0 && isWordChar(text.charCodeAt(i - 1))) continue;
    const close = c === 0x201c ? '\u201d' : text[i]!;
    let j = text.indexOf(close, i + 1);
    const newline = text.indexOf('\n', i + 1);
    if (j < 0 || (newline >= 0 && newline < j) || j - i > MAX_QUOTED) continue;
    if (c === 39) {
      // An apostrophe inside the quote ("'Tim's book'") is not its end.
      while (j >= 0 && j + 1 < text.length && isWordChar(text.charCodeAt(j + 1))) j = text.indexOf(close, j + 1);
      if (j < 0 || (newline >= 0 && newline < j)) continue;
    }
    // A comma or full stop just inside the closing quote is the sentence's ("search "Oslo."").
    // Not the full stop of an abbreviation ("Washington, D.C.", "U.S.").
    const inner = text.slice(i + 1, j).replace(/(?<=[\p{L}\p{N})])(?<!(?:^|[\s.])\p{L})[.,]$/u, '');
    if (inner.length > 0 && inner.trim() === inner) out.push({ text: inner, start: i + 1, end: j });
    OPENING_QUOTE.lastIndex = j + 1;
  }
  return out;
}

/** An unquoted value right where a mention's argument would be: a capitalised name or a code. */
function phraseAt(text: string, at: number): StatedValue | undefined {
  const slice = text.slice(at, at + 200);
  const p = PHRASE.exec(slice);
  if (p) {
    const name = trimName(p[0]);
    if (name.length > 0 && !NOT_NAMES.has(name) && !NOT_NAMES.has(name.split(' ')[0]!)) return { value: name, text: name, start: at, end: at + name.length, how: 'phrase', targets: [], filler: false, quoted: false };
  }
  const c = CODE.exec(slice);
  if (c) return { value: c[0], text: c[0], start: at, end: at + c[0].length, how: 'code', targets: [], filler: false, quoted: false };
  return undefined;
}

/** Drops a possessive and trailing punctuation: "Tim Rice's" -> "Tim Rice". */
function trimName(name: string): string {
  return name.replace(/['\u2019]s$/, '').replace(/[.'\u2019&-]+$/, '');
}
