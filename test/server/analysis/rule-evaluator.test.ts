import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mayBacktrackExponentially } from '../../../src/server/analysis/backtracking-screen.js';
import { RuleEvaluator } from '../../../src/server/analysis/rule-evaluator.js';

test('only repeated parts that repeat or branch inside are sent to the ReDoS checker', () => {
  assert.equal(mayBacktrackExponentially('(a+)+$', ''), true);
  assert.equal(mayBacktrackExponentially('(?:a|ab)*c', ''), true);
  assert.equal(mayBacktrackExponentially('lab results for .*?\\(ID: (?<id>P\\d+)\\)', ''), false);
  assert.equal(mayBacktrackExponentially('(?:x', ''), false);
  assert.equal(mayBacktrackExponentially('(?:\\w+\\s+){0,3}?done', ''), false);
});

test('a risky pattern the checker cannot clear in time is not run, and is reported as undecided', () => {
  const evaluator = new RuleEvaluator({ redosBudgetMs: 1_000, redosPerPatternMs: 1, maxFigureRules: 10 });
  // Had the test run, 2^60 ways to split the a's would hang it: returning at all shows it did not.
  const result = evaluator.evaluate(`tool t\n  when /(?<q>(?:a|aa)+)+$/\n  test "${'a'.repeat(60)}!" => none\n`, []);
  const key = '/(?<q>(?:a|aa)+)+$/';
  assert.ok(result.undecided.includes(key) || result.redos[key]?.complexity === 'exponential');
  assert.deepEqual(result.tests, []);
});

test('an exponential pattern is reported and its tests are not run, so evaluation returns at once', () => {
  // Budgets no loaded machine can exhaust: the checker decides (a+)+ in milliseconds when it gets the CPU.
  const evaluator = new RuleEvaluator({ redosBudgetMs: 600_000, redosPerPatternMs: 600_000, maxFigureRules: 10 });
  const result = evaluator.evaluate(`tool t\n  when /(?<q>a+)+$/\n  test "${'a'.repeat(60)}!" => none\n`, []);
  assert.equal(result.redos['/(?<q>a+)+$/']?.complexity, 'exponential');
  assert.deepEqual(result.tests, []);
});

test('inline tests are run with the tool schema types and located by their line', () => {
  const tools = [{ type: 'function' as const, function: { name: 't', parameters: { type: 'object', properties: { n: { type: 'integer' } } } } }];
  const result = new RuleEvaluator().evaluate('tool t\n  when /n=(?<n>\\d+)/\n  test "n=5" => { "n": 5 }\n  test "n=6" => { "n": 5 }\n', tools);
  assert.deepEqual(result.tests.map((t) => [t.line, t.passed, t.actual]), [[2, true, '{"n":5}'], [3, false, '{"n":6}']]);
});

test('with no sessions linked, figures are missing and the note says why', () => {
  const result = new RuleEvaluator().evaluate('tool t\n  when /x/\n', []);
  assert.deepEqual(result.figures, []);
  assert.equal(result.figuresNote, 'no sessions linked');
});
