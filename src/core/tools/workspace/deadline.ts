/** A caller's signal joined with a time limit; `timedOut` tells the two apart after an abort. */
export interface Deadline {
  signal: AbortSignal;
  timedOut(): boolean;
  /** Clears the timer; call when the work is over. */
  dispose(): void;
}

/**
 * Joins `signal` with a timer of `ms`. The caller's abort propagates as is (an AbortError the
 * caller expects); a timeout is told apart so the tool can return it as a result instead.
 */
export function withDeadline(signal: AbortSignal, ms: number): Deadline {
  const controller = new AbortController();
  let expired = false;
  const onAbort = () => controller.abort(signal.reason);
  if (signal.aborted) controller.abort(signal.reason);
  else signal.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new DOMException(`timed out after ${ms} ms`, 'TimeoutError'));
  }, ms);
  return {
    signal: controller.signal,
    timedOut: () => expired && !signal.aborted,
    dispose: () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    },
  };
}

/**
 * Runs `work` under a deadline: the caller's abort rejects as usual, a timeout becomes the
 * result `onTimeout` makes.
 */
export async function underDeadline<T>(signal: AbortSignal, ms: number, work: (signal: AbortSignal) => Promise<T>, onTimeout: () => T): Promise<T> {
  signal.throwIfAborted();
  const deadline = withDeadline(signal, ms);
  // Raced against the abort, so work that ignores its signal (an editor that never answers) cannot hold the call past its deadline.
  let stop: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    stop = () => reject(deadline.signal.reason);
    deadline.signal.addEventListener('abort', stop, { once: true });
  });
  // The race takes the rejection; one that comes once the race is over is no one's error.
  aborted.catch(() => undefined);
  try {
    return await Promise.race([work(deadline.signal), aborted]);
  } catch (err) {
    if (deadline.timedOut()) return onTimeout();
    throw err;
  } finally {
    deadline.signal.removeEventListener('abort', stop!);
    deadline.dispose();
  }
}
