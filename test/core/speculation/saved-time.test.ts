import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { earlyRunServe } from '../../../src/core/speculation/saved-time.js';

describe('earlyRunServe', () => {
  it('saves the whole run when it ended before the seal, and the call waits for nothing', () => {
    assert.deepEqual(earlyRunServe({ startedAt: 1000, endedAt: 1874, sealedAt: 2500 }), { outcome: 'hit', toolMs: 874, waitedMs: 0, savedMs: 874 });
  });

  it('saves the lead when the run was still going at the seal, and the call waits for the rest', () => {
    assert.deepEqual(earlyRunServe({ startedAt: 1000, endedAt: 2800, sealedAt: 1200 }), { outcome: 'partial', toolMs: 1800, waitedMs: 1600, savedMs: 200 });
  });

  it('counts a run that ends at the seal as a hit that saved all of it', () => {
    assert.deepEqual(earlyRunServe({ startedAt: 0, endedAt: 500, sealedAt: 500 }), { outcome: 'hit', toolMs: 500, waitedMs: 0, savedMs: 500 });
  });
});
