import { RegExpParser, type AST } from '@eslint-community/regexpp';

const parser = new RegExpParser({ ecmaVersion: 2025 });

/**
 * A regex in plain words, one line per part, nested parts indented: "the text "call "", "one or
 * more digits", "captures patient_id: …". Undefined when the pattern does not parse.
 */
export function explainRegex(source: string, flags: string): string[] | undefined {
  let ast: AST.Pattern;
  try {
    ast = parser.parsePattern(source, 0, source.length, { unicode: flags.includes('u') });
  } catch {
    return undefined;
  }
  const out: string[] = [];
  for (const f of flags) {
    if (f === 'i') out.push('(ignoring case)');
    if (f === 'm') out.push('(^ and $ at every line break)');
    if (f === 's') out.push('(. matches line breaks)');
  }
  explainAlternatives(ast.alternatives, 0, out);
  return out;
}

function explainAlternatives(alternatives: readonly AST.Alternative[], depth: number, out: string[]): void {
  if (alternatives.length === 1) {
    explainElements(alternatives[0]!.elements, depth, out);
    return;
  }
  out.push(`${indent(depth)}one of:`);
  for (const alt of alternatives) {
    if (alt.elements.every((e) => e.type === 'Character')) {
      out.push(`${indent(depth + 1)}${alt.elements.length === 0 ? 'nothing' : quote(alt.raw)}`);
    } else {
      out.push(`${indent(depth + 1)}in order:`);
      explainElements(alt.elements, depth + 2, out);
    }
  }
}

function explainElements(elements: readonly AST.Element[], depth: number, out: string[]): void {
  let literal = '';
  const flush = () => {
    if (literal) out.push(`${indent(depth)}the text ${quote(literal)}`);
    literal = '';
  };
  for (const e of elements) {
    if (e.type === 'Character') {
      literal += String.fromCodePoint(e.value);
      continue;
    }
    flush();
    explainElement(e, depth, out);
  }
  flush();
}

function explainElement(e: AST.Element, depth: number, out: string[]): void {
  const pad = indent(depth);
  switch (e.type) {
    case 'Quantifier': {
      const what = short(e.element);
      const how = quantity(e);
      if (what !== undefined) {
        out.push(`${pad}${how} ${what}`);
      } else {
        out.push(`${pad}${how}:`);
        explainElement(e.element, depth + 1, out);
      }
      return;
    }
    case 'CapturingGroup':
      out.push(`${pad}${e.name ? `captures ${e.name}` : 'a numbered group'}:`);
      explainAlternatives(e.alternatives, depth + 1, out);
      return;
    case 'Group':
      explainAlternatives(e.alternatives, depth, out);
      return;
    case 'Assertion':
      out.push(`${pad}${assertion(e)}`);
      if (e.kind === 'lookahead' || e.kind === 'lookbehind') explainAlternatives(e.alternatives, depth + 1, out);
      return;
    default:
      out.push(`${pad}${short(e) ?? e.raw}`);
  }
}

/** A one-phrase description of a simple element, or undefined for a group. */
function short(e: AST.QuantifiableElement | AST.Element): string | undefined {
  switch (e.type) {
    case 'Character':
      return `the character ${quote(String.fromCodePoint(e.value))}`;
    case 'CharacterSet':
      return characterSet(e);
    case 'CharacterClass':
      return `${e.negate ? 'any character except' : 'one of'} ${e.raw.slice(e.negate ? 2 : 1, -1)}`;
    case 'Backreference':
      return `the same text as group ${String(e.ref)} matched`;
    default:
      return undefined;
  }
}

function characterSet(e: AST.CharacterSet): string {
  switch (e.kind) {
    case 'any':
      return 'any character';
    case 'digit':
      return e.negate ? 'a non-digit' : 'a digit';
    case 'space':
      return e.negate ? 'a non-blank' : 'a blank (space, tab, line break)';
    case 'word':
      return e.negate ? 'a character that is not a letter, digit or _' : 'a letter, digit or _';
    default:
      return e.raw;
  }
}

function quantity(q: AST.Quantifier): string {
  const lazy = q.greedy ? '' : ' (as few as possible)';
  if (q.min === 0 && q.max === 1) return `optionally${lazy}`;
  if (q.min === 0 && q.max === Infinity) return `any number of${lazy}`;
  if (q.min === 1 && q.max === Infinity) return `one or more of${lazy}`;
  if (q.max === Infinity) return `${q.min} or more of${lazy}`;
  if (q.min === q.max) return `exactly ${q.min} of`;
  return `${q.min} to ${q.max} of${lazy}`;
}

function assertion(a: AST.Assertion): string {
  switch (a.kind) {
    case 'start':
      return 'the start of the text';
    case 'end':
      return 'the end of the text';
    case 'word':
      return a.negate ? 'not at a word boundary' : 'a word boundary';
    case 'lookahead':
      return a.negate ? 'not followed by:' : 'followed by:';
    case 'lookbehind':
      return a.negate ? 'not preceded by:' : 'preceded by:';
  }
}

function quote(text: string): string {
  return `"${text}"`;
}

function indent(depth: number): string {
  return '  '.repeat(depth);
}
