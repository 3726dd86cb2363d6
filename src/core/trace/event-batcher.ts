import type { Disposable } from '../disposable.js';

/** A clock and a one-shot timer; injectable so batching can be tested without waiting. */
export interface BatchTimer {
  now(): number;
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimer: BatchTimer = {
  now: () => performance.now(),
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Collects items and hands them to `send` in batches, at most `perSecond` batches a second:
 * a batch is never sent sooner than 1000/perSecond ms after the previous one, `flush()`
 * included, and holds at most `maxItems`. Items keep their order and nothing is dropped;
 * `poke()` asks for a batch even with no items (the receiver gets an empty list, for state
 * sent alongside).
 */
export class EventBatcher<T> implements Disposable {
  private pending: T[] = [];
  private handle: unknown;
  private lastSent = -Infinity;
  private readonly interval: number;

  constructor(
    private readonly send: (items: T[]) => void,
    perSecond = 60,
    private readonly timer: BatchTimer = realTimer,
    /** Most items in one batch, so a long backlog (a whole trace sent again) reaches the receiver in frame-sized pieces. */
    private readonly maxItems = 5000,
  ) {
    // A hair over 1000/perSecond, so perSecond + 1 batches can never fit in one second, rounding included.
    this.interval = 1000 / perSecond + 0.05;
  }

  private poked = false;

  /** Queues `items` in order; takes an array, since a spread of a whole trace would overflow the call stack. */
  push(items: readonly T[]): void {
    if (items.length === 0) return;
    for (const item of items) this.pending.push(item);
    this.schedule();
  }

  /** Requests a batch soon, even an empty one. */
  poke(): void {
    this.poked = true;
    this.schedule();
  }

  private schedule(): void {
    if (this.handle !== undefined) return;
    const wait = this.lastSent + this.interval - this.timer.now();
    this.handle = this.timer.set(() => {
      this.handle = undefined;
      this.flush();
    }, Math.max(0, wait));
  }

  /** Sends everything pending now, unless that would exceed the rate; then it is sent when allowed. */
  flush(): void {
    if (this.pending.length === 0 && !this.poked) return;
    const now = this.timer.now();
    if (now < this.lastSent + this.interval) {
      if (this.handle === undefined) this.handle = this.timer.set(() => ((this.handle = undefined), this.flush()), this.lastSent + this.interval - now);
      return;
    }
    if (this.handle !== undefined) this.timer.clear(this.handle);
    this.handle = undefined;
    const items = this.pending.length > this.maxItems ? this.pending.splice(0, this.maxItems) : this.pending.splice(0);
    this.poked = false;
    this.lastSent = now;
    this.send(items);
    if (this.pending.length > 0) this.schedule();
  }

  /** Forgets what is pending without sending it. */
  drop(): void {
    if (this.handle !== undefined) this.timer.clear(this.handle);
    this.handle = undefined;
    this.pending = [];
    this.poked = false;
  }

  dispose(): void {
    this.drop();
  }
}
