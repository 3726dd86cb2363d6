import { DEFAULT_LATENCY_MS } from '../speculation/latency-stats.js';

/**
 * How a replay turns a recording into time: sessions recorded with timing keep their chunk
 * times; imported ones are paced at `tokensPerSecond`. A tool run takes the duration the
 * session recorded for that call, else `toolLatencyMs`. The one place these defaults live.
 */
export interface ReplayTiming {
  tokensPerSecond: number;
  toolLatencyMs: number;
}

/** The pace of a reasoning model served at a modest rate, and the latency of an unmeasured tool. */
export const DEFAULT_REPLAY_TIMING: ReplayTiming = { tokensPerSecond: 40, toolLatencyMs: DEFAULT_LATENCY_MS };

/** Timing with the given fields replaced; invalid numbers keep the default. */
export function replayTiming(options: Partial<ReplayTiming> = {}): ReplayTiming {
  const tps = options.tokensPerSecond;
  const ms = options.toolLatencyMs;
  return {
    tokensPerSecond: tps !== undefined && Number.isFinite(tps) && tps > 0 ? tps : DEFAULT_REPLAY_TIMING.tokensPerSecond,
    toolLatencyMs: ms !== undefined && Number.isFinite(ms) && ms >= 0 ? ms : DEFAULT_REPLAY_TIMING.toolLatencyMs,
  };
}
