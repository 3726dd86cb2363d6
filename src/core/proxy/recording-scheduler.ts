/** A piece of recording work: does one small unit and says whether it has more. */
export type RecordingStep = () => boolean;

/**
 * Runs the recording's work in the gaps of the forwarding: a few steps at a time (at most
 * `budgetMs` per turn of the event loop), taking each queued step in turn, so parsing and
 * writing the copy of one stream never holds up a chunk of another on its way to its client.
 * When recording falls behind, work waits in memory; forwarding is never slowed to wait for it.
 */
export class RecordingScheduler {
  private queue: RecordingStep[] = [];
  private head = 0;
  private scheduled = false;

  constructor(
    private readonly budgetMs = 0.2,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Queues `step`; it is called again, in turn with the others, for as long as it returns true. */
  add(step: RecordingStep): void {
    this.queue.push(step);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // setImmediate runs after the pending I/O callbacks: the forwarding goes first.
    setImmediate(() => this.drain());
  }

  private drain(): void {
    this.scheduled = false;
    const start = this.now();
    while (this.head < this.queue.length) {
      const step = this.queue[this.head++]!;
      if (step()) this.queue.push(step);
      if (this.now() - start >= this.budgetMs) break;
    }
    if (this.head >= this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1024) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    if (this.queue.length > this.head) this.schedule();
  }
}
