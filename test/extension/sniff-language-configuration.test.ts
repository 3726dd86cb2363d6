import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseRules } from '../../src/core/rules/rule-parser.js';

// VS Code compiles these strings with `new RegExp(pattern)`; so does this test.
const config = JSON.parse(readFileSync('syntaxes/sniff.language-configuration.json', 'utf8')) as {
  indentationRules: { increaseIndentPattern: string; decreaseIndentPattern: string };
  onEnterRules: { beforeText: string; afterText?: string; action: { indent: string } }[];
};
const increase = new RegExp(config.indentationRules.increaseIndentPattern);
const decrease = new RegExp(config.indentationRules.decreaseIndentPattern);
const enterRule = config.onEnterRules.find((r) => r.action.indent === 'indent');

/** Whether the parser reads `line` as a whole, well-formed header (a rule or a test block with its target). */
function parserSeesHeader(line: string): boolean {
  const file = parseRules(`${line}\n  when /ordered (?<order_id>\\d+)/\n  test "ordered 12" => none\n`, { deferRedosCheck: true });
  const onHeaderLine = file.problems.filter((p) => p.range.start.line === 0 && p.code !== 'unknown-test-target');
  return onHeaderLine.length === 0 && (file.rules.length > 0 || /^test\s/.test(line));
}

const LINES = [
  'tool get_order_status',
  'tool get_order_status   ',
  'tool get_order_status # the order desk',
  'warm role:code-runner',
  'warm\troute_planner',
  'tool tickets.search',
  'test get_order_status',
  'test role:searcher  # cases for the searcher',
  'tool',
  'tool ',
  'tool get_order_status extra words',
  '  when /ordered (?<order_id>\\d+)/',
  '  test "where is order 12" => { "order_id": "12" }',
  'test "where is order 12" => none',
  '# tool get_order_status',
  '  tool get_order_status',
  'tools get_order_status',
  'toolbox get_order_status',
  '',
];

describe('the .sniff language configuration', () => {
  it('indents after exactly the lines the parser reads as rule or test-block headers', () => {
    for (const line of LINES) {
      const header = parserSeesHeader(line);
      assert.equal(increase.test(line), header, `increaseIndentPattern on ${JSON.stringify(line)}`);
      assert.equal(new RegExp(enterRule?.beforeText ?? '(?!)').test(line), header, `onEnterRules on ${JSON.stringify(line)}`);
    }
    assert.ok(LINES.filter(parserSeesHeader).length >= 5, 'the sample holds headers');
  });

  it('never outdents the empty line Enter makes, so the indent after a header stays', () => {
    // VS Code outdents a new line whose text after the cursor matches decreaseIndentPattern.
    assert.equal(decrease.test(''), false);
    assert.equal(decrease.test('  when /ordered (?<order_id>\\d+)/'), false);
    assert.equal(decrease.test('  test "where is order 12" => none'), false);
  });

  it('outdents a rule header typed on an indented line, where the parser wants it at column 0', () => {
    assert.equal(decrease.test('  tool get_order_status'), true);
    assert.equal(decrease.test('\twarm role:fetcher'), true);
  });
});
