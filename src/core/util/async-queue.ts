/**
 * An unbounded queue that producers push into and one consumer drains with `for await`.
 * Ends when `end()` is called and the queue is empty; `fail(err)` makes the consumer throw.
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | undefined;
  private rejectWaiting: ((err: unknown) => void) | undefined;
  private ended = false;
  private failure: { err: unknown } | undefined;

  push(item: T): void {
    if (this.ended) return;
    const resolve = this.waiting;
    if (resolve) {
      this.waiting = undefined;
      this.rejectWaiting = undefined;
      resolve({ value: item, done: false });
    } else {
      this.items.push(item);
    }
  }

  end(): void {
    this.ended = true;
    const resolve = this.waiting;
    if (resolve && this.items.length === 0) {
      this.waiting = undefined;
      this.rejectWaiting = undefined;
      resolve({ value: undefined, done: true });
    }
  }

  fail(err: unknown): void {
    this.failure = { err };
    this.ended = true;
    const reject = this.rejectWaiting;
    if (reject) {
      this.waiting = undefined;
      this.rejectWaiting = undefined;
      reject(err);
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        const item = this.items.shift();
        if (item !== undefined) return Promise.resolve({ value: item, done: false });
        if (this.failure) return Promise.reject(this.failure.err);
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise<IteratorResult<T>>((resolve, reject) => {
          this.waiting = resolve;
          this.rejectWaiting = reject;
        });
      },
    };
  }
}
