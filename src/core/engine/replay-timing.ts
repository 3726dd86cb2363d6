import { DEFAULT_LATENCY_MS } from '../speculation/latency-stats.js';

/**
 * How a replay turns a recording into time: sessions recorded with timing keep their chunk
 * times; imported ones are paced at `tokensPerSecond`. A tool run takes the duration the
 * session recorded for that call, else `toolLatencyMs`. The one place these defaults live.
 */
export interface ReplayTiming {
  tokensPerSecond: number;
  toolLatencyMs: number;
  /**
   * Word-sized tokens per paced piece. 1 streams word by word, as a server does; more makes a
   * long replay cheaper, at the price of positions (and leads) known only to a piece.
   */
  tokensPerPiece: number;
}

/** The pace of a reasoning model served at a modest rate, and the latency of an unmeasured tool. */
export const DEFAULT_REPLAY_TIMING: ReplayTiming = { tokensPerSecond: 40, toolLatencyMs: DEFAULT_LATENCY_MS, tokensPerPiece: 1 };

/**
 * Words per piece for replays nobody watches (`eval`, rule figures): a long trace costs an
 * eighth of the steps, and a lead is still known to within a few words (it is never overstated).
 */
export const BATCH_TOKENS_PER_PIECE = 8;

/** Timing with the given fields replaced; invalid numbers keep the default. */
export function replayTiming(options: Partial<ReplayTiming> = {}): ReplayTiming {
  const tps = options.tokensPerSecond;
  const ms = options.toolLatencyMs;
  const piece = options.tokensPerPiece;
  return {
    tokensPerSecond: tps !== undefined && Number.isFinite(tps) && tps > 0 ? tps : DEFAULT_REPLAY_TIMING.tokensPerSecond,
    toolLatencyMs: ms !== undefined && Number.isFinite(ms) && ms >= 0 ? ms : DEFAULT_REPLAY_TIMING.toolLatencyMs,
    tokensPerPiece: piece !== undefined && Number.isInteger(piece) && piece >= 1 ? piece : DEFAULT_REPLAY_TIMING.tokensPerPiece,
  };
}

/**
 * Characters one model token covers on average. The one pace model: the replay endpoint paces a
 * live demo stream with it and a replay paces an imported session with it, so at the same rate
 * both put every word (and so every lead) at the same time.
 */
export const CHARS_PER_TOKEN = 4;

/** Tokens a stretch of streamed text (reasoning or answer) stands for; fractional. */
export function textTokens(chars: number): number {
  return chars / CHARS_PER_TOKEN;
}

/** Tokens a stretch of a call's arguments stands for; whole tokens, so slices a multiple of CHARS_PER_TOKEN long add up to the whole. */
export function argumentTokens(chars: number): number {
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

/** Tokens a call's start (its id and name) stands for. */
export const CALL_START_TOKENS = 1;
