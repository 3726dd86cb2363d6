import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChatMessage, ToolSpec } from '../chat/types.js';
import { textOfContent } from '../session/message-key.js';
import { continues } from './conversation-match.js';
import { ProxyConversation } from './proxy-conversation.js';
import type { ProxyLiveEvent, RecorderInput, RecorderOutput, RecorderSetup } from './recorder-messages.js';
import type { RecordingStep } from './recording-scheduler.js';
import { RecordingTap, type StepRunner } from './recording-tap.js';
import { readResumableSession, type ResumableSession } from './resumable-session.js';

const DEFAULT_MAX_CONVERSATIONS = 64;

/** Runs each step to its end at once: in the recorder's own thread nothing else waits for it. */
const IMMEDIATE: StepRunner = {
  add(step: RecordingStep): void {
    while (step()) {
      // One unit of recording work per call.
    }
  },
};

/**
 * The recording side of the proxy, fed `RecorderInput` in wire order: parses each chat
 * completion request, finds the conversation it continues (or begins one), records the
 * answer's bytes through a `RecordingTap` and, with `shadow`, what speculation would have done.
 * It runs in the proxy's worker thread (or in process, in tests); it never sees a header.
 */
export class ProxyRecorder {
  private readonly conversations: ProxyConversation[] = [];
  private readonly taps = new Map<number, { tap: RecordingTap; conversation: ProxyConversation }>();
  /** Live events not yet emitted, per session file: one output per file per turn of the event loop. */
  private liveQueue = new Map<string, ProxyLiveEvent[]>();
  private liveScheduled = false;
  /** Sessions an earlier recorder of this proxy wrote, which a request no conversation here continues may go on with. */
  private resumable: ResumableSession[] = [];
  /** Inputs taken while those sessions are read back, in order; undefined once they are read. */
  private pending: RecorderInput[] | undefined;
  private readonly loaded: Promise<void> = Promise.resolve();

  constructor(
    private readonly setup: RecorderSetup,
    private readonly emit: (out: RecorderOutput) => void,
    private readonly steps: StepRunner = IMMEDIATE,
  ) {
    const recorded = setup.resume ?? [];
    if (recorded.length === 0) return;
    this.pending = [];
    this.loaded = Promise.all(recorded.map((r) => readResumableSession(r).catch(() => undefined))).then((found) => {
      this.resumable = found.filter((r): r is ResumableSession => r !== undefined);
      const waiting = this.pending ?? [];
      this.pending = undefined;
      for (const input of waiting) this.takeNow(input);
    });
  }

  /** Takes one input; settle and close answer through `emit` once their work is done. */
  take(input: RecorderInput): void {
    if (this.pending) this.pending.push(input);
    else this.takeNow(input);
  }

  private takeNow(input: RecorderInput): void {
    switch (input.type) {
      case 'request':
        this.request(input.id, input.body, input.at);
        return;
      case 'begin':
        this.taps.get(input.id)?.tap.begin(input.status, input.contentType, input.at);
        return;
      case 'bytes':
        this.taps.get(input.id)?.tap.push(Buffer.from(input.bytes.buffer, input.bytes.byteOffset, input.bytes.byteLength), input.at);
        return;
      case 'end':
        this.taps.get(input.id)?.tap.end(input.at);
        return;
      case 'gone':
        this.taps.get(input.id)?.tap.clientGone(input.at);
        return;
      case 'failed':
        this.taps.get(input.id)?.tap.failed(input.status, input.message, input.at);
        return;
      case 'incomplete':
        this.incomplete(input);
        return;
      case 'settle':
        void this.settled().then(() => this.emit({ type: 'settled', seq: input.seq }));
        return;
      case 'close':
        void this.close().then(() => this.emit({ type: 'settled', seq: input.seq }));
        return;
    }
  }

  /** Resolves once everything taken so far is recorded, shadow outcomes included. */
  async settled(): Promise<void> {
    await this.loaded;
    // Answers first: an answer's end may start a shadow replay.
    for (const { tap } of this.taps.values()) if (tap.behind) tap.catchUp();
    await Promise.all([...this.taps.values()].map((t) => t.tap.closed));
    await Promise.all(this.conversations.map((c) => c.settled()));
  }

  /** Records what is left and closes every session file. */
  async close(): Promise<void> {
    await this.settled();
    for (const c of this.conversations) this.closeConversation(c);
    this.conversations.length = 0;
  }

  /** An error record for a turn a recorder before this one was writing when it stopped; appended to the file as one line. */
  private incomplete(input: Extract<RecorderInput, { type: 'incomplete' }>): void {
    // Its answer is not recorded whole: the conversation goes on from its request, as after a failure.
    const resumed = this.resumable.find((r) => r.file === input.file && r.last.index === input.turn);
    if (resumed) {
      resumed.tail = { request: resumed.tail.request };
      delete resumed.ended;
    }
    const t = Math.round(Math.max(0, input.at - input.startedAt) * 10) / 10;
    const record = { kind: 'event', t, turn: input.turn, event: { type: 'error', message: input.message } };
    try {
      appendFileSync(input.file, `${JSON.stringify(record)}\n`);
      this.emit({ type: 'session', file: input.file, change: 'turn' });
    } catch (err) {
      this.log(`could not mark ${input.file} incomplete: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private live(file: string, event: ProxyLiveEvent): void {
    let queue = this.liveQueue.get(file);
    if (!queue) this.liveQueue.set(file, (queue = []));
    queue.push(event);
    if (this.liveScheduled) return;
    this.liveScheduled = true;
    setImmediate(() => this.flushLive());
  }

  private flushLive(): void {
    this.liveScheduled = false;
    if (this.liveQueue.size === 0) return;
    const queued = this.liveQueue;
    this.liveQueue = new Map();
    for (const [file, events] of queued) this.emit({ type: 'live', file, events });
  }

  private log(line: string): void {
    this.emit({ type: 'log', line });
  }

  private request(id: number, body: Uint8Array, at: number): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
    } catch {
      // Forwarded all the same: the upstream's own answer tells the agent what is wrong.
      return;
    }
    if (parsed === null || typeof parsed !== 'object' || !Array.isArray((parsed as { messages?: unknown }).messages)) return;
    const request = parsed as { model?: unknown; messages: ChatMessage[]; tools?: unknown };
    const messages = request.messages.filter((m) => m !== null && typeof m === 'object' && typeof m.role === 'string');
    const tools = Array.isArray(request.tools) ? (request.tools as ToolSpec[]) : [];
    const model = typeof request.model === 'string' ? request.model : '';
    const conversation = this.conversationFor(messages, model, tools, at);
    const turn = conversation.request(messages, at);
    const tap = new RecordingTap(conversation, turn, this.steps);
    this.taps.set(id, { tap, conversation });
    this.emit({ type: 'turn', id, file: conversation.path, turn, startedAt: conversation.startedAt });
    void tap.closed.then(() => {
      this.taps.delete(id);
      this.emit({ type: 'session', file: conversation.path, change: 'turn' });
    });
  }

  private conversationFor(messages: ChatMessage[], model: string, tools: ToolSpec[], at: number): ProxyConversation {
    // An answer that has ended but is still queued for recording may be the one this request
    // continues: that one (only) is recorded now, so the request finds it.
    for (const { tap, conversation: c } of this.taps.values()) {
      if (tap.behind && messages.length > c.tail.request.length && continues({ request: c.tail.request }, messages)) tap.catchUp();
    }
    let best: ProxyConversation | undefined;
    for (const c of this.conversations) {
      if (continues(c.tail, messages) && (!best || c.tail.request.length > best.tail.request.length)) best = c;
    }
    if (best) {
      // Most recently used last, so the oldest is the one closed when there are too many.
      this.conversations.splice(this.conversations.indexOf(best), 1);
      this.conversations.push(best);
      return best;
    }
    let resume: ResumableSession | undefined;
    for (const r of this.resumable) {
      if (continues(r.tail, messages) && (!resume || r.tail.request.length > resume.tail.request.length)) resume = r;
    }
    if (resume) this.resumable.splice(this.resumable.indexOf(resume), 1);
    const id = resume?.header.id ?? randomUUID();
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const firstUser = messages.find((m) => m.role === 'user');
    const title = firstUser ? textOfContent(firstUser.content).trim() : '';
    const shadow = this.setup.shadow;
    const conversation = new ProxyConversation(
      {
        path: resume?.file ?? join(this.setup.sessionsDir, `${stamp}-${id.slice(0, 8)}.jsonl`),
        id,
        model,
        endpoint: this.setup.upstream,
        tools,
        foresightVersion: this.setup.foresightVersion ?? 'unknown',
        ...(title ? { title: title.length > 80 ? `${title.slice(0, 79)}…` : title } : {}),
        ...(shadow ? { shadow } : {}),
        onShadow: (found) => {
          // The turn's stream goes first, so a live view has the reasoning its intents point into.
          this.flushLive();
          this.emit({ type: 'shadow', turn: found, file: conversation.path });
        },
        ...(this.setup.live ? { onLive: (event: ProxyLiveEvent) => this.live(conversation.path, event) } : {}),
        log: (line) => this.log(line),
        ...(resume ? { resume } : {}),
      },
      at,
    );
    this.conversations.push(conversation);
    this.emit({ type: 'session', file: conversation.path, change: 'opened' });
    if (resume) this.log(`a conversation recorded before the recorder restarted goes on in ${resume.file} at turn ${resume.nextTurn}.`);
    const max = this.setup.maxConversations ?? DEFAULT_MAX_CONVERSATIONS;
    while (this.conversations.length > max) {
      const old = this.conversations.shift()!;
      void old.settled().then(() => this.closeConversation(old));
    }
    return conversation;
  }

  private closeConversation(c: ProxyConversation): void {
    c.dispose();
    this.emit({ type: 'session', file: c.path, change: 'closed' });
  }
}
