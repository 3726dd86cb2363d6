import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventBatcher, type BatchTimer } from '../../../src/core/trace/event-batcher.js';

/** A manual clock: timers fire only when the test advances time. */
class FakeTimer implements BatchTimer {
  time = 0;
  private timers: { at: number; callback: () => void; id: number }[] = [];
  private nextId = 0;
  now(): number {
    return this.time;
  }
  set(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, callback, id });
    return id;
  }
  clear(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.time = next.at;
      next.callback();
    }
    this.time = end;
  }
}

describe('EventBatcher', () => {
  it('sends at most 60 batches in any second however fast items arrive, and drops none', () => {
    const timer = new FakeTimer();
    const sent: { at: number; items: number[] }[] = [];
    const batcher = new EventBatcher<number>((items) => sent.push({ at: timer.time, items }), 60, timer);
    let n = 0;
    for (let ms = 0; ms < 3000; ms++) {
      batcher.push([n++, n++]);
      timer.advance(1);
    }
    timer.advance(100);
    for (const s of sent) assert.ok(sent.filter((o) => o.at >= s.at && o.at < s.at + 1000).length <= 60);
    assert.deepEqual(sent.flatMap((s) => s.items), Array.from({ length: n }, (_, i) => i));
  });

  it('sends a lone item at once when the last batch was long ago', () => {
    const timer = new FakeTimer();
    const sent: number[][] = [];
    const batcher = new EventBatcher<number>((items) => sent.push(items), 60, timer);
    batcher.push([1]);
    timer.advance(0);
    assert.deepEqual(sent, [[1]]);
  });

  it('answers a poke with an empty batch, and drop forgets pending items', () => {
    const timer = new FakeTimer();
    const sent: number[][] = [];
    const batcher = new EventBatcher<number>((items) => sent.push(items), 60, timer);
    batcher.poke();
    timer.advance(0);
    batcher.push([5]);
    batcher.drop();
    timer.advance(100);
    assert.deepEqual(sent, [[]]);
  });

  it('holds an early flush back until the interval has passed', () => {
    const timer = new FakeTimer();
    const sent: { at: number; items: number[] }[] = [];
    const batcher = new EventBatcher<number>((items) => sent.push({ at: timer.time, items }), 10, timer);
    batcher.push([1]);
    timer.advance(0);
    batcher.push([2]);
    batcher.flush();
    assert.equal(sent.length, 1);
    timer.advance(101);
    assert.equal(sent.length, 2);
    assert.ok(sent[1]!.at >= 100 && sent[1]!.at < 101, `second batch at ${sent[1]!.at}`);
  });
});

describe('EventBatcher with a whole trace at once', () => {
  it('takes 300k items in one push, as when a reloaded panel asks for a long trace again', () => {
    const timer = new FakeTimer();
    const sent: number[][] = [];
    const batcher = new EventBatcher<number>((items) => sent.push(items), 60, timer);
    batcher.push(Array.from({ length: 300_000 }, (_, i) => i));
    timer.advance(2000);
    assert.equal(sent.flat().length, 300_000);
    assert.ok(sent.every((b) => b.length <= 5000), 'a batch larger than 5000 items');
    assert.deepEqual(sent.flat().slice(-2), [299_998, 299_999]);
  });
});
