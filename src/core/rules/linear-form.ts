import { RegExpParser, visitRegExpAST, type AST } from '@eslint-community/regexpp';
import { casedUnitsIn, caseVariants } from './case-closure.js';

const parser = new RegExpParser({ ecmaVersion: 2025 });

/**
 * A pattern rewritten for V8's linear-time engine, which takes no i, m, s or u flag: `i` as
 * character classes of case variants, `s` as [\s\S] for the dot, `m` dropped when there is
 * no ^ or $. Matches what the original matches, with the same groups. Otherwise, what stands
 * in the way, in words for the user; `mayBlock` names what some V8 versions refuse.
 */
export type LinearForm = { ok: true; source: string; flags: string; mayBlock?: string } | { ok: false; blocker: string };

/** The pattern as the linear-time engine could take it, or what prevents that. O(pattern length), case tables aside. */
export function linearForm(source: string, flags: string): LinearForm {
  if (flags.includes('u') || flags.includes('v')) return { ok: false, blocker: 'the u flag' };
  let ast: AST.Pattern;
  try {
    ast = parser.parsePattern(source, 0, source.length, { unicode: false });
  } catch {
    return { ok: false, blocker: 'syntax the checker cannot read' };
  }
  const ignoreCase = flags.includes('i');
  const dotAll = flags.includes('s');
  const edits: { start: number; end: number; text: string }[] = [];
  let blocker: string | undefined;
  let mayBlock: string | undefined;
  const block = (what: string) => {
    blocker ??= what;
  };
  visitRegExpAST(ast, {
    onAssertionEnter(a) {
      if (a.kind === 'lookahead') block('a lookahead');
      else if (a.kind === 'lookbehind') block('a lookbehind');
      else if ((a.kind === 'start' || a.kind === 'end') && flags.includes('m')) block('the m flag with ^ or $');
    },
    onQuantifierEnter(q) {
      // V8 unrolls counted repetitions and refuses large ones.
      if (q.max !== Number.POSITIVE_INFINITY && q.max > 16) mayBlock ??= 'the repetition count above 16';
    },
    onBackreferenceEnter() {
      block('a backreference');
    },
    onCharacterSetEnter(set) {
      if (dotAll && set.kind === 'any') edits.push({ start: set.start, end: set.end, text: '[\\s\\S]' });
    },
    onCharacterEnter(c) {
      if (!ignoreCase || c.parent.type === 'CharacterClass' || c.parent.type === 'CharacterClassRange') return;
      const variants = caseVariants(c.value);
      if (variants.length > 1) edits.push({ start: c.start, end: c.end, text: `[${variants.map(unitEscape).join('')}]` });
    },
    onCharacterClassEnter(cls) {
      if (!ignoreCase) return;
      const text = closedClass(cls);
      if (text !== undefined) edits.push({ start: cls.start, end: cls.end, text });
    },
  });
  // Lookbehind runs in the linear engine of newer V8s; the caller's compile decides.
  if (blocker === 'a lookbehind') mayBlock = blocker;
  else if (blocker !== undefined) return { ok: false, blocker };
  edits.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const e of edits) {
    out += source.slice(at, e.start) + e.text;
    at = e.end;
  }
  out += source.slice(at);
  return { ok: true, source: out, flags: '', ...(mayBlock !== undefined ? { mayBlock } : {}) };
}

/**
 * The class with every case variant of its members added, every character written as \uXXXX
 * so that no added one can form a range with a neighbour; undefined when nothing is added.
 * Negation stays correct: a non-unicode `i` class matches a unit when some member has the
 * same Canonicalize, which is membership in the closed class.
 */
function closedClass(cls: AST.CharacterClass): string | undefined {
  if (cls.unicodeSets) return undefined;
  const added = new Set<number>();
  const parts: string[] = [];
  for (const e of cls.elements) {
    if (e.type === 'Character') {
      parts.push(unitEscape(e.value));
      for (const v of caseVariants(e.value)) if (v !== e.value) added.add(v);
    } else if (e.type === 'CharacterClassRange') {
      parts.push(`${unitEscape(e.min.value)}-${unitEscape(e.max.value)}`);
      for (const unit of casedUnitsIn(e.min.value, e.max.value)) for (const v of caseVariants(unit)) if (v < e.min.value || v > e.max.value) added.add(v);
    } else {
      // \w \d \s and their negations are closed under non-unicode case folding already.
      parts.push(e.raw);
    }
  }
  if (added.size === 0) return undefined;
  for (const v of added) parts.push(unitEscape(v));
  return `[${cls.negate ? '^' : ''}${parts.join('')}]`;
}

function unitEscape(unit: number): string {
  return `\\u${unit.toString(16).padStart(4, '0')}`;
}
