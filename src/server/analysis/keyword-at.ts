import { TOOL_ROLES, type ToolRole } from '../../core/rules/rule-ast.js';
import { BODY_KEYWORDS, EXPECTATION_WORDS, HEADER_KEYWORDS, ROLE_PREFIX, TEST_ARROW, type ExpectationWord } from '../../core/rules/rule-keywords.js';
import { lexRegexLiteral } from '../../core/rules/regex-literal.js';
import { isBlank, skipBlanks, span, wordEnd } from '../../core/rules/line-scanner.js';
import type { Range } from '../../core/rules/rule-ast.js';
import { ARROW_HELP, BODY_HELP, EXPECTATION_HELP, FLAG_NAMES, HEADER_HELP, JSON_CONSTANT_HELP, ROLE_HELP, ROLE_PREFIX_HELP } from './keyword-help.js';

/** A word of the language under the cursor and its help. */
export interface KeywordHelp {
  help: string;
  range: Range;
}

/**
 * The keyword, role, regex flag, arrow or expectation at `character` of line `n`, read from
 * the line alone (as the grammar colours it), so it works in a rule that does not parse, in a
 * test block, and before the file is parsed. Undefined on anything else. O(line length).
 */
export function keywordAt(line: string, n: number, character: number): KeywordHelp | undefined {
  const indent = skipBlanks(line, 0);
  if (indent >= line.length || line[indent] === '#') return undefined;
  const first = wordEnd(line, indent);
  const word = line.slice(indent, first);
  const on = (start: number, end: number) => character >= start && character <= end;
  if (indent === 0) {
    if (!isOneOf(HEADER_KEYWORDS, word)) return undefined;
    if (on(0, first)) return { help: HEADER_HELP[word], range: span(n, 0, first) };
    const target = skipBlanks(line, first);
    if (!line.startsWith(ROLE_PREFIX, target)) return undefined;
    const prefixEnd = target + ROLE_PREFIX.length;
    if (on(target, prefixEnd - 1)) return { help: ROLE_PREFIX_HELP, range: span(n, target, prefixEnd) };
    const roleEnd = wordEnd(line, prefixEnd);
    const role = line.slice(prefixEnd, roleEnd);
    if (on(prefixEnd, roleEnd) && isOneOf(TOOL_ROLES, role)) return { help: ROLE_HELP[role as ToolRole], range: span(n, target, roleEnd) };
    return undefined;
  }
  if (line[indent] === '"') return testTail(line, n, indent, character);
  if (!isOneOf(BODY_KEYWORDS, word)) return undefined;
  if (on(indent, first)) return { help: BODY_HELP[word], range: span(n, indent, first) };
  if (word === 'test') return testTail(line, n, first, character);
  if (word === 'with') return jsonConstant(line, n, first, character);
  if (word !== 'when') return undefined;
  const slash = skipBlanks(line, first);
  if (line[slash] !== '/') return undefined;
  const literal = lexRegexLiteral(line, slash);
  if (!literal.ok) return undefined;
  if (character >= literal.flagsStart && character < literal.end) {
    const flag = line[character] ?? '';
    const meaning = FLAG_NAMES[flag];
    if (meaning) return { help: `**${flag}** flag: ${meaning}.`, range: span(n, character, character + 1) };
  }
  const after = skipBlanks(line, literal.end);
  const afterEnd = wordEnd(line, after);
  if (after > literal.end && line.slice(after, afterEnd) === 'confidence' && on(after, afterEnd)) return { help: BODY_HELP.confidence, range: span(n, after, afterEnd) };
  return undefined;
}

/** The arrow, the expectation word, or a JSON constant after the last blank-preceded `=>` at or after `from`. */
function testTail(line: string, n: number, from: number, character: number): KeywordHelp | undefined {
  let arrow = line.lastIndexOf(TEST_ARROW);
  while (arrow >= from && !isBlank(line[arrow - 1])) arrow = line.lastIndexOf(TEST_ARROW, arrow - 1);
  if (arrow < from || character < arrow) return undefined;
  if (character <= arrow + TEST_ARROW.length) return { help: ARROW_HELP, range: span(n, arrow, arrow + TEST_ARROW.length) };
  const start = skipBlanks(line, arrow + TEST_ARROW.length);
  const end = wordEnd(line, start);
  const word = line.slice(start, end);
  if (isOneOf(EXPECTATION_WORDS, word)) return character >= start && character <= end ? { help: EXPECTATION_HELP[word as ExpectationWord], range: span(n, start, end) } : undefined;
  return jsonConstant(line, n, start, character);
}

/** `true`, `false` or `null` at `character` in JSON starting at `from`, outside any string. */
function jsonConstant(line: string, n: number, from: number, character: number): KeywordHelp | undefined {
  let inString = false;
  for (let i = from; i < character && i < line.length; i++) {
    if (inString && line[i] === '\\') i++;
    else if (line[i] === '"') inString = !inString;
  }
  if (inString) return undefined;
  let start = character;
  while (start > from && /[a-z]/.test(line[start - 1] ?? '')) start--;
  let end = character;
  while (end < line.length && /[a-z]/.test(line[end] ?? '')) end++;
  const word = line.slice(start, end);
  if (word !== 'true' && word !== 'false' && word !== 'null') return undefined;
  return { help: JSON_CONSTANT_HELP[word], range: span(n, start, end) };
}

function isOneOf<T extends string>(words: readonly T[], word: string): word is T {
  return (words as readonly string[]).includes(word);
}
