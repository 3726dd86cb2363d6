import { replayTurnEvents, type TimedStreamEvent } from '../engine/replay-events.js';
import { BATCH_TOKENS_PER_PIECE, replayTiming, type ReplayTiming } from '../engine/replay-timing.js';
import type { Session } from '../session/format.js';

/** A session parsed once and kept for re-sniffing: the session and each turn's stream events. */
export interface SessionDigest {
  name: string;
  session: Session;
  /** Per turn, the stream events the live chat would have seen, with their times. */
  turns: TimedStreamEvent[][];
  timing: ReplayTiming;
}

/**
 * Parses a recorded session's turns into stream events once (through the live stream parser,
 * paced as `replaySession` paces them), so re-running rules over it after each edit costs only
 * the engine's pass. Pure; the result never changes for the same session.
 */
export function digestSession(session: Session, timing: ReplayTiming = replayTiming({ tokensPerPiece: BATCH_TOKENS_PER_PIECE })): SessionDigest {
  const paced = session.header.timing !== 'recorded';
  return {
    name: session.header.title ?? session.header.id,
    session,
    turns: session.turns.map((turn) => [...replayTurnEvents(turn, paced, timing)]),
    timing,
  };
}
