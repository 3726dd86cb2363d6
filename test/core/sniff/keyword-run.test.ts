import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readKeywordRuns } from '../../../src/core/sniff/keyword-run.js';

const runs = (text: string) => readKeywordRuns(text).map((r) => r.args);

describe('readKeywordRuns', () => {
  it('reads a run of pairs in prose, up to the full stop', () => {
    assert.deepEqual(runs('Next try the probe with m=2.5, r=4 and label="north".'), [{ m: 2.5, r: 4, label: 'north' }]);
    assert.deepEqual(runs('Set dt=0.01; steps=200.'), [{ dt: 0.01, steps: 200 }]);
  });

  it('keeps separate statements apart and reads numbers written as 2.0 as numbers', () => {
    assert.deepEqual(runs('Case A: w=2.0, h=3 gives 6; case B: w=1, h=1 gives 1.'), [{ w: 2, h: 3 }, { w: 1, h: 1 }]);
  });

  it('reads no formulas, comparisons or arrows as pairs', () => {
    assert.deepEqual(runs('So F = G * m1 * m2 / r^2 and a == b.'), []);
    assert.deepEqual(runs('From x + y = 3 we learn nothing.'), []);
    // What follows an arrow is a result, not an argument.
    assert.deepEqual(runs('w=2 => area=6'), [{ w: 2 }]);
    assert.deepEqual(runs('The city = Oslo, I think.'), []);
  });
});
