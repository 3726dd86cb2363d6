/**
 * Time for replays: `now()` moves only when the replay says so, and `sleep` resolves when the
 * clock passes its deadline. A replayed turn then takes its recorded (or stated) time without
 * waiting for it, and every run of it gives the same timeline.
 */
export class VirtualClock {
  private t: number;
  private readonly timers: { at: number; seq: number; resolve: () => void }[] = [];
  private seq = 0;

  constructor(start = 0) {
    this.t = start;
  }

  readonly now = (): number => this.t;

  /** Resolves once the clock reaches `now() + ms`; rejects when `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortError());
    return new Promise((resolve, reject) => {
      const timer = { at: this.t + Math.max(0, ms), seq: this.seq++, resolve: () => resolve() };
      const onAbort = () => {
        const i = this.timers.indexOf(timer);
        if (i >= 0) this.timers.splice(i, 1);
        reject(abortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      timer.resolve = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.insert(timer);
    });
  }

  /** Moves the clock to `t` when no sleep is waiting (never back); see `advanceTo` otherwise. */
  setAtLeast(t: number): void {
    if (this.timers.length > 0) throw new Error('VirtualClock.setAtLeast with sleeps pending; use advanceTo');
    this.t = Math.max(this.t, t);
  }

  /** Whether any sleep is still waiting. */
  get pending(): boolean {
    return this.timers.length > 0;
  }

  /**
   * Moves the clock to `t` (never back), waking each sleep on the way at its own deadline and
   * letting what it started settle before the next one, so callbacks see the time they ran at.
   */
  async advanceTo(t: number): Promise<void> {
    while (this.timers.length > 0 && this.timers[0]!.at <= t) {
      const timer = this.timers.shift()!;
      this.t = Math.max(this.t, timer.at);
      timer.resolve();
      await settle();
    }
    this.t = Math.max(this.t, t);
  }

  /** Runs the clock forward until `done` settles or nothing is left to wake; returns `done`'s value. */
  async runUntil<T>(done: Promise<T>): Promise<T> {
    let settled = false;
    const watched = done.finally(() => {
      settled = true;
    });
    await settle();
    while (!settled && this.timers.length > 0) {
      await this.advanceTo(this.timers[0]!.at);
    }
    return watched;
  }

  private insert(timer: { at: number; seq: number; resolve: () => void }): void {
    let i = this.timers.length;
    while (i > 0 && this.timers[i - 1]!.at > timer.at) i--;
    this.timers.splice(i, 0, timer);
  }
}

/** Lets every promise chain started so far run to its end (they may take several ticks). */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function abortError(): Error {
  const err = new Error('aborted');
  err.name = 'AbortError';
  return err;
}
