import { synthesizeTurnChunks } from '../session/synthesize-chunks.js';
import { ChunkParser } from '../stream/chunk-parser.js';
import type { StreamEvent } from '../stream/events.js';
import type { RawChunk } from '../stream/raw-chunk.js';
import type { ToolCall } from '../chat/types.js';
import type { ProxyConversation } from './proxy-conversation.js';
import type { RecordingStep } from './recording-scheduler.js';
import { SseDecoder } from './sse-decoder.js';
import { TurnAnswer } from './turn-answer.js';

// A whole answer or an error body is kept (for the recording) up to this size; the client gets all of it.
const KEEP_BYTES = 32 * 1024 * 1024;
const ERROR_KEEP_BYTES = 64 * 1024;

/** Whatever runs the tap's steps: a `RecordingScheduler`, or one that runs them at once. */
export interface StepRunner {
  add(step: RecordingStep): void;
}

type TapItem =
  | { kind: 'begin'; status: number; contentType: string; at: number }
  | { kind: 'bytes'; bytes: Buffer; at: number }
  | { kind: 'end'; at: number }
  | { kind: 'gone'; at: number }
  | { kind: 'failed'; status: number; message: string; at: number };

/**
 * The recording side of one forwarded chat completion. The forwarding path only queues what
 * it passed on (with its arrival time); the queue is read in a later turn of the event loop,
 * so parsing and writing never delay a chunk on its way to the client. SSE is parsed with the
 * same `ChunkParser` as the chat; a whole answer is recorded as the chunks that would have
 * streamed it; an error status, a cut and a client that left end the turn as errors.
 */
export class RecordingTap {
  private readonly queue: TapItem[] = [];
  private head = 0;
  /** Chunks decoded from the copy and not yet recorded, with their arrival times. */
  private readonly decoded: { chunk: RawChunk; at: number }[] = [];
  private decodedHead = 0;
  private queued = false;
  private ending = false;
  private mode: 'sse' | 'whole' | 'error' = 'sse';
  private status = 0;
  private readonly sse = new SseDecoder();
  private readonly parser = new ChunkParser();
  private readonly answer = new TurnAnswer();
  private kept: Buffer[] = [];
  private keptBytes = 0;
  private done = false;
  private markClosed: () => void = () => {};
  /** Resolves once the turn's answer is recorded (ended, failed or abandoned). */
  readonly closed = new Promise<void>((resolve) => {
    this.markClosed = resolve;
  });

  constructor(
    private readonly conversation: ProxyConversation,
    private readonly turn: number,
    private readonly scheduler: StepRunner,
  ) {}

  /** The upstream's status line and content type arrived. */
  begin(status: number, contentType: string, at: number): void {
    this.enqueue({ kind: 'begin', status, contentType, at });
  }

  /** Bytes just written to the client. */
  push(bytes: Buffer, at: number): void {
    this.enqueue({ kind: 'bytes', bytes, at });
  }

  /** The upstream's answer ended, whole or cut. */
  end(at: number): void {
    this.ending = true;
    this.enqueue({ kind: 'end', at });
  }

  /** The client closed the connection before the answer ended. */
  clientGone(at: number): void {
    this.ending = true;
    this.enqueue({ kind: 'gone', at });
  }

  /** No answer came from the upstream; the client got `status`. */
  failed(status: number, message: string, at: number): void {
    this.ending = true;
    this.enqueue({ kind: 'failed', status, message, at });
  }

  /** The answer has ended on the wire but is not recorded yet. */
  get behind(): boolean {
    return this.ending && !this.done;
  }

  /**
   * Records everything queued now. For a conversation's next request, which must find the
   * answer it continues even when recording has fallen behind the forwarding.
   */
  catchUp(): void {
    while (this.step()) {
      // Each step records one chunk or takes one item.
    }
  }

  private enqueue(item: TapItem): void {
    this.queue.push(item);
    if (this.queued) return;
    this.queued = true;
    this.scheduler.add(() => this.step());
  }

  /** One unit of work: record one decoded chunk, or else take the next item. True while work is left. */
  private step(): boolean {
    if (this.decodedHead < this.decoded.length) {
      const { chunk, at } = this.decoded[this.decodedHead++]!;
      this.chunk(chunk, at);
    } else if (this.head < this.queue.length) {
      const item = this.queue[this.head++]!;
      if (!this.done) this.take(item);
    }
    if (this.decodedHead >= this.decoded.length) {
      this.decoded.length = 0;
      this.decodedHead = 0;
    }
    if (this.head >= this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    }
    const more = this.decoded.length > 0 || this.queue.length > 0;
    if (!more) this.queued = false;
    return more;
  }

  private take(item: TapItem): void {
    switch (item.kind) {
      case 'begin':
        this.status = item.status;
        this.mode = item.status >= 400 ? 'error' : item.contentType.includes('text/event-stream') ? 'sse' : 'whole';
        return;
      case 'bytes':
        if (this.mode === 'sse') {
          // Decoded now, recorded a chunk per step.
          for (const s of this.sse.push(item.bytes)) if (s.kind === 'chunk') this.decoded.push({ chunk: s.chunk, at: item.at });
        } else {
          this.keep(item.bytes, this.mode === 'error' ? ERROR_KEEP_BYTES : KEEP_BYTES);
        }
        return;
      case 'end':
        this.finish(item.at);
        return;
      case 'gone':
        this.answer.push({ type: 'error', error: { kind: 'aborted', message: 'The client closed the connection before the answer ended; the upstream request was aborted.' } });
        this.close(item.at);
        return;
      case 'failed':
        this.answer.push({ type: 'error', error: { kind: 'network', status: item.status, message: item.message } });
        this.close(item.at, item.status);
        return;
    }
  }

  private chunk(chunk: RawChunk, at: number): void {
    this.conversation.chunk(this.turn, chunk, at);
    for (const event of this.parser.push(chunk)) this.streamed(event);
  }

  private streamed(event: StreamEvent): void {
    this.answer.push(event);
    this.conversation.streamed(this.turn, event);
  }

  private keep(bytes: Buffer, limit: number): void {
    if (this.keptBytes + bytes.length > limit) return;
    // A copy: the bytes are a view on a whole batch of the forwarding thread, which would be kept with them.
    this.kept.push(Buffer.from(bytes));
    this.keptBytes += bytes.length;
  }

  private finish(at: number): void {
    if (this.mode === 'sse') {
      for (const s of this.sse.end()) if (s.kind === 'chunk') this.chunk(s.chunk, at);
    } else if (this.mode === 'whole') {
      for (const chunk of chunksOfWholeAnswer(Buffer.concat(this.kept).toString('utf8'))) this.chunk(chunk, at);
    } else {
      const text = Buffer.concat(this.kept).toString('utf8');
      this.answer.push({ type: 'error', error: { kind: 'http', status: this.status, message: errorMessageOf(text, this.status) } });
      this.close(at, this.status);
      return;
    }
    for (const event of this.parser.end()) this.streamed(event);
    this.close(at);
  }

  private close(at: number, status?: number): void {
    if (this.done) return;
    this.done = true;
    this.kept = [];
    this.conversation.ended(this.turn, this.answer, at, status);
    this.markClosed();
  }
}

/** The message of an OpenAI-shaped error body, else the start of the body, else the status. */
function errorMessageOf(text: string, status: number): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof body.error === 'object' && typeof body.error?.message === 'string') return body.error.message;
    if (typeof body.error === 'string') return body.error;
    if (typeof body.message === 'string') return body.message;
  } catch {
    // Not JSON: the text itself says what happened.
  }
  const trimmed = text.trim();
  return trimmed.length > 0 ? trimmed.slice(0, 300) : `The upstream answered with status ${status}.`;
}

/** A `chat.completion` as the chunks that would have streamed it; none when it cannot be read (the parser then reports a cut answer). */
function chunksOfWholeAnswer(text: string): RawChunk[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return [];
  }
  if (body === null || typeof body !== 'object') return [];
  const b = body as { id?: unknown; model?: unknown; created?: unknown; choices?: unknown; usage?: unknown };
  const choice = Array.isArray(b.choices) ? (b.choices.find((c: { index?: number }) => (c?.index ?? 0) === 0) as Record<string, unknown> | undefined) : undefined;
  const message = (choice?.message ?? {}) as Record<string, unknown>;
  const calls: ToolCall[] = Array.isArray(message.tool_calls)
    ? (message.tool_calls as { id?: unknown; function?: { name?: unknown; arguments?: unknown } }[]).map((c, i) => ({
        id: typeof c.id === 'string' ? c.id : `call_${i}`,
        name: typeof c.function?.name === 'string' ? c.function.name : '',
        arguments: typeof c.function?.arguments === 'string' ? c.function.arguments : '',
      }))
    : [];
  const reasoning = typeof message.reasoning_content === 'string' ? message.reasoning_content : typeof message.reasoning === 'string' ? message.reasoning : undefined;
  const chunks = synthesizeTurnChunks({
    id: typeof b.id === 'string' ? b.id : 'chatcmpl-proxy',
    model: typeof b.model === 'string' ? b.model : '',
    ...(reasoning ? { reasoning } : {}),
    ...(typeof message.content === 'string' ? { content: message.content } : {}),
    toolCalls: calls,
    finishReason: typeof choice?.finish_reason === 'string' ? choice.finish_reason : 'stop',
    ...(typeof b.created === 'number' ? { created: b.created } : {}),
  });
  if (b.usage && typeof b.usage === 'object') chunks.push({ id: typeof b.id === 'string' ? b.id : 'chatcmpl-proxy', object: 'chat.completion.chunk', choices: [], usage: b.usage as RawChunk['usage'] });
  return chunks;
}
