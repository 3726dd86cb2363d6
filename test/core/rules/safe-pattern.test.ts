import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { usableRules } from '../../../src/core/rules/rule-ast.js';
import { parseRules } from '../../../src/core/rules/rule-parser.js';
import { runRuleTests } from '../../../src/core/rules/rule-tests.js';
import { compileSafely, needsRedosCheck, patternSafety, quickSafety } from '../../../src/core/rules/safe-pattern.js';

const ADVERSARIAL = `${'a'.repeat(5_000)}!`;

describe('patternSafety', () => {
  it('runs a pattern of ordinary shape on the usual engine', () => {
    const safety = quickSafety('weather in (?<city>[A-Z][a-z]+)', 'i');
    assert.equal(safety.kind, 'backtracking');
    assert.equal(compileSafely('weather in (?<city>[A-Z][a-z]+)', 'i', safety)?.flags, 'i');
  });

  it('runs a nested repetition on the linear-time engine, i flag included, so adversarial text cannot hang it', () => {
    for (const flags of ['', 'i', 'is']) {
      const safety = quickSafety('(?<run>a+)+$', flags);
      assert.equal(safety.kind, 'linear', flags);
      const regex = compileSafely('(?<run>a+)+$', flags, safety, 'g');
      assert.ok(regex !== undefined && regex.flags.includes('l'), flags);
      assert.equal(regex.test(ADVERSARIAL), false);
      regex.lastIndex = 0;
      assert.equal(regex.exec('xAAa')?.groups?.['run'], flags.includes('i') ? 'AAa' : 'a');
    }
    assert.equal(needsRedosCheck('(?<run>a+)+$', 'i'), false);
  });

  it('rejects a nested repetition the linear-time engine cannot take when the checker finds it exponential or cannot clear it', () => {
    for (const [source, flags] of [['(?<run>a+)+$', 'u'], ['^(?:a|aa)+$', 'm'], ['(?=a)(?:a+)+$', ''], ['(?:a+?)+(?<!b)$', 'u']] as const) {
      assert.equal(needsRedosCheck(source, flags), true, `/${source}/${flags}`);
      const safety = patternSafety(source, flags);
      assert.equal(safety.kind, 'unsafe', `/${source}/${flags}`);
      assert.equal(compileSafely(source, flags, safety), undefined);
    }
  });

  it('keeps a safe lazy pattern on the usual engine, matching as written', () => {
    const source = 'lab results for .*?\\(ID: (?<id>P\\d+)\\)';
    const safety = patternSafety(source, 'i');
    assert.equal(safety.kind, 'backtracking');
    assert.equal(compileSafely(source, 'i', safety)?.exec('Lab results for Ann (ID: P12) and (ID: P13)')?.groups?.['id'], 'P12');
  });

  it('reports an invalid pattern with the engine’s reason', () => {
    const safety = quickSafety('(a', '');
    assert.equal(safety.kind, 'invalid');
  });
});

describe('parsing rules with risky patterns', () => {
  const FILE = [
    'tool track_parcel',
    '  when /(?<code>a+)+$/u',
    `  test "${'a'.repeat(40)}!" => none`,
    '',
    'tool lookup_order',
    '  when /order (?<order_id>\\d+)/',
    '  when /(?:order|parcel)(?: \\w+)* (?<order_id>\\d+)/i',
    '  test "Order number 77" => { "order_id": "77" }',
  ].join('\n');

  it('reports a catastrophic pattern as an error naming the rule, and leaves the rule out of the usable ones', () => {
    const file = parseRules(FILE);
    assert.deepEqual(file.problems.map((p) => [p.code, p.severity, p.range.start.line, p.range.start.character]), [['catastrophic-pattern', 'error', 1, 7]]);
    assert.match(file.problems[0]!.message, /^The rule "tool track_parcel" is not used: this pattern (?:can backtrack catastrophically|repeats a part that itself repeats or branches)/);
    assert.match(file.problems[0]!.message, /drop the u flag/);
    assert.equal(file.rules[0]!.patterns[0]!.regex, undefined);
    assert.deepEqual(usableRules(file.rules).map((r) => r.id), ['tool lookup_order']);
  });

  it('still runs the other rules’ tests, and none of the rejected rule’s', () => {
    const results = runRuleTests(parseRules(FILE));
    assert.deepEqual(results.map((r) => [r.rule.id, r.passed]), [['tool lookup_order', true]]);
  });

  it('leaves the ReDoS check to the caller when asked, marking the pattern unchecked', () => {
    const file = parseRules(FILE, { deferRedosCheck: true });
    assert.deepEqual(file.problems, []);
    assert.equal(file.rules[0]!.patterns[0]!.risk, 'unchecked');
    assert.equal(file.rules[1]!.patterns[1]!.risk, undefined);
  });
});
