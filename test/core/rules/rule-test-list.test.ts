import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listRuleTests } from '../../../src/core/rules/rule-test-list.js';

const RULES = [
  'tool track_parcel', //                                              0
  '  when /parcel (?<parcel_id>[A-Z]\\d+)/', //                        1
  '  test "where is parcel Z42" => { "parcel_id": "Z42" }', //         2
  '', //                                                               3
  'tool no_tests_here', //                                             4
  '  when /nothing/', //                                               5
  '', //                                                               6
  'test track_parcel', //                                              7
  '  "parcel Q7 is late" => { "parcel_id": "Q7" }', //                 8
  '  "no parcel today" => none', //                                    9
].join('\n');

describe('listRuleTests', () => {
  it('lists each rule with tests, its own lines and its test block cases in file order', () => {
    const listed = listRuleTests(RULES);
    assert.deepEqual(listed.map((r) => r.ruleId), ['tool track_parcel']);
    assert.deepEqual(listed[0]?.tests.map((t) => [t.id, t.line]), [['tool track_parcel#1', 2], ['tool track_parcel#2', 8], ['tool track_parcel#3', 9]]);
    assert.equal(listed[0]?.tests[2]?.label, '"no parcel today" => none');
    assert.equal(listed[0]?.tests[0]?.label, '"where is parcel Z42" => {"parcel_id":"Z42"}');
  });

  it('keeps test ids when lines are added above', () => {
    const before = listRuleTests(RULES)[0]?.tests.map((t) => t.id);
    const after = listRuleTests(`# carrier rules\n\n${RULES}`)[0]?.tests.map((t) => t.id);
    assert.deepEqual(after, before);
  });

  it('never runs a pattern, so a catastrophic one is listed like any other', () => {
    const listed = listRuleTests(`tool track_parcel\n  when /(?<parcel_id>a+)+$/u\n  test "${'a'.repeat(40)}!" => none\n`);
    assert.equal(listed[0]?.tests.length, 1);
  });
});
