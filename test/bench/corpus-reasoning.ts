import { paceAtRate, piecesOfTurn } from '../../src/core/endpoint/replay-pieces.js';
import type { ToolSpec } from '../../src/core/chat/types.js';
import type { Session } from '../../src/core/session/format.js';

/** One turn's reasoning as the stream delivers it: word-sized chunks, with the turn's tools. */
export interface ReasoningStream {
  tools: ToolSpec[];
  chunks: string[];
}

/** The reasoning of every turn of the sessions, cut as a 40 tokens/s stream would cut it. */
export function reasoningStreams(sessions: readonly Session[]): ReasoningStream[] {
  return sessions.flatMap((s) =>
    s.turns.map((t) => ({
      tools: s.header.tools,
      chunks: paceAtRate(piecesOfTurn(t.chunks), 40).flatMap((p) => (p.kind === 'reasoning' ? [p.text] : [])),
    })),
  );
}
