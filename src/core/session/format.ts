import type { ChatMessage, ToolSpec } from '../chat/types.js';
import type { RawChunk } from '../stream/raw-chunk.js';
import type { RecordedSpeculationEvent, RecordedTurnMetrics } from './speculation-records.js';

/**
 * The on-disk session format: JSON Lines, one record per line, the header first. Times `t`
 * are milliseconds since the session started. Written append-only; readers skip (and report)
 * a corrupted line and keep the rest.
 */
export const SESSION_FORMAT = 'foresight-session';
export const SESSION_FORMAT_VERSION = 1;

export interface SessionHeader {
  kind: 'header';
  format: typeof SESSION_FORMAT;
  version: number;
  id: string;
  /** ISO date the session started. */
  createdAt: string;
  model: string;
  /** Endpoint URL with any credentials removed. */
  endpoint: string;
  tools: ToolSpec[];
  /** Which tools are recorded stand-ins rather than real ones, by name. */
  recordedTools?: string[];
  /**
   * Tools that may change things, by name: they never ran early, and a replay's stand-ins for
   * them never run early either (a demo's stand-ins are otherwise read-only).
   */
  mutatingTools?: string[];
  rulesHash?: string;
  versions: { foresight: string; node?: string; vscode?: string };
  /** Where an imported session came from (file and line), for the user's orientation. */
  source?: { kind: 'responses-rollout' | 'chat-transcript' | 'recording'; file?: string; line?: number };
  /** A hand-written demonstration, not a model's output: shown so in the UI. */
  demo?: boolean;
  title?: string;
  /**
   * `recorded`: chunk times are real and replay can follow them. `none`: imported without
   * timing; chunks hold whole items and a replay splits and paces them at a stated rate.
   */
  timing?: 'recorded' | 'none';
}

/** A model call begins: the messages it was sent. The endpoint matches requests on these. */
export interface RequestRecord {
  kind: 'request';
  t: number;
  turn: number;
  messages: ChatMessage[];
}

/** One raw streamed chunk (`chat.completion.chunk` object), as received. */
export interface ChunkRecord {
  kind: 'chunk';
  t: number;
  turn: number;
  chunk: RawChunk;
}

/** A derived event: tool runs and errors, later the speculation outcomes. */
export interface EventRecord {
  kind: 'event';
  t: number;
  turn: number;
  event: SessionEvent;
}

export type SessionRecord = SessionHeader | RequestRecord | ChunkRecord | EventRecord;

export type SessionEvent =
  | { type: 'toolStart'; callId: string; name: string; arguments: string }
  | {
      type: 'toolResult';
      callId: string;
      name: string;
      arguments: string;
      /** Text given back to the model. */
      output: string;
      isError: boolean;
      durationMs: number;
      /** Set when the result came from a recorded stand-in. */
      recorded?: boolean;
      /** Set when the result was served from a speculation. */
      speculative?: { outcome: 'hit' | 'partial'; savedMs: number };
    }
  | { type: 'speculation'; event: RecordedSpeculationEvent }
  | { type: 'turnMetrics'; metrics: RecordedTurnMetrics }
  | { type: 'turnEnd'; finishReason: string }
  /**
   * What speculation would have done for one call the proxy saw (it runs nothing): whether an
   * exact prediction came before the call, how long before (real time), how long the agent's
   * own tool run took (from the answer to the request bringing the result) and what an early
   * run would have saved.
   */
  | { type: 'shadowCall'; callId: string; name: string; exact: boolean; ruleId?: string; decision?: string; leadMs?: number; toolLatencyMs: number; savedMs: number }
  | { type: 'error'; message: string; status?: number }
  /** A SpecReason turn: who wrote each reasoning step, the judge's scores, the figures per model. */
  | { type: 'specReason'; turn: RecordedSpecReasonTurn };

/**
 * One stretch of a SpecReason turn's reasoning: `start`/`end` are character offsets in the
 * turn's reasoning. `reserved`: a first step the base model wrote; `accepted`: a draft step the
 * judge kept; `rewritten`: the base model's step in place of a rejected draft; `continued`:
 * reasoning the base model wrote after the step loop (on its way to the answer, or after a fallback).
 */
export interface RecordedSpecReasonStep {
  start: number;
  end: number;
  author: 'draft' | 'base';
  kind: 'reserved' | 'accepted' | 'rewritten' | 'continued';
  tokens: number;
  /** The judge's score of the draft (the rejected draft for `rewritten`); null when the judge gave none. */
  score?: number | null;
}

/** Figures of one SpecReason turn; tokens are word-sized estimates, times in milliseconds. */
export interface RecordedSpecReasonMetrics {
  /** Steps judged (drafts) plus reserved steps. */
  steps: number;
  accepted: number;
  rejected: number;
  reserved: number;
  /** Rejected drafts the judge gave no digit for (counted in `rejected` too). */
  unscored: number;
  /** accepted / judged; null when no draft was judged. */
  acceptanceRate: number | null;
  draft: { calls: number; tokens: number; ms: number };
  /** The base model writing steps and the answer. */
  base: { calls: number; tokens: number; ms: number };
  /** The base model scoring drafts. */
  judge: { calls: number; ms: number };
  totalMs: number;
  /** The same request answered by the base model alone, when measured (`foresight.specReason.measureBaseOnly`); absent: not measured. */
  baseOnly?: RecordedBaseOnly;
}

/** A base-only measurement: its wall time and tokens, or why it could not be taken. */
export type RecordedBaseOnly = { kind: 'measured'; ms: number; tokens: number } | { kind: 'failed'; message: string };

/** What a SpecReason turn records: its steps, its figures, and why it fell back to the base model alone, if it did. */
export interface RecordedSpecReasonTurn {
  steps: RecordedSpecReasonStep[];
  metrics: RecordedSpecReasonMetrics;
  fallback?: { reason: string; message: string };
}

/** A chunk with its time relative to the start of its turn's request. */
export interface TimedChunk {
  t: number;
  chunk: RawChunk;
}

/** One model call of a session, as the endpoint serves it. */
export interface SessionTurn {
  index: number;
  request: ChatMessage[];
  chunks: TimedChunk[];
  /** Tool runs that followed this turn's calls, in order. */
  toolResults: Extract<SessionEvent, { type: 'toolResult' }>[];
  /**
   * Other requests that also stand for this turn: an imported rollout's literal `input` when
   * the turn's request had to take more (messages the rollout listed in its output).
   */
  requestAliases?: ChatMessage[][];
  /** A SpecReason turn's steps and figures, as recorded; absent for other turns. */
  specReason?: RecordedSpecReasonTurn;
  /** When the turn's request was sent, in ms from the session's start; absent for imported turns. */
  startedAt?: number;
  /** When each of `toolResults` was recorded, in ms from the turn's request; absent for imported turns. */
  toolResultsAt?: number[];
  /** The speculation recorded during this turn, times relative to its request; absent when none was. */
  speculation?: { t: number; event: Extract<SessionEvent, { type: 'speculation' | 'turnMetrics' }> }[];
}

/** A whole session in memory. */
export interface Session {
  header: SessionHeader;
  turns: SessionTurn[];
}

/** A line that could not be read, reported with its number; reading goes on. */
export interface SessionReadProblem {
  file: string;
  line: number;
  message: string;
}
