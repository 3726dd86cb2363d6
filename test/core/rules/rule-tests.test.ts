import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonSchema } from '../../../src/core/chat/types.js';
import { parseRules } from '../../../src/core/rules/rule-parser.js';
import { formatExpectation, runRuleTests, type RuleTestOptions } from '../../../src/core/rules/rule-tests.js';

function run(text: string, options?: RuleTestOptions) {
  const file = parseRules(text);
  assert.deepEqual(file.problems, [], 'the rule file itself should be clean');
  return runRuleTests(file, options).map(({ rule, passed, actual, message }) => ({ rule: rule.id, passed, actual, ...(message ? { message } : {}) }));
}

const LAB = [
  'tool get_lab_results',
  '  when /call get_lab_results with patient_id "(?<patient_id>P\\d+)"/i',
  '  when /lab results for .*?\\(ID: (?<patient_id>P\\d+)\\)/ confidence 0.6',
].join('\n');

describe('runRuleTests', () => {
  it('passes when the named groups give exactly the expected arguments', () => {
    assert.deepEqual(run(`${LAB}\n  test "So first we need to call get_lab_results with patient_id "P12345"." => { "patient_id": "P12345" }`), [
      { rule: 'tool get_lab_results', passed: true, actual: { patient_id: 'P12345' } },
    ]);
  });

  it('fails with the arguments it got when they differ', () => {
    assert.deepEqual(run(`${LAB}\n  test "call get_lab_results with patient_id "P1"" => {"patient_id": "P2"}`), [
      { rule: 'tool get_lab_results', passed: false, actual: { patient_id: 'P1' } },
    ]);
  });

  it('takes the earliest match in the text, whichever pattern finds it', () => {
    const text = `${LAB}\n  test "lab results for Ann (ID: P9), then call get_lab_results with patient_id "P1"" => {"patient_id": "P9"}`;
    assert.equal(run(text)[0]?.passed, true);
  });

  it('reports where the winning pattern matched in the test text, passing or failing, and nothing when none matched', () => {
    const file = parseRules('tool track_parcel\n  when /parcel (?<parcel_id>[A-Z]\\d+)/\n  test "where is parcel Z42 now" => {"parcel_id": "Z42"}\n  test "is parcel Q7 late" => none\n  test "no parcels here" => none');
    const results = runRuleTests(file);
    assert.deepEqual(results.map((r) => [r.passed, r.match]), [
      [true, { index: 9, length: 10 }],
      [false, { index: 3, length: 9 }],
      [true, undefined],
    ]);
    assert.equal('where is parcel Z42 now'.slice(9, 19), 'parcel Z42');
  });

  it('prefers the pattern written first when two match at the same place', () => {
    const text = 'tool t\n  when /id (?<a>\\d+)/\n  when /id (?<b>\\d+)/\n  test "id 7" => {"a": "7"}';
    assert.equal(run(text)[0]?.passed, true);
  });

  it('passes none when no pattern matches and fails it when one does', () => {
    const text = `${LAB}\n  test "We need to find the smallest n such that" => none\n  test "call get_lab_results with patient_id "P1"" => none`;
    assert.deepEqual(run(text), [
      { rule: 'tool get_lab_results', passed: true, actual: 'none' },
      { rule: 'tool get_lab_results', passed: false, actual: { patient_id: 'P1' } },
    ]);
  });

  it('adds the fixed arguments, which win over a capture of the same name', () => {
    const file = parseRules('tool t\n  when /days (?<days>\\d+) for (?<id>\\w+)/\n  with days = 7\n  with unit = "d"\n  test "days 3 for X" => {"id": "X", "days": 7, "unit": "d"}');
    assert.deepEqual(file.problems.map((p) => p.code), ['argument-conflict']);
    assert.equal(runRuleTests(file)[0]?.passed, true);
  });

  it('expects the fixed arguments too, so a test that leaves them out fails', () => {
    assert.equal(run(`${LAB}\n  with days = 7\n  test "call get_lab_results with patient_id "P1"" => {"patient_id": "P1"}`)[0]?.passed, false);
  });

  it('leaves out an optional group that took no part in the match', () => {
    const text = 'tool read_file\n  when /read `(?<path>[^`]+)`(?: from line (?<line>\\d+))?/\n  test "read `a.ts`." => {"path": "a.ts"}';
    assert.deepEqual(run(text)[0], { rule: 'tool read_file', passed: true, actual: { path: 'a.ts' } });
  });

  it('without a schema, turns a capture into the number or boolean the test expects', () => {
    const text = 'tool t\n  when /line (?<n>\\d+) (?<all>true|false) (?<s>\\d+)/\n  test "line 40 true 7" => {"n": 40, "all": true, "s": "7"}';
    assert.deepEqual(run(text)[0], { rule: 'tool t', passed: true, actual: { n: 40, all: true, s: '7' } });
  });

  it('with a schema, coerces captures to its types and fills its defaults on both sides', () => {
    const schema: JsonSchema = {
      type: 'object',
      properties: { path: { type: 'string' }, start_line: { type: 'integer' }, encoding: { type: 'string', default: 'utf8' } },
      required: ['path'],
    };
    const text = 'tool read_file\n  when /read `(?<path>[^`]+)` from line (?<start_line>\\d+)/\n  test "read `a.ts` from line 40" => {"path": "a.ts", "start_line": 40}';
    const schemaFor = (name: string) => (name === 'read_file' ? schema : undefined);
    assert.deepEqual(run(text, { schemaFor })[0], { rule: 'tool read_file', passed: true, actual: { path: 'a.ts', start_line: 40, encoding: 'utf8' } });
  });

  it('with a schema, fails when the arguments do not fit it and says why', () => {
    const schema: JsonSchema = { type: 'object', properties: { n: { type: 'integer' } }, required: ['n', 'm'] };
    const [result] = run('tool t\n  when /n (?<n>\\w+)/\n  test "n abc" => {"n": 1}', { schemaFor: () => schema });
    assert.equal(result?.passed, false);
    assert.match(result?.message ?? '', /do not fit the tool's schema/);
  });

  it('passes warm for a warm rule that matches and none for one that does not', () => {
    const text = "warm role:code-runner\n  when /\\b(?:let me|I'll) run (?:some )?code\\b/i\n  test \"Let me run some code to check.\" => warm\n  test \"The code is wrong.\" => none\n  test \"Nothing here.\" => warm";
    assert.deepEqual(run(text), [
      { rule: 'warm role:code-runner', passed: true, actual: 'warm' },
      { rule: 'warm role:code-runner', passed: true, actual: 'none' },
      { rule: 'warm role:code-runner', passed: false, actual: 'none' },
    ]);
  });

  it('fails warm on a tool rule, with a message, even when the pattern matches', () => {
    const file = parseRules('tool t\n  when /a/');
    const rule = file.rules[0];
    assert.ok(rule);
    rule.tests.push({ text: 'a', expected: 'warm', range: rule.range, textRange: rule.range });
    const [result] = runRuleTests(file);
    assert.equal(result?.passed, false);
    assert.match(result?.message ?? '', /warm rule/);
  });

  it('fails a match longer than the rule window, since the sniffer would miss it', () => {
    const [result] = run('tool t\n  when /start.*end/\n  window 10\n  test "start and then the end" => {}');
    assert.equal(result?.passed, false);
    assert.match(result?.message ?? '', /22 characters long, more than the rule's window of 10/);
  });

  it('skips a pattern that did not compile', () => {
    const file = parseRules('tool t\n  when /(a/\n  when /b/\n  test "a b" => {}');
    assert.deepEqual(runRuleTests(file).map((r) => r.passed), [true]);
  });

  it('formats expectations as none, warm or canonical JSON', () => {
    assert.equal(formatExpectation('none'), 'none');
    assert.equal(formatExpectation({ b: 1, a: [2] }), '{"a":[2],"b":1}');
  });
});
