import type { ShadowOptions, ShadowTurn } from './shadow-speculation.js';

/** What the recorder is set up with; plain data, so it crosses into a worker thread. */
export interface RecorderSetup {
  sessionsDir: string;
  /** The upstream URL, written (without credentials) into each session's header. */
  upstream: string;
  shadow?: ShadowOptions;
  foresightVersion?: string;
  maxConversations?: number;
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
  | { type: 'settled'; seq: number };

/** What crosses into the worker thread: inputs, several at a time. */
export type RecorderWire = RecorderInput | { type: 'batch'; inputs: RecorderInput[] };
