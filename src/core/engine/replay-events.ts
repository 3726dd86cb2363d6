import type { SessionTurn } from '../session/format.js';
import { ChunkParser } from '../stream/chunk-parser.js';
import type { StreamEvent } from '../stream/events.js';
import type { ReplayTiming } from './replay-timing.js';

/** A stream event of a replayed turn and when it arrives, in ms from the turn's request. */
export interface TimedStreamEvent {
  t: number;
  event: StreamEvent;
}

/** Characters one model token covers on average; paces tool-call arguments. */
const CHARS_PER_TOKEN = 4;

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
        for (const word of words(event.text)) {
          yield { t: tokens * msPerToken, event: { type: event.type, text: word } };
          tokens++;
        }
        continue;
      }
      yield { t: tokens * msPerToken, event };
      if (event.type === 'toolCallStarted') tokens++;
      else if (event.type === 'toolCallDelta') tokens += Math.ceil(event.argumentsDelta.length / CHARS_PER_TOKEN);
    }
    last = tokens * msPerToken;
  }
  // A recording cut short replays as the live stream ended: with the same error.
  for (const event of parser.end()) yield { t: last, event };
}

/** Word-sized pieces with their leading whitespace; concatenated they give back `text`. */
function* words(text: string): Generator<string> {
  const re = /\s*\S+|\s+/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) yield m[0];
}
