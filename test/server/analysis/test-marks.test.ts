import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TestOutcome } from '../../../src/shared/lsp-protocol.js';
import { parseDocument } from '../../../src/server/analysis/parsed-document.js';
import { testInlayHints } from '../../../src/server/analysis/test-marks.js';

const TEXT = [
  'tool book_table', //                                                      0
  '  when /table for (?<guests>\\d+)/', //                                   1
  '  test "a table for 4 tonight" => { "guests": 4 }', //                    2
  '  test "a table for 2 please" => { "guests": 3 }', //                     3
  '',
  'tool cancel_booking', //                                                  5
  '  when /cancel booking (?<booking_id>\\w+)/', //                          6
  '  test "cancel booking B7" => { "booking_id": "B7" }', //                 7
].join('\n');
const doc = parseDocument(TEXT);
const whole = { start: { line: 0, character: 0 }, end: { line: 99, character: 0 } };
const outcomes: TestOutcome[] = [
  { line: 2, ruleId: 'tool book_table', passed: true, expected: '{"guests":4}', actual: '{"guests":4}', match: { start: 10, end: 21 } },
  { line: 3, ruleId: 'tool book_table', passed: false, expected: '{"guests":3}', actual: '{"guests":2}', match: { start: 10, end: 21 } },
];

test('each test line ends in ✓ when it passes and ✗ with what it got when it fails', () => {
  const hints = testInlayHints(doc, outcomes, whole);
  assert.deepEqual(hints.slice(0, 2).map((h) => [h.position, h.label]), [
    [{ line: 2, character: 49 }, '✓'],
    [{ line: 3, character: 48 }, '✗ got {"guests":2}'],
  ]);
  assert.match(JSON.stringify(hints[1]?.tooltip), /Expected `\{\\"guests\\":3\}`, got `\{\\"guests\\":2\}`/);
});

test('a test the evaluation did not run is marked so, not as passing', () => {
  const hint = testInlayHints(doc, outcomes, whole).find((h) => h.position.line === 7);
  assert.equal(hint?.label, '⊘ not run');
});

test('only the lines in the asked range get marks', () => {
  assert.deepEqual(testInlayHints(doc, outcomes, { start: { line: 3, character: 0 }, end: { line: 4, character: 0 } }).map((h) => h.position.line), [3]);
});
