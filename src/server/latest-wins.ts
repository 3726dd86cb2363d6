/**
 * Runs at most one job per key at a time. A request made while that key's job runs does not
 * queue a second job: it marks the key, and the job runs once more when it ends, on whatever
 * the state is then. So a burst of edits costs one run in flight plus one rerun for the latest
 * version, never one run per edit; the versions in between are dropped unseen.
 */
export class LatestWins<K> {
  private readonly running = new Set<K>();
  private readonly again = new Set<K>();

  /** `defer` starts a first run; by default after the messages already read are handled, so a burst is seen whole. */
  constructor(
    private readonly job: (key: K) => Promise<void>,
    private readonly defer: (start: () => void) => void = (start) => void setImmediate(start),
  ) {}

  request(key: K): void {
    if (this.running.has(key)) {
      this.again.add(key);
      return;
    }
    this.running.add(key);
    this.defer(() => void this.drive(key));
  }

  /** Whether a job of `key` is running or about to. */
  busy(key: K): boolean {
    return this.running.has(key);
  }

  private async drive(key: K): Promise<void> {
    try {
      do {
        this.again.delete(key);
        // A failing job must not leave the key marked as running for ever; the job reports its own errors.
        await this.job(key).catch(() => undefined);
      } while (this.again.has(key));
    } finally {
      this.running.delete(key);
    }
  }
}
