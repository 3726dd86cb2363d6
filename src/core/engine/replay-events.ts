import type { SessionTurn } from '../session/format.js';
import { ChunkParser } from '../stream/chunk-parser.js';
import type { StreamEvent } from '../stream/events.js';
import { argumentTokens, CALL_START_TOKENS, CHARS_PER_TOKEN, textTokens, type ReplayTiming } from './replay-timing.js';

/** A stream event of a replayed turn and when it arrives, in ms from the turn's request. */
export interface TimedStreamEvent {
  t: number;
  event: StreamEvent;
}

/**
 * A recorded turn as the stream events the live chat would have seen: its raw chunks go
 * through the same `ChunkParser` (think tags, reasoning fields, tool-call assembly, raw
 * tool-call syntaxes). A turn recorded with timing keeps its chunk times (`paced` false);
 * an imported one is cut into word-sized pieces paced at `timing.tokensPerSecond`. Lazy: a
 * reasoning of any length costs memory for one chunk at a time.
 */
export function* replayTurnEvents(turn: SessionTurn, paced: boolean, timing: ReplayTiming): Generator<TimedStreamEvent> {
  const parser = new ChunkParser();
  const msPerToken = 1000 / timing.tokensPerSecond;
  let tokens = 0;
  let last = 0;
  for (const { t: recordedT, chunk } of turn.chunks) {
    const events = parser.push(chunk);
    if (!paced) {
      last = recordedT;
      for (const event of events) yield { t: recordedT, event };
      continue;
    }
    for (const event of events) {
      if (event.type === 'reasoning' || event.type === 'content') {
        for (const piece of pieces(event.text, timing.tokensPerPiece)) {
          yield { t: tokens * msPerToken, event: { type: event.type, text: piece.text } };
          tokens += piece.tokens;
        }
        continue;
      }
      yield { t: tokens * msPerToken, event };
      if (event.type === 'toolCallStarted') tokens += CALL_START_TOKENS;
      else if (event.type === 'toolCallDelta') tokens += argumentTokens(event.argumentsDelta.length);
    }
    last = tokens * msPerToken;
  }
  // A recording cut short replays as the live stream ended: with the same error.
  for (const event of parser.end()) yield { t: last, event };
}

/**
 * Pieces of `text` ending before whitespace, each with its leading whitespace; concatenated
 * they give back `text`. One word each for `perPiece` 1, else at least `perPiece` tokens'
 * worth of characters. Each counts its characters / CHARS_PER_TOKEN tokens, so the pace does
 * not depend on the piece size.
 */
function* pieces(text: string, perPiece: number): Generator<{ text: string; tokens: number }> {
  const length = text.length;
  const minChars = perPiece === 1 ? 1 : perPiece * CHARS_PER_TOKEN;
  const space = /\s/g;
  const word = /\s*\S+/y;
  let start = 0;
  while (start < length) {
    let end: number;
    if (perPiece === 1) {
      word.lastIndex = start;
      end = word.test(text) ? word.lastIndex : length;
    } else {
      // A native search for the next whitespace: scanning word by word costs more than the sniffing it feeds.
      space.lastIndex = Math.min(length, start + minChars);
      const m = space.exec(text);
      end = m ? m.index : length;
    }
    yield { text: text.slice(start, end), tokens: textTokens(end - start) };
    start = end;
  }
}
