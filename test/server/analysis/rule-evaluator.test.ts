import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mayBacktrackExponentially } from '../../../src/core/rules/backtracking-screen.js';
import { RuleEvaluator } from '../../../src/server/analysis/rule-evaluator.js';

test('only repeated parts that repeat or branch inside are sent to the ReDoS checker', async () => {
  assert.equal(mayBacktrackExponentially('(a+)+$', ''), true);
  assert.equal(mayBacktrackExponentially('(?:a|ab)*c', ''), true);
  assert.equal(mayBacktrackExponentially('lab results for .*?\\(ID: (?<id>P\\d+)\\)', ''), false);
  assert.equal(mayBacktrackExponentially('(?:x', ''), false);
  assert.equal(mayBacktrackExponentially('(?:\\w+\\s+){0,3}?done', ''), false);
});

test('a risky pattern the checker cannot clear in time is not run, and is reported as undecided', async () => {
  const evaluator = new RuleEvaluator({ redosBudgetMs: 1_000, redosPerPatternMs: 1, maxFigureRules: 10 });
  // The u flag keeps it off the linear-time engine, which would otherwise run it safely. Were
  // the pattern run on its test, this would never return.
  const result = await evaluator.evaluate(`tool t\n  when /(?<q>(?:a|aa)+)+$/u\n  test "${'a'.repeat(60)}!" => none\n`, []);
  const key = '/(?<q>(?:a|aa)+)+$/u';
  assert.ok(result.undecided.includes(key) || result.redos[key]?.complexity === 'exponential');
  assert.deepEqual(result.tests, []);
});

test('an exponential pattern is reported and its tests are not run, so evaluation returns at once', async () => {
  // Time enough for the checker even on a busy machine; were the pattern run on its test, this would never return.
  const evaluator = new RuleEvaluator({ redosBudgetMs: 60_000, redosPerPatternMs: 30_000, maxFigureRules: 10 });
  const result = await evaluator.evaluate(`tool t\n  when /(?<q>a+)+$/u\n  test "${'a'.repeat(60)}!" => none\n`, []);
  assert.equal(result.redos['/(?<q>a+)+$/u']?.complexity, 'exponential');
  assert.deepEqual(result.tests, []);
});

test('a risky pattern the linear-time engine can take is not sent to the checker, and its tests run', async () => {
  const result = await new RuleEvaluator().evaluate(`tool t\n  when /(?<q>a+)+$/i\n  test "${'a'.repeat(5000)}!" => none\n  test "AAA" => { "q": "AAA" }\n`, []);
  assert.deepEqual(result.redos, {});
  assert.deepEqual(result.undecided, []);
  assert.deepEqual(result.tests.map((t) => t.passed), [true, true]);
});

test('inline tests are run with the tool schema types and located by their line', async () => {
  const tools = [{ type: 'function' as const, function: { name: 't', parameters: { type: 'object', properties: { n: { type: 'integer' } } } } }];
  const result = await new RuleEvaluator().evaluate('tool t\n  when /n=(?<n>\\d+)/\n  test "n=5" => { "n": 5 }\n  test "n=6" => { "n": 5 }\n', tools);
  assert.deepEqual(result.tests.map((t) => [t.line, t.passed, t.actual]), [[2, true, '{"n":5}'], [3, false, '{"n":6}']]);
});

test('with no sessions linked, figures are missing and the note says why', async () => {
  const result = await new RuleEvaluator().evaluate('tool t\n  when /x/\n', []);
  assert.deepEqual(result.figures, []);
  assert.equal(result.figuresNote, 'no sessions linked');
});
