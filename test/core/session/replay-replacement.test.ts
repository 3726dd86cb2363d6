import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { replayReplacement } from '../../../src/core/session/replay-replacement.js';

const orders = { sessionId: 'a1', file: '/s/orders.jsonl' };
const tickets = { sessionId: 'b2', file: '/s/tickets.jsonl' };

describe('replayReplacement', () => {
  it('opens the replay when the trace panel holds none', () => {
    assert.equal(replayReplacement(undefined, orders), 'open');
  });

  it('only shows the panel again for the session already replayed, keeping its place', () => {
    assert.equal(replayReplacement({ ...orders, playing: true, position: 40 }, orders), 'reveal');
  });

  it('asks before replacing another session’s replay, playing or paused, started or not', () => {
    assert.equal(replayReplacement({ ...orders, playing: true, position: 40 }, tickets), 'ask');
    assert.equal(replayReplacement({ ...orders, playing: false, position: 0 }, tickets), 'ask');
  });

  it('tells apart two sessions of one corpus file', () => {
    assert.equal(replayReplacement({ ...orders, playing: false, position: 3 }, { sessionId: 'c3', file: orders.file }), 'ask');
  });
});
