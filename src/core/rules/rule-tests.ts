import type { JsonSchema } from '../chat/types.js';
import { ArgumentNormalizer } from '../schema/argument-normalizer.js';
import { canonicalJson } from '../util/canonical-json.js';
import { usableRules, type Rule, type RuleFile, type RuleTest, type RuleTestExpectation } from './rule-ast.js';

/** How to type extracted arguments: the JSON schema of a tool by name, when it is known. */
export interface RuleTestOptions {
  schemaFor?: (toolName: string) => JsonSchema | undefined;
}

/** The outcome of one inline test; `message` says why it failed when the comparison alone does not. */
export interface RuleTestResult {
  rule: Rule;
  test: RuleTest;
  passed: boolean;
  actual: RuleTestExpectation;
  message?: string;
  /** Where in the test's text the winning pattern matched (UTF-16 offsets); absent when nothing matched. */
  match?: { index: number; length: number };
}

/**
 * Runs every inline test of every rule, in file order. A test's text is matched by each of the
 * rule's valid patterns; the earliest match wins (ties: the first pattern). A tool rule's
 * arguments are the match's named groups plus the fixed arguments (which win), typed by the
 * tool's schema when `schemaFor` knows it (Ajv coercion and defaults, applied to the expected
 * arguments too, as at claim time) and otherwise by the expected value's type for numbers and
 * booleans. Arguments compare as canonical JSON. A match longer than the rule's window fails,
 * since the sniffer would never see it. A rule with an `unsafe` pattern is not used, so its
 * tests are not run (its `catastrophic-pattern` problem says why); an `unchecked` pattern is
 * run as compiled, so a caller that parsed with `deferRedosCheck` clears it first.
 */
export function runRuleTests(file: RuleFile, options: RuleTestOptions = {}): RuleTestResult[] {
  const normalizer = new ArgumentNormalizer();
  const results: RuleTestResult[] = [];
  for (const rule of usableRules(file.rules)) {
    const schema = rule.target.by === 'name' ? options.schemaFor?.(rule.target.name) : undefined;
    for (const test of rule.tests) results.push(runTest(rule, test, schema, normalizer));
  }
  return results;
}

/** How an expectation or an outcome is shown to a user: none, warm, or canonical JSON. */
export function formatExpectation(value: RuleTestExpectation): string {
  return typeof value === 'string' ? value : canonicalJson(value);
}

function runTest(rule: Rule, test: RuleTest, schema: JsonSchema | undefined, normalizer: ArgumentNormalizer): RuleTestResult {
  const match = earliestMatch(rule, test.text);
  if (match === undefined) return { rule, test, passed: test.expected === 'none', actual: 'none' };
  return { ...judgeMatch(rule, test, match, schema, normalizer), match: { index: match.index, length: match[0].length } };
}

function judgeMatch(rule: Rule, test: RuleTest, match: RegExpExecArray, schema: JsonSchema | undefined, normalizer: ArgumentNormalizer): RuleTestResult {
  const { expected } = test;
  if (rule.kind === 'warm') {
    const result: RuleTestResult = { rule, test, passed: expected === 'warm', actual: 'warm' };
    if (typeof expected === 'object') result.message = 'a warm rule extracts no arguments; expect warm or none';
    return withinWindow(result, match[0], rule.window);
  }
  const captured: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(match.groups ?? {})) if (value !== undefined) captured[name] = value;
  const typed = schema === undefined && typeof expected === 'object' ? coerceLikeExpected(captured, expected) : captured;
  let actual: Record<string, unknown> = { ...typed, ...Object.fromEntries(rule.fixed.map((f) => [f.name, f.value])) };
  if (schema !== undefined) {
    const normalized = normalizer.normalize(schema, actual);
    if (!normalized.ok) {
      return { rule, test, passed: false, actual, message: `the arguments do not fit the tool's schema: ${normalized.errors.join('; ')}` };
    }
    actual = normalized.value;
  }
  if (expected === 'warm') {
    return { rule, test, passed: false, actual, message: 'warm is what a warm rule expects; a tool rule expects its arguments or none' };
  }
  if (expected === 'none') return withinWindow({ rule, test, passed: false, actual }, match[0], rule.window);
  const want = schema === undefined ? expected : normalizedOr(normalizer, schema, expected);
  return withinWindow({ rule, test, passed: canonicalJson(actual) === canonicalJson(want), actual }, match[0], rule.window);
}

function earliestMatch(rule: Rule, text: string): RegExpExecArray | undefined {
  let best: RegExpExecArray | undefined;
  for (const pattern of rule.patterns) {
    // Rule patterns never carry g or y, so exec always scans from the start.
    const match = pattern.regex?.exec(text) ?? null;
    if (match !== null && (best === undefined || match.index < best.index)) best = match;
  }
  return best;
}

function withinWindow(result: RuleTestResult, matched: string, window: number): RuleTestResult {
  if (matched.length <= window) return result;
  return {
    ...result,
    passed: false,
    message: `the match is ${matched.length} characters long, more than the rule's window of ${window}, so the sniffer would miss it; raise "window" or tighten the pattern`,
  };
}

/** Without a schema, a captured "5" or "true" becomes a number or boolean where the test expects one. */
function coerceLikeExpected(captured: Record<string, unknown>, expected: Record<string, unknown>): Record<string, unknown> {
  const out = { ...captured };
  for (const [name, value] of Object.entries(captured)) {
    const want = expected[name];
    if (typeof value !== 'string') continue;
    if (typeof want === 'number' && value.trim() !== '' && Number.isFinite(Number(value))) out[name] = Number(value);
    else if (typeof want === 'boolean' && /^(?:true|false)$/i.test(value)) out[name] = value.toLowerCase() === 'true';
  }
  return out;
}

function normalizedOr(normalizer: ArgumentNormalizer, schema: JsonSchema, expected: Record<string, unknown>): Record<string, unknown> {
  const normalized = normalizer.normalize(schema, expected);
  return normalized.ok ? normalized.value : expected;
}
