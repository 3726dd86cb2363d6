import { StringDecoder } from 'node:string_decoder';
import type { RawChunk } from '../stream/raw-chunk.js';

/** What one piece of a server-sent event stream held, in order. */
export type SseItem = { kind: 'chunk'; chunk: RawChunk } | { kind: 'done' } | { kind: 'unreadable'; data: string };

/**
 * Reads a copy of an OpenAI-style SSE stream incrementally: bytes in (cut anywhere, even inside
 * a UTF-8 character), the `data:` payloads of complete events out, parsed. Comments, `event:`
 * and `id:` lines are ignored; `[DONE]` is reported. A payload that is not JSON is reported, not
 * thrown. Costs O(new bytes) per push.
 */
export class SseDecoder {
  private readonly text = new StringDecoder('utf8');
  private pending = '';
  private data: string[] = [];

  push(bytes: Buffer): SseItem[] {
    return this.lines(this.text.write(bytes), false);
  }

  /** The stream ended: an event left without its blank line still counts. */
  end(): SseItem[] {
    return this.lines(this.text.end(), true);
  }

  private lines(text: string, final: boolean): SseItem[] {
    const out: SseItem[] = [];
    let buffer = this.pending + text;
    let start = 0;
    for (;;) {
      const nl = buffer.indexOf('\n', start);
      if (nl < 0) break;
      let line = buffer.slice(start, nl);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      start = nl + 1;
      this.line(line, out);
    }
    buffer = buffer.slice(start);
    if (final) {
      if (buffer.length > 0) this.line(buffer, out);
      this.line('', out);
      buffer = '';
    }
    this.pending = buffer;
    return out;
  }

  private line(line: string, out: SseItem[]): void {
    if (line === '') {
      if (this.data.length === 0) return;
      const data = this.data.join('\n');
      this.data = [];
      out.push(parsePayload(data));
      return;
    }
    if (!line.startsWith('data:')) return;
    const value = line.slice(5);
    this.data.push(value.startsWith(' ') ? value.slice(1) : value);
  }
}

function parsePayload(data: string): SseItem {
  if (data.trim() === '[DONE]') return { kind: 'done' };
  try {
    const value: unknown = JSON.parse(data);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return { kind: 'chunk', chunk: value as RawChunk };
  } catch {
    // Reported below: a server's stray line must not stop the recording.
  }
  return { kind: 'unreadable', data: data.length > 200 ? `${data.slice(0, 200)}…` : data };
}
