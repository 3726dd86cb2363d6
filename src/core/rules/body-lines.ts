import { MAX_WINDOW, type FixedArgument, type Range, type RulePattern, type RuleProblemCode, type RuleTest, type RuleTestExpectation } from './rule-ast.js';
import { checkFlags, lexRegexLiteral, namedGroups } from './regex-literal.js';
import { compileSafely, patternSafety, quickSafety, unsafeMessage, type RedosBudget } from './safe-pattern.js';
import { contentEnd, isBlank, jsonContentEnd, quoteWord, skipBlanks, span, trimBlanksEnd, wordEnd } from './line-scanner.js';

const ARGUMENT_NAME = /[A-Za-z_][A-Za-z0-9_.-]*/y;
const NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)$/;
const EXPECTED_HINT = 'none, warm, or the expected arguments as a JSON object such as {"path": "a.ts"}';

/** One body line being read: its text, its 0-based number, and where its problems go. */
export interface LineContext {
  text: string;
  n: number;
  report(code: RuleProblemCode, start: number, end: number, message: string, severity?: 'error' | 'warning'): void;
}

/** A test case read from a line, with where its expectation is written (for later checks against the rule's kind). */
export interface PendingTest {
  test: RuleTest;
  expectedRange: Range;
}

/** How a `when` line's pattern is screened for catastrophic backtracking (see `ParseOptions`). */
export interface PatternScreen {
  ruleId: string;
  /** Undefined: leave risky patterns the linear engine cannot take `unchecked`, for the caller. */
  budget: RedosBudget | undefined;
}

/**
 * A `when` line's pattern (kept, uncompiled, when its flags or regex are bad, or when it could
 * backtrack catastrophically), or undefined when there is no literal to keep.
 */
export function readPattern(ctx: LineContext, keywordStart: number, keywordEnd: number, screen: PatternScreen): RulePattern | undefined {
  const line = ctx.text;
  const start = skipBlanks(line, keywordEnd);
  if (start >= line.length || line[start] === '#') {
    ctx.report('missing-regex', keywordStart, keywordEnd, '"when" needs a pattern: a regex literal such as /read (?<path>\\S+)/i.');
    return undefined;
  }
  if (line[start] !== '/') {
    ctx.report('missing-regex', start, wordEnd(line, start), 'A pattern is a regex literal between slashes, such as /read (?<path>\\S+)/i.');
    return undefined;
  }
  const literal = lexRegexLiteral(line, start);
  if (!literal.ok) {
    ctx.report('unterminated-regex', start, trimBlanksEnd(line, start, line.length), 'This pattern has no closing "/". End it with "/" and its flags; write \\/ for a slash inside the pattern.');
    return undefined;
  }
  if (literal.source === '') {
    ctx.report('empty-pattern', start, literal.end, 'This pattern is empty, so it would match anywhere. Write the text to look for between the slashes.');
    return undefined;
  }
  const flagProblems = checkFlags(literal.flags);
  for (const p of flagProblems) ctx.report('bad-flag', literal.flagsStart + p.index, literal.flagsStart + p.index + 1, p.message);
  const pattern: RulePattern = { source: literal.source, flags: literal.flags, range: span(ctx.n, start, literal.end), groups: namedGroups(literal.source) };
  if (flagProblems.length === 0) {
    const safety = screen.budget ? patternSafety(literal.source, literal.flags, screen.budget) : quickSafety(literal.source, literal.flags);
    if (safety.kind === 'invalid') {
      ctx.report('bad-regex', start, literal.end, `This pattern is not a valid regular expression: ${regexReason(safety.message)}. Fix it, or escape the character with \\ if you meant it literally.`);
    } else if (safety.kind === 'unsafe') {
      pattern.risk = 'unsafe';
      ctx.report('catastrophic-pattern', start, literal.end, unsafeMessage(safety, screen.ruleId));
    } else {
      if (safety.kind === 'unchecked') pattern.risk = 'unchecked';
      pattern.regex = compileSafely(literal.source, literal.flags, safety, '', true);
    }
  }
  if (pattern.regex?.test('')) {
    ctx.report('matches-empty', start, literal.end, 'This pattern matches empty text, so it fires on any text at all. Make some part of it required.', 'warning');
  }
  const end = contentEnd(line, literal.end);
  const rest = skipBlanks(line, literal.end);
  if (rest < end) {
    const restWordEnd = wordEnd(line, rest);
    if (rest > literal.end && line.slice(rest, restWordEnd) === 'confidence') {
      const value = readConfidence(ctx, rest, restWordEnd, end);
      if (value !== undefined) pattern.confidence = value.value;
    } else {
      ctx.report('unexpected-text', rest, end, 'Unexpected text after the pattern. A "when" line is  when /PATTERN/FLAGS  optionally followed by  confidence 0..1.');
    }
  }
  return pattern;
}

/** The confidence after a keyword, in [0, 1], its content ending at `end`. */
export function readConfidence(ctx: LineContext, keywordStart: number, keywordEnd: number, end: number): { value: number; range: Range } | undefined {
  const hint = 'A confidence is a probability from 0 to 1, as in "confidence 0.8".';
  const number = readNumber(ctx, keywordStart, keywordEnd, end, hint);
  if (number === undefined) return undefined;
  if (number.value < 0 || number.value > 1) {
    ctx.report('confidence-range', number.range.start.character, number.range.end.character, `${hint} Got ${number.text}${number.value > 1 ? '; write 0.8 for 80%' : ''}.`);
    return undefined;
  }
  return number;
}

/** A `window` line's value: a whole number from 1 to MAX_WINDOW. */
export function readWindow(ctx: LineContext, keywordStart: number, keywordEnd: number): number | undefined {
  const hint = `A window is a whole number of characters from 1 to ${MAX_WINDOW}, as in "window 400".`;
  const number = readNumber(ctx, keywordStart, keywordEnd, contentEnd(ctx.text, keywordEnd), hint);
  if (number === undefined) return undefined;
  if (!Number.isInteger(number.value) || number.value < 1 || number.value > MAX_WINDOW) {
    ctx.report('window-range', number.range.start.character, number.range.end.character, `${hint} Got ${number.text}.`);
    return undefined;
  }
  return number.value;
}

/** The single number after a keyword, ending the line's content. */
function readNumber(ctx: LineContext, keywordStart: number, keywordEnd: number, end: number, hint: string): { value: number; text: string; range: Range } | undefined {
  const line = ctx.text;
  const start = skipBlanks(line, keywordEnd);
  if (start >= end) {
    ctx.report('bad-number', keywordStart, keywordEnd, `A number is missing here. ${hint}`);
    return undefined;
  }
  const tokenEnd = wordEnd(line, start);
  const text = line.slice(start, tokenEnd);
  if (!NUMBER.test(text)) {
    ctx.report('bad-number', start, tokenEnd, `${quoteWord(text)} is not a number. ${hint}`);
    return undefined;
  }
  if (tokenEnd < end) {
    ctx.report('unexpected-text', skipBlanks(line, tokenEnd), end, `Unexpected text after the number. ${hint}`);
    return undefined;
  }
  return { value: Number(text), text, range: span(ctx.n, start, tokenEnd) };
}

/** A `with NAME = VALUE` line's argument; a name in `taken` is a duplicate. */
export function readFixedArgument(ctx: LineContext, keywordStart: number, keywordEnd: number, taken: ReadonlySet<string>): FixedArgument | undefined {
  const line = ctx.text;
  const start = skipBlanks(line, keywordEnd);
  if (start >= contentEnd(line, keywordEnd)) {
    ctx.report('bad-argument', keywordStart, keywordEnd, '"with" fixes an argument every intent of the rule carries:  with NAME = VALUE, as in  with days = 7.');
    return undefined;
  }
  ARGUMENT_NAME.lastIndex = start;
  const match = ARGUMENT_NAME.exec(line);
  if (match === null) {
    ctx.report('bad-argument', start, Math.max(wordEnd(line, start), start + 1), 'An argument name starts with a letter or _ and holds letters, digits and _ . - only.');
    return undefined;
  }
  const name = match[0];
  const nameEnd = start + name.length;
  const equals = skipBlanks(line, nameEnd);
  if (line[equals] !== '=') {
    ctx.report('bad-argument', start, nameEnd, `Write "=" and a JSON value after the name:  with ${name} = VALUE.`);
    return undefined;
  }
  if (taken.has(name)) {
    ctx.report('duplicate-argument', start, nameEnd, `"${name}" is already fixed by an earlier "with" line of this rule; keep one of the two.`);
    return undefined;
  }
  const valueStart = skipBlanks(line, equals + 1);
  const valueEnd = jsonContentEnd(line, valueStart);
  if (valueStart >= valueEnd) {
    ctx.report('bad-json', equals, equals + 1, '"=" needs a JSON value after it, such as 7, "text", true, null or ["a", "b"].');
    return undefined;
  }
  const written = line.slice(valueStart, valueEnd);
  let value: unknown;
  try {
    value = JSON.parse(written);
  } catch (err) {
    const bareWord = /^[A-Za-z_][\w.-]*$/.test(written);
    const message = bareWord
      ? `A text value needs double quotes:  with ${name} = "${written}".`
      : `This value is not JSON (${jsonReason(err)}). Write a JSON value: a "string", a number, true, false, null, [an array] or {an object}.`;
    ctx.report('bad-json', valueStart, valueEnd, message);
    return undefined;
  }
  return { name, value, range: span(ctx.n, start, valueEnd) };
}

/** A test case whose text's opening quote is at or after `from`; `start` is where the line's content starts. */
export function readTestCase(ctx: LineContext, start: number, from: number): PendingTest | undefined {
  const line = ctx.text;
  const lineEnd = trimBlanksEnd(line, start, line.length);
  const open = skipBlanks(line, from);
  if (open >= line.length || line[open] === '#') {
    ctx.report('bad-test', start, from, `A test is  test "TEXT" => EXPECTED, where EXPECTED is ${EXPECTED_HINT}.`);
    return undefined;
  }
  if (line[open] !== '"') {
    ctx.report('bad-test', open, Math.max(wordEnd(line, open), open + 1), 'Put the test text in double quotes:  test "TEXT" => EXPECTED.');
    return undefined;
  }
  const arrow = findArrow(line, open + 1);
  const close = arrow < 0 ? line.lastIndexOf('"') : line.lastIndexOf('"', arrow - 1);
  if (close <= open) {
    ctx.report('unterminated-string', open, arrow < 0 ? lineEnd : trimBlanksEnd(line, open, arrow), 'This test text has no closing quote. End it with " (quotes inside the text need no escaping), then  => EXPECTED.');
    return undefined;
  }
  if (arrow < 0) {
    ctx.report('bad-test', start, lineEnd, `This test has no expected result. After the closing quote write " => " and then ${EXPECTED_HINT}.`);
    return undefined;
  }
  const gap = skipBlanks(line, close + 1);
  if (gap < arrow) {
    ctx.report('unexpected-text', gap, trimBlanksEnd(line, gap, arrow), 'Unexpected text between the closing quote and "=>".');
    return undefined;
  }
  const expectedStart = skipBlanks(line, arrow + 2);
  const expectedEnd = jsonContentEnd(line, expectedStart);
  const written = line.slice(expectedStart, expectedEnd);
  let expected: RuleTestExpectation;
  if (written === 'none' || written === 'warm') {
    expected = written;
  } else if (written === '') {
    ctx.report('bad-test', arrow, arrow + 2, `Write what the test expects after "=>": ${EXPECTED_HINT}.`);
    return undefined;
  } else if (written.startsWith('{')) {
    try {
      expected = JSON.parse(written) as Record<string, unknown>;
    } catch (err) {
      ctx.report('bad-json', expectedStart, expectedEnd, `The expected arguments are not valid JSON (${jsonReason(err)}). Write a JSON object such as {"path": "a.ts"}.`);
      return undefined;
    }
  } else {
    ctx.report('bad-expectation', expectedStart, expectedEnd, `A test expects ${EXPECTED_HINT}; got ${quoteWord(written)}.`);
    return undefined;
  }
  return {
    test: { text: line.slice(open + 1, close), expected, range: span(ctx.n, start, expectedEnd), textRange: span(ctx.n, open + 1, close) },
    expectedRange: span(ctx.n, expectedStart, expectedEnd),
  };
}

/** The last "=>" after `from` with a blank before it, or -1; O(line length) in all. */
function findArrow(line: string, from: number): number {
  let at = line.lastIndexOf('=>');
  while (at >= from && !isBlank(line[at - 1])) at = line.lastIndexOf('=>', at - 1);
  return at >= from ? at : -1;
}

function regexReason(message: string): string {
  const reason = message.slice(message.lastIndexOf(': ') + 1).trim();
  return reason.length > 0 ? reason.charAt(0).toLowerCase() + reason.slice(1) : message;
}

function jsonReason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.length > 0 ? message.charAt(0).toLowerCase() + message.slice(1) : 'unreadable';
}
