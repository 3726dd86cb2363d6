import type { RawChunk } from './raw-chunk.js';
import type { StreamEvent } from './events.js';
import { ThinkTagSplitter, type ThinkSegment, type ThinkTagSplitterOptions } from './think-tag-splitter.js';
import { RawToolCallExtractor, type RawCallSegment } from './raw-tool-calls.js';
import { ToolCallAssembler } from './tool-call-assembler.js';

/**
 * Turns raw `chat.completion.chunk` objects into typed stream events, incrementally. Reasoning
 * is taken from `delta.reasoning_content`, `delta.reasoning`, or `<think>` tags inside
 * `delta.content`; tool calls are assembled and sealed as they complete. Only choice 0 is read.
 */
export class ChunkParser {
  private readonly splitter: ThinkTagSplitter;
  private readonly calls = new ToolCallAssembler();
  private readonly textCalls = new RawToolCallExtractor();
  private finished = false;
  private failed = false;

  constructor(options: ThinkTagSplitterOptions = {}) {
    this.splitter = new ThinkTagSplitter(options);
  }

  /** True once a `finish_reason` has been seen. */
  get isFinished(): boolean {
    return this.finished;
  }

  push(chunk: RawChunk): StreamEvent[] {
    const out: StreamEvent[] = [];
    if (this.failed) return out;
    const choice = chunk.choices?.find((c) => (c.index ?? 0) === 0);
    const delta = choice?.delta;
    if (delta) {
      const reasoning = pickReasoning(delta.reasoning_content, delta.reasoning);
      if (reasoning !== undefined) {
        this.splitter.reasoningFieldSeen();
        out.push({ type: 'reasoning', text: reasoning });
      }
      if (typeof delta.content === 'string' && delta.content.length > 0) {
        this.appendContent(out, this.splitter.push(delta.content), false);
      }
      if (Array.isArray(delta.tool_calls) && delta.tool_calls.length > 0) {
        // Text held back as a possible partial tag comes before the call in stream order.
        this.appendContent(out, this.splitter.flush(), true);
        for (const d of delta.tool_calls) {
          const events = this.calls.push(d);
          out.push(...events);
          if (events.some((e) => e.type === 'error')) {
            this.failed = true;
            return out;
          }
        }
      }
    }
    const reason = choice?.finish_reason;
    if (typeof reason === 'string' && reason.length > 0 && !this.finished) {
      this.finished = true;
      this.appendContent(out, this.splitter.flush(), true);
      out.push(...this.calls.sealAll());
      out.push({ type: 'finish', reason });
    }
    const usage = chunk.usage;
    if (usage && typeof usage === 'object') {
      out.push({
        type: 'usage',
        usage: {
          promptTokens: usage.prompt_tokens ?? 0,
          completionTokens: usage.completion_tokens ?? 0,
          ...(usage.completion_tokens_details?.reasoning_tokens !== undefined
            ? { reasoningTokens: usage.completion_tokens_details.reasoning_tokens }
            : {}),
        },
      });
    }
    return out;
  }

  /** Appends think segments in order, answer text through the raw tool-call extractor. */
  private appendContent(out: StreamEvent[], segments: ThinkSegment[], flush: boolean): void {
    for (const seg of segments) {
      if (seg.kind !== 'content') {
        appendSegments(out, [seg]);
        continue;
      }
      this.appendRaw(out, this.textCalls.push(seg.text));
    }
    if (flush) this.appendRaw(out, this.textCalls.flush());
  }

  private appendRaw(out: StreamEvent[], segments: RawCallSegment[]): void {
    for (const r of segments) {
      if (r.kind === 'content') out.push({ type: 'content', text: r.text });
      else if (r.kind === 'call') out.push(...this.calls.textCall(r.call));
      // A malformed block is given back as content right after this note; nothing to add.
    }
  }

  /**
   * The stream ended. Held text is released; a stream that ended without a finish reason is
   * an error, and an unsealed tool call is dropped rather than run with truncated arguments.
   */
  end(): StreamEvent[] {
    if (this.failed || this.finished) return [];
    const out: StreamEvent[] = [];
    this.appendContent(out, this.splitter.flush(), true);
    const cut = this.calls.hasOpenCall;
    out.push({
      type: 'error',
      error: {
        kind: 'protocol',
        message: cut
          ? 'The endpoint closed the stream in the middle of a tool call; the call was not run. Try again.'
          : 'The endpoint closed the stream before the model finished. Try again.',
      },
    });
    return out;
  }
}

function pickReasoning(a: unknown, b: unknown): string | undefined {
  // Some servers send the same text in both fields; one of them is enough.
  if (typeof a === 'string' && a.length > 0) return a;
  if (typeof b === 'string' && b.length > 0) return b;
  return undefined;
}

function appendSegments(out: StreamEvent[], segments: ThinkSegment[]): void {
  for (const s of segments) {
    switch (s.kind) {
      case 'reasoning':
        out.push({ type: 'reasoning', text: s.text });
        break;
      case 'content':
        out.push({ type: 'content', text: s.text });
        break;
      case 'contentWasReasoning':
        out.push({ type: 'contentWasReasoning', text: s.text });
        break;
    }
  }
}
