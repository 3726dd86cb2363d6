import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RecordingScheduler } from '../../../src/core/proxy/recording-scheduler.js';

describe('RecordingScheduler', () => {
  it('takes the queued steps in turn until each says it is done', async () => {
    const scheduler = new RecordingScheduler(1_000_000);
    const order: string[] = [];
    let finished: () => void = () => {};
    const done = new Promise<void>((resolve) => (finished = resolve));
    const steps = (name: string, n: number, last = false) => {
      let left = n;
      return () => {
        order.push(name);
        left--;
        if (left === 0 && last) finished();
        return left > 0;
      };
    };
    scheduler.add(steps('a', 3));
    scheduler.add(steps('b', 2, true));
    await done;
    assert.deepEqual(order, ['a', 'b', 'a', 'b', 'a']);
  });

  it('yields to the event loop once its budget is spent, and goes on afterwards', async () => {
    let clock = 0;
    const scheduler = new RecordingScheduler(2, () => clock);
    const ran: number[] = [];
    let left = 5;
    let finished: () => void = () => {};
    const done = new Promise<void>((resolve) => (finished = resolve));
    let between = 0;
    scheduler.add(() => {
      ran.push(between);
      clock += 1;
      left--;
      if (left === 0) finished();
      return left > 0;
    });
    // Counts the turns of the event loop that run between the scheduler's turns.
    const tick = () => {
      between++;
      if (left > 0) setImmediate(tick);
    };
    setImmediate(tick);
    await done;
    assert.equal(ran.length, 5);
    // Two steps per turn (2 ms of budget at 1 ms a step): the loop ran in between.
    assert.ok(ran[2]! > ran[0]!, JSON.stringify(ran));
  });
});
