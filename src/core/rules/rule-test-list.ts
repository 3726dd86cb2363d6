import type { Range } from './rule-ast.js';
import { parseRules } from './rule-parser.js';
import { formatExpectation } from './rule-tests.js';

/** One inline test as a test runner lists it. */
export interface ListedTest {
  /** Stable while other rules and lines are edited: the rule's id and the test's place among its tests. */
  id: string;
  label: string;
  /** The test line's content. */
  range: Range;
  line: number;
}

/** A rule that has tests, with its tests in file order. */
export interface ListedRule {
  ruleId: string;
  header: Range;
  tests: ListedTest[];
}

const LONGEST_LABEL = 60;

/**
 * The rules of a rule file that have inline tests (a `test TARGET` block's cases under the
 * rule they test), for a test runner to list. Parses without running or ReDoS-checking any
 * pattern, so it is safe on any text. O(text length).
 */
export function listRuleTests(text: string): ListedRule[] {
  const file = parseRules(text, { deferRedosCheck: true });
  return file.rules
    .filter((rule) => rule.tests.length > 0)
    .map((rule) => ({
      ruleId: rule.id,
      header: rule.headerRange,
      tests: rule.tests.map((test, i) => ({
        id: `${rule.id}#${i + 1}`,
        label: `"${shorten(test.text)}" => ${shorten(formatExpectation(test.expected))}`,
        range: test.range,
        line: test.range.start.line,
      })),
    }));
}

function shorten(text: string): string {
  return text.length > LONGEST_LABEL ? `${text.slice(0, LONGEST_LABEL - 1)}…` : text;
}
