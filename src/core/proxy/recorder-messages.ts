import type { ChatMessage } from '../chat/types.js';
import type { StreamEvent } from '../stream/events.js';
import type { LiveIntent } from './live-intents.js';
import type { RecordedSessionFile } from './resumable-session.js';
import type { ShadowOptions, ShadowTurn } from './shadow-speculation.js';

/**
 * What a proxied session does as it happens, for a view that follows it live: a turn begins,
 * its stream goes on, and (with shadow speculation) an intent is sniffed in its reasoning, with
 * the decision speculation would take: a prediction, made before the turn's calls are known.
 */
export type ProxyLiveEvent =
  | { type: 'turnStart'; turn: number; messages: ChatMessage[] }
  | { type: 'stream'; turn: number; event: StreamEvent }
  | { type: 'intent'; turn: number; event: LiveIntent };

/** What the recorder is set up with; plain data, so it crosses into a worker thread. */
export interface RecorderSetup {
  sessionsDir: string;
  /** The upstream URL, written (without credentials) into each session's header. */
  upstream: string;
  shadow?: ShadowOptions;
  foresightVersion?: string;
  maxConversations?: number;
  /** Report each session's turns and stream as they are recorded (`live` outputs), for a view that follows them. */
  live?: boolean;
  /**
   * Sessions this proxy run recorded before this recorder started (a restart after a crash),
   * newest last: a request that continues one of them is recorded in its file. Read back before
   * the first input is taken.
   */
  resume?: RecordedSessionFile[];
  /** For tests of the restart: the recording thread throws (uncaught) after taking this many inputs. */
  crashAfterInputs?: number;
}

/**
 * What the forwarding side tells the recorder about one request (`id`), in the order it
 * happened; `at` is the forwarding side's clock, so times are those of the wire.
 */
export type RecorderInput =
  | { type: 'request'; id: number; body: Uint8Array; at: number }
  | { type: 'begin'; id: number; status: number; contentType: string; at: number }
  | { type: 'bytes'; id: number; bytes: Uint8Array; at: number }
  | { type: 'end'; id: number; at: number }
  | { type: 'gone'; id: number; at: number }
  | { type: 'failed'; id: number; status: number; message: string; at: number }
  /**
   * A recorder before this one stopped while turn `turn` of the session in `file` was being
   * recorded: the turn gets an error record saying so. `startedAt`: the session's start on the
   * forwarding side's clock, for the record's time.
   */
  | { type: 'incomplete'; file: string; turn: number; startedAt: number; at: number; message: string }
  /** Answered with `settled` once everything before it is written, shadow outcomes included. */
  | { type: 'settle'; seq: number }
  /** Flushes and closes every session; answered with `settled`. */
  | { type: 'close'; seq: number };

/** What the recorder tells the forwarding side. */
export type RecorderOutput =
  | { type: 'log'; line: string }
  | { type: 'shadow'; turn: ShadowTurn; file: string }
  /** A session file was begun, got a turn's answer, or was closed: for views that list sessions. */
  | { type: 'session'; file: string; change: 'opened' | 'turn' | 'closed' }
  /** Request `id` is recorded as turn `turn` of the session in `file` (begun at `startedAt`, forwarding clock). */
  | { type: 'turn'; id: number; file: string; turn: number; startedAt: number }
  /** What sessions did since the last such output, per session file (with `live` only). */
  | { type: 'live'; file: string; events: ProxyLiveEvent[] }
  | { type: 'settled'; seq: number };

/**
 * An input as it crosses into the worker thread inside a batch: a request's body as a range
 * of the batch's bytes, or a number n for the next n answer chunks, which are described by
 * four numbers each in the batch's index (id, at, start, length).
 */
export type WireItem =
  | Exclude<RecorderInput, { type: 'bytes' } | { type: 'request' }>
  | { type: 'request'; id: number; at: number; start: number; length: number }
  | number;

/**
 * What crosses into the worker thread: everything handed over in one turn of the forwarding
 * thread's event loop, its bytes copied once into one buffer (moved, not cloned).
 */
export type RecorderWire = { type: 'batch'; items: WireItem[]; index: Float64Array; bytes: ArrayBuffer } | { type: 'settle' | 'close'; seq: number };

/** The inputs of a batch in order, their bytes views on the batch's buffer (no copy). */
export function* inputsOfBatch(wire: Extract<RecorderWire, { type: 'batch' }>): Generator<RecorderInput> {
  let next = 0;
  for (const item of wire.items) {
    if (typeof item === 'number') {
      for (let n = 0; n < item; n++, next += 4) {
        const i = wire.index;
        yield { type: 'bytes', id: i[next]!, at: i[next + 1]!, bytes: new Uint8Array(wire.bytes, i[next + 2]!, i[next + 3]!) };
      }
    } else if (item.type === 'request') {
      yield { type: 'request', id: item.id, at: item.at, body: new Uint8Array(wire.bytes, item.start, item.length) };
    } else {
      yield item;
    }
  }
}
