import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OUTCOME_WORDS, outcomeOfTrace, outcomeWord, servedOutcome } from '../../src/shared/outcome-words.js';
import type { TraceOutcome } from '../../src/shared/protocol.js';

describe('the outcome vocabulary', () => {
  it('gives every outcome its own word, plural and meaning', () => {
    const words = Object.values(OUTCOME_WORDS).map((w) => w.word);
    assert.equal(new Set(words).size, words.length, `two outcomes share a word: ${words.join(', ')}`);
    for (const w of Object.values(OUTCOME_WORDS)) assert.ok(w.plural.length > 0 && w.meaning.length > 10, w.word);
  });

  it('names a call served from an earlier turn a cross-turn hit, whether or not it waited', () => {
    assert.equal(outcomeWord(servedOutcome('hit', true)), 'cross-turn hit');
    assert.equal(outcomeWord(servedOutcome('partial', true)), 'cross-turn hit');
    assert.equal(outcomeWord(servedOutcome('partial', false)), 'partial hit');
  });

  it("has a word for every colour of the trace, a declined prediction for 'skipped'", () => {
    const all: TraceOutcome[] = ['hit', 'partial', 'miss', 'misfire', 'blocked', 'skipped', 'pending'];
    assert.deepEqual(all.map((o) => outcomeWord(outcomeOfTrace(o))), ['hit', 'partial hit', 'miss', 'misfire', 'blocked', 'declined', 'running']);
  });
});
