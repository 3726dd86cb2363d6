import type { ChatMessage, ToolSpec } from '../chat/types.js';
import type { Disposable } from '../disposable.js';
import type { Session, SessionEvent, SessionTurn } from '../session/format.js';
import { SessionWriter } from '../session/session-writer.js';
import type { StreamEvent } from '../stream/events.js';
import type { RawChunk } from '../stream/raw-chunk.js';
import { LiveIntents } from './live-intents.js';
import type { ProxyLiveEvent } from './recorder-messages.js';
import type { ConversationTail } from './conversation-match.js';
import type { ResumableSession } from './resumable-session.js';
import { shadowTurn, type ShadowOptions, type ShadowTurn } from './shadow-speculation.js';
import type { TurnAnswer } from './turn-answer.js';

export interface ProxyConversationOptions {
  path: string;
  id: string;
  model: string;
  /** The upstream URL; the writer strips credentials from it. */
  endpoint: string;
  tools: ToolSpec[];
  foresightVersion: string;
  title?: string;
  /** Shadow speculation; none when absent. */
  shadow?: ShadowOptions;
  onShadow?: (turn: ShadowTurn) => void;
  /** Told each turn's start and stream as they are recorded, for a live view; with `shadow`, the intents sniffed in it too. */
  onLive?: (event: ProxyLiveEvent) => void;
  log?: (line: string) => void;
  /**
   * The session already in `path` (an earlier recorder's) that this conversation goes on
   * with: turns are appended after its last, on its clock, and its last turn's calls get the
   * results the next request brings. The header options above are then not used.
   */
  resume?: ResumableSession;
}

/**
 * One conversation seen through the proxy, recorded as one session with the chat's own
 * `SessionWriter`: a turn per request, its chunks as they came, tool results (from the next
 * request, timed by the gap the agent took) and what shadow speculation would have done. Every
 * record carries the real time given with it, so the file replays at the pace it happened.
 */
export class ProxyConversation implements Disposable {
  private readonly writer: SessionWriter;
  private stamp: number;
  private readonly session: Session;
  private tailState: ConversationTail;
  private lastTurn: { index: number; endedAt: number; answer: TurnAnswer } | undefined;
  private shadowing: Promise<void> = Promise.resolve();
  private readonly requestTime = new Map<number, number>();
  /** The live sniffing of turns still streaming (with `shadow` and `onLive`). */
  private readonly sniffing = new Map<number, LiveIntents>();

  constructor(
    private readonly options: ProxyConversationOptions,
    private firstAt: number,
  ) {
    const resume = options.resume;
    // A resumed session keeps its own start, so its records' times go on from where they were.
    if (resume) this.firstAt = resume.startedAt;
    this.stamp = this.firstAt;
    this.writer = new SessionWriter({
      path: options.path,
      id: options.id,
      model: options.model,
      endpoint: options.endpoint,
      tools: options.tools,
      foresightVersion: options.foresightVersion,
      ...(options.title !== undefined ? { title: options.title } : {}),
      // The proxy knows when each thing happened (a chunk's arrival, not its parsing).
      now: () => this.stamp,
      onError: (err) => options.log?.(`recording to ${options.path} stopped: ${err.message}`),
      ...(resume ? { resume: resume.header } : {}),
    });
    this.session = { header: this.writer.header, turns: [] };
    this.tailState = { request: [] };
    if (resume) this.resume(resume);
  }

  /** When the session began, on the clock of the times given to it (a record's `t` counts from here). */
  get startedAt(): number {
    return this.firstAt;
  }

  get path(): string {
    return this.writer.path;
  }

  /** Where the conversation stands, for matching the next request. */
  get tail(): ConversationTail {
    return this.tailState;
  }

  /** Turns recorded so far. */
  get turnCount(): number {
    return this.session.turns.length;
  }

  /**
   * A request of this conversation arrives at `at`: results of the previous turn's calls are
   * recorded (latency: the gap since its answer ended), its shadow outcome is worked out, and a
   * turn begins. Returns the new turn's index.
   */
  request(messages: readonly ChatMessage[], at: number): number {
    const previous = this.lastTurn;
    this.lastTurn = undefined;
    if (previous && previous.answer.madeCalls.length > 0) {
      const turn = this.session.turns[previous.index]!;
      const gap = Math.max(0, at - previous.endedAt);
      for (const call of previous.answer.madeCalls) {
        const result = messages.find((m): m is Extract<ChatMessage, { role: 'tool' }> => m.role === 'tool' && m.tool_call_id === call.id);
        if (!result) continue;
        const event: Extract<SessionEvent, { type: 'toolResult' }> = {
          type: 'toolResult',
          callId: call.id,
          name: call.name,
          arguments: call.arguments,
          output: typeof result.content === 'string' ? result.content : JSON.stringify(result.content),
          isError: false,
          durationMs: Math.round(gap * 10) / 10,
        };
        turn.toolResults.push(event);
        this.record(at, previous.index, event);
      }
      this.shadow(previous.index, at);
    }
    const index = this.session.turns.length;
    const turn: SessionTurn = { index, request: [...messages], chunks: [], toolResults: [] };
    this.session.turns.push(turn);
    this.requestTime.set(index, at);
    this.stamp = at;
    this.writer.request(index, messages);
    this.tailState = { request: [...messages] };
    this.options.onLive?.({ type: 'turnStart', turn: index, messages: [...messages] });
    const { shadow, onLive } = this.options;
    if (shadow && onLive) {
      this.sniffing.set(index, new LiveIntents({ shadow, header: this.session.header, messages, turn: index, onIntent: (event) => onLive({ type: 'intent', turn: index, event }) }));
    }
    return index;
  }

  /** What the parser made of turn `turn`'s chunks, for a live view (the chunks themselves are recorded by `chunk`). */
  streamed(turn: number, event: StreamEvent): void {
    this.options.onLive?.({ type: 'stream', turn, event });
    this.sniffing.get(turn)?.push(event);
  }

  /** A chunk of turn `turn`'s answer, as it arrived at `at`. */
  chunk(turn: number, chunk: RawChunk, at: number): void {
    const t = this.session.turns[turn];
    if (!t) return;
    const base = this.requestTime.get(turn) ?? at;
    // Kept in memory only for the shadow replay of the turn.
    if (this.options.shadow) t.chunks.push({ t: Math.max(0, at - base), chunk });
    this.stamp = at;
    this.writer.chunk(turn, chunk);
  }

  /** Turn `turn`'s answer ended at `at`, finished or failed (`answer.error`, `status` for an HTTP error). */
  ended(turn: number, answer: TurnAnswer, at: number, status?: number): void {
    this.sniffing.get(turn)?.dispose();
    this.sniffing.delete(turn);
    const error = answer.error;
    if (error || status !== undefined) {
      const message = error?.message ?? `The upstream answered with status ${status}.`;
      this.record(at, turn, { type: 'error', message, ...(status !== undefined ? { status } : error?.status !== undefined ? { status: error.status } : {}) });
      return;
    }
    this.record(at, turn, { type: 'turnEnd', finishReason: answer.finish ?? '' });
    const request = this.session.turns[turn]!.request;
    this.tailState = { request, answer: answer.message() };
    this.lastTurn = { index: turn, endedAt: at, answer };
    // An answer without calls needs no results: its shadow outcome is known now.
    if (answer.madeCalls.length === 0) this.shadow(turn, at);
  }

  /** Resolves once every shadow replay begun so far is recorded. */
  settled(): Promise<void> {
    return this.shadowing;
  }

  dispose(): void {
    for (const live of this.sniffing.values()) live.dispose();
    this.sniffing.clear();
    this.writer.dispose();
  }

  private resume(from: ResumableSession): void {
    // Earlier turns stay on disk: only the index of the next turn and the last turn are needed here.
    for (let index = 0; index < from.last.index; index++) this.session.turns.push({ index, request: [], chunks: [], toolResults: [] });
    const last: SessionTurn = { index: from.last.index, request: from.last.request, chunks: this.options.shadow ? from.last.chunks : [], toolResults: [] };
    this.session.turns.push(last);
    this.requestTime.set(last.index, from.startedAt + (from.last.startedAt ?? 0));
    this.tailState = from.tail;
    if (from.ended) this.lastTurn = { index: last.index, endedAt: from.ended.at, answer: from.ended.answer };
  }

  private record(at: number, turn: number, event: SessionEvent): void {
    this.stamp = at;
    this.writer.event(turn, event);
  }

  private shadow(turn: number, at: number): void {
    const options = this.options.shadow;
    if (!options) return;
    // A snapshot: the replay runs after this request is forwarded, while more may arrive.
    const snapshot: Session = { header: this.session.header, turns: this.session.turns.slice(0, turn + 1) };
    this.shadowing = this.shadowing
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(() => shadowTurn(snapshot, turn, options))
      .then((found) => {
        for (const event of found.events) this.record(at, turn, { type: 'speculation', event });
        if (found.metrics) this.record(at, turn, { type: 'turnMetrics', metrics: found.metrics });
        for (const { turn: _turn, arguments: _args, ...call } of found.calls) this.record(at, turn, call);
        this.options.onShadow?.(found);
        // Only a turn's own replay needs its chunks; they are on disk, and memory stays small.
        const done = this.session.turns[turn];
        if (done) done.chunks = [];
      })
      .catch((err: unknown) => this.options.log?.(`shadow speculation of turn ${turn} failed: ${err instanceof Error ? err.message : String(err)}`));
  }
}
