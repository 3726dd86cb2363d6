import assert from 'node:assert/strict';
import { test } from 'node:test';
import { figuresTitle } from '../../../src/server/analysis/figures-text.js';

const base = { ruleId: 'tool role:searcher', hits: 0, misfires: 1, warmHits: 0, leadCharsMedian: null, sessions: 4 };

test("a role rule's 0 hits names the calls the schema sniffer found of its tools, instead of a bare 0", () => {
  assert.equal(figuresTitle({ ...base, schemaFound: 3 }), "0 hits from this rule's patterns; 3 calls of its tools found by the schema sniffer · 1 misfire · no lead on 4 sessions");
  assert.equal(figuresTitle({ ...base, schemaFound: 1 }).split(' · ')[0], "0 hits from this rule's patterns; 1 call of its tools found by the schema sniffer");
});

test('a 0 with nothing found by the schema sniffer, or any hit, reads as plain counts', () => {
  assert.equal(figuresTitle({ ...base, schemaFound: 0 }), '0 hits · 1 misfire · no lead on 4 sessions');
  assert.equal(figuresTitle({ ...base, hits: 2, leadCharsMedian: 40.4 }), '2 hits · 1 misfire · lead 40 chars on 4 sessions');
});
