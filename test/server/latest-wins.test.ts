import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LatestWins } from '../../src/server/latest-wins.js';

/** A job whose runs the test finishes by hand, recording the state each run saw. */
function manualJob(state: { version: number }) {
  const seen: number[] = [];
  const finishers: (() => void)[] = [];
  const job = async () => {
    seen.push(state.version);
    await new Promise<void>((resolve) => finishers.push(resolve));
  };
  return { seen, job, finishNext: () => finishers.shift()?.() };
}

test('requests made while a job runs collapse into one rerun that sees the latest state', async () => {
  const state = { version: 1 };
  const starts: (() => void)[] = [];
  const { seen, job, finishNext } = manualJob(state);
  const queue = new LatestWins<string>(job, (start) => starts.push(start));
  queue.request('a');
  starts.shift()?.();
  for (state.version = 2; state.version <= 100; state.version++) queue.request('a');
  state.version = 100;
  assert.deepEqual(seen, [1]);
  finishNext();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(seen, [1, 100]);
  finishNext();
  await new Promise((r) => setImmediate(r));
  assert.equal(queue.busy('a'), false);
  assert.deepEqual(starts, [], 'a rerun must not wait for a second start');
});

test('each key has its own job in flight, and a failing job does not leave its key stuck', async () => {
  const calls: string[] = [];
  const queue = new LatestWins<string>(async (key) => {
    calls.push(key);
    if (key === 'bad') throw new Error('boom');
  }, (start) => start());
  queue.request('bad');
  queue.request('good');
  await new Promise((r) => setImmediate(r));
  assert.equal(queue.busy('bad'), false);
  queue.request('bad');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(calls, ['bad', 'good', 'bad']);
});
