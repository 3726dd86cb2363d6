/** When an early run started and ended and when the formal call it served was sealed, on one clock (ms). */
export interface EarlyRunTimes {
  startedAt: number;
  endedAt: number;
  sealedAt: number;
}

/** What an early run gave the formal call it served. */
export interface EarlyRunServe {
  /** `hit`: the result was ready at the seal; `partial`: the call waited for the rest of the run. */
  outcome: 'hit' | 'partial';
  /** The tool's own run time: what the call would have waited without speculation. */
  toolMs: number;
  /** From the seal to the result (Time-to-Action with speculation). */
  waitedMs: number;
  /** The wait removed: toolMs - waitedMs, which is min(toolMs, sealedAt - startedAt), never negative. */
  savedMs: number;
}

/**
 * The one definition of time saved by serving a formal call from an early run. Live chats,
 * replays, re-sniffs, the trace and the recording all take their figure from here, on the
 * clock the run was timed with, and from the tool's own run time (never the wait after the
 * claim), so the same conversation reports the same saving everywhere.
 */
export function earlyRunServe(times: EarlyRunTimes): EarlyRunServe {
  const toolMs = Math.max(0, times.endedAt - times.startedAt);
  const waitedMs = Math.max(0, times.endedAt - times.sealedAt);
  return { outcome: times.endedAt > times.sealedAt ? 'partial' : 'hit', toolMs, waitedMs, savedMs: Math.max(0, toolMs - waitedMs) };
}
