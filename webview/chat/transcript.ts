import type { ChatEvent } from '../../src/shared/protocol.js';

/** One tool call of a turn, from the first streamed byte of its arguments to its result. */
export interface ToolCardModel {
  index: number;
  callId: string;
  name: string;
  /** The MCP server the tool came from, as the host named it; null for built-in tools. */
  server: string | null;
  arguments: string;
  phase: 'streaming' | 'called' | 'running' | 'done';
  output: string;
  isError: boolean;
  recorded: boolean;
  durationMs: number | null;
  /** Set when the result came from a speculative run, with the tool time it saved. */
  speculative: { outcome: 'hit' | 'partial'; savedMs: number; crossTurn?: boolean } | null;
}

/** A stretch of a SpecReason turn's reasoning and who wrote it; `score` is the judge's, 0-9, null when it gave none. */
export interface ReasoningStepMark {
  author: 'draft' | 'base';
  kind: 'reserved' | 'accepted' | 'rewritten' | 'continued';
  start: number;
  end: number;
  score: number | null;
}

export interface UserEntry {
  kind: 'user';
  runId: number;
  text: string;
}

/** One model call: its reasoning, the tools it called and its answer text. */
export interface TurnEntry {
  kind: 'turn';
  runId: number;
  turn: number;
  reasoning: string;
  answer: string;
  tools: ToolCardModel[];
  finished: boolean;
  /** SpecReason mode: who wrote each stretch of the reasoning (offsets into `reasoning`). Absent in other turns and in transcripts saved before. */
  steps?: ReasoningStepMark[];
  /** Sentences shown in the turn, in order (a SpecReason fallback). Absent when there are none. */
  notices?: string[];
  /** Thinking: when its first reasoning arrived (page clock), how long it lasted once it ended, and its streamed pieces (about one token each). */
  thinking?: { startedAt: number; durationMs: number | null; tokens: number };
}

/** The conversation was forked from a recorded session; always the first entry. */
export interface ForkedEntry {
  kind: 'forked';
  title: string;
  turn: number;
  messages: number;
}

export type Entry = UserEntry | TurnEntry | ForkedEntry;

export type RunStatus =
  | { kind: 'ready' }
  | { kind: 'running' }
  | { kind: 'done' }
  | { kind: 'stopped' }
  | { kind: 'error'; message: string };

/** What the chat shows, and what it persists with `setState` to come back after a reload. */
export interface Transcript {
  version: 1;
  conversationId: string;
  entries: Entry[];
  status: RunStatus;
}

/** What an event changed: the index of the entry to redraw (possibly a new last one), and whether the status changed. */
export interface Change {
  entry?: number;
  status: boolean;
}

export function emptyTranscript(conversationId: string): Transcript {
  return { version: 1, conversationId, entries: [], status: { kind: 'ready' } };
}

/**
 * Applies one event to the transcript in place. Tolerates events whose `runStart` or
 * `turnStart` it never saw (the view reloaded mid-run): the entry is created on first use.
 */
export function applyChatEvent(t: Transcript, event: ChatEvent, now: number = Date.now()): Change {
  switch (event.type) {
    case 'runStart':
      t.entries.push({ kind: 'user', runId: event.runId, text: event.text });
      t.status = { kind: 'running' };
      return { entry: t.entries.length - 1, status: true };
    case 'turnStart':
      return { entry: turnIndex(t, event.runId, event.turn), status: false };
    case 'reasoning':
      return editTurn(t, event, (turn) => {
        turn.reasoning += event.text;
        if (!turn.thinking) turn.thinking = { startedAt: now, durationMs: null, tokens: 0 };
        turn.thinking.tokens++;
      });
    case 'content':
      return editTurn(t, event, (turn) => {
        turn.answer += event.text;
        endThinking(turn, now);
      });
    case 'contentWasReasoning':
      return editTurn(t, event, (turn) => {
        turn.reasoning += event.text;
        turn.answer = turn.answer.slice(event.text.length);
      });
    case 'toolCallStarted':
      return editTurn(t, event, (turn) => {
        const card = cardByIndex(turn, event.index) ?? addCard(turn, event.index, event.callId, event.name);
        card.callId = event.callId;
        card.name = event.name;
        endThinking(turn, now);
      });
    case 'toolCallDelta':
      return editTurn(t, event, (turn) => {
        const card = cardByIndex(turn, event.index) ?? addCard(turn, event.index, '', '');
        card.arguments += event.argumentsDelta;
      });
    case 'toolCallSealed':
      return editTurn(t, event, (turn) => {
        const card = cardByIndex(turn, event.index) ?? addCard(turn, event.index, event.callId, event.name);
        card.callId = event.callId;
        card.name = event.name;
        card.arguments = event.arguments;
        if (card.phase === 'streaming') card.phase = 'called';
      });
    case 'toolStart':
      return editTurn(t, event, (turn) => {
        const card = cardById(turn, event.callId) ?? addCard(turn, turn.tools.length, event.callId, event.name);
        card.arguments = event.arguments;
        card.server = event.server ?? card.server;
        card.phase = 'running';
      });
    case 'toolEnd':
      return editTurn(t, event, (turn) => {
        const card = cardById(turn, event.callId) ?? addCard(turn, turn.tools.length, event.callId, event.name);
        card.phase = 'done';
        card.server = event.server ?? card.server;
        card.output = event.output;
        card.isError = event.isError;
        card.recorded = event.recorded;
        card.durationMs = event.durationMs;
        card.speculative = event.speculative ?? null;
      });
    case 'turnEnd':
      return editTurn(t, event, (turn) => {
        turn.finished = true;
        endThinking(turn, now);
      });
    case 'reasoningStep':
      return editTurn(t, event, (turn) => {
        (turn.steps ??= []).push({ author: event.author, kind: event.kind, start: event.start, end: event.end, score: event.score ?? null });
      });
    case 'notice':
      return editTurn(t, event, (turn) => {
        (turn.notices ??= []).push(event.text);
      });
    case 'runEnd':
      t.status = statusOfRunEnd(event.reason, event.message);
      return { status: true };
    case 'forked': {
      // The event opens its conversation; one seen again (after a reload, or in chat/state) replaces the first.
      const entry: ForkedEntry = { kind: 'forked', title: event.title, turn: event.turn, messages: event.messages };
      if (t.entries[0]?.kind === 'forked') t.entries[0] = entry;
      else t.entries.unshift(entry);
      return { entry: 0, status: false };
    }
  }
}

/** The notice a forked conversation opens with, e.g. "Forked from «Weather» at turn 2: 3 earlier messages". */
export function forkedNotice(entry: ForkedEntry): string {
  return `Forked from «${entry.title}» at turn ${entry.turn + 1}: ${entry.messages} earlier message${entry.messages === 1 ? '' : 's'}`;
}

/** The status line: exactly `done`, `running`, `stopped` or `ready`, or `error: ` and the message. */
export function statusText(status: RunStatus): string {
  return status.kind === 'error' ? `error: ${status.message}` : status.kind;
}

/** Brings the status in line with the host's `running` after a reload; true when it changed. */
export function reconcileRunning(t: Transcript, running: boolean): boolean {
  if (running && t.status.kind !== 'running') {
    t.status = { kind: 'running' };
    return true;
  }
  if (!running && t.status.kind === 'running') {
    // The run ended while the view was away; its outcome was not seen.
    t.status = { kind: 'ready' };
    return true;
  }
  return false;
}

/** A transcript persisted by this version of the page, or undefined for anything else. */
export function restoreTranscript(value: unknown): Transcript | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const t = value as Partial<Transcript>;
  if (t.version !== 1 || typeof t.conversationId !== 'string' || !Array.isArray(t.entries)) return undefined;
  if (typeof t.status !== 'object' || t.status === null || typeof t.status.kind !== 'string') return undefined;
  return t as Transcript;
}

/** The thinking ends at the first thing after it: an answer, a tool call, or the turn's end. */
function endThinking(turn: TurnEntry, now: number): void {
  if (turn.thinking && turn.thinking.durationMs === null) turn.thinking.durationMs = Math.max(0, now - turn.thinking.startedAt);
}

function statusOfRunEnd(reason: Extract<ChatEvent, { type: 'runEnd' }>['reason'], message: string | undefined): RunStatus {
  switch (reason) {
    case 'answer':
      return { kind: 'done' };
    case 'stopped':
      return { kind: 'stopped' };
    case 'maxSteps':
    case 'error':
      return { kind: 'error', message: message ?? 'the run failed.' };
  }
}

function editTurn(t: Transcript, event: { runId: number; turn: number }, edit: (turn: TurnEntry) => void): Change {
  const index = turnIndex(t, event.runId, event.turn);
  edit(t.entries[index] as TurnEntry);
  return { entry: index, status: false };
}

/** The index of the turn entry, created at the end when missing. */
function turnIndex(t: Transcript, runId: number, turn: number): number {
  for (let i = t.entries.length - 1; i >= 0; i--) {
    const e = t.entries[i];
    if (e?.kind === 'turn' && e.runId === runId && e.turn === turn) return i;
    if (e !== undefined && e.kind !== 'forked' && e.runId < runId) break;
  }
  t.entries.push({ kind: 'turn', runId, turn, reasoning: '', answer: '', tools: [], finished: false });
  return t.entries.length - 1;
}

function cardByIndex(turn: TurnEntry, index: number): ToolCardModel | undefined {
  return turn.tools.find((c) => c.index === index);
}

function cardById(turn: TurnEntry, callId: string): ToolCardModel | undefined {
  return turn.tools.find((c) => c.callId === callId);
}

function addCard(turn: TurnEntry, index: number, callId: string, name: string): ToolCardModel {
  const card: ToolCardModel = {
    index,
    callId,
    name,
    server: null,
    arguments: '',
    phase: 'streaming',
    output: '',
    isError: false,
    recorded: false,
    durationMs: null,
    speculative: null,
  };
  turn.tools.push(card);
  return card;
}
