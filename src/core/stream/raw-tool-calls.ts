import type { ToolCall } from '../chat/types.js';

/** Answer text, or a tool call a server left in the text in its model's own syntax. */
export type RawCallSegment = { kind: 'content'; text: string } | { kind: 'call'; call: ToolCall } | { kind: 'malformed'; text: string };

interface Syntax {
  open: string;
  close: string;
  /** The calls inside one block, or undefined when it cannot be read. */
  parse(body: string): { name: string; arguments: string }[] | undefined;
}

/** Hermes and Qwen: `<tool_call>{"name": …, "arguments": {…}}</tool_call>`. */
const HERMES: Syntax = {
  open: '<tool_call>',
  close: '</tool_call>',
  parse(body) {
    try {
      const value = JSON.parse(body.trim()) as { name?: unknown; arguments?: unknown };
      if (typeof value.name !== 'string') return undefined;
      const args = typeof value.arguments === 'string' ? value.arguments : JSON.stringify(value.arguments ?? {});
      return [{ name: value.name, arguments: args }];
    } catch {
      return undefined;
    }
  },
};

/**
 * DeepSeek (R1, V3) with no tool parser on the server:
 * `<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>NAME\n```json\nARGS\n```<｜tool▁call▁end｜>…<｜tool▁calls▁end｜>`.
 */
const DEEPSEEK: Syntax = {
  open: '<｜tool▁calls▁begin｜>',
  close: '<｜tool▁calls▁end｜>',
  parse(body) {
    const calls: { name: string; arguments: string }[] = [];
    for (const part of body.split('<｜tool▁call▁begin｜>').slice(1)) {
      const inner = part.split('<｜tool▁call▁end｜>')[0] ?? '';
      const sep = inner.indexOf('<｜tool▁sep｜>');
      if (sep < 0) return undefined;
      const rest = inner.slice(sep + '<｜tool▁sep｜>'.length);
      const newline = rest.indexOf('\n');
      const name = (newline < 0 ? rest : rest.slice(0, newline)).trim();
      const json = (newline < 0 ? '' : rest.slice(newline + 1)).replace(/^\s*```(?:json)?\s*/, '').replace(/\s*```\s*$/, '');
      if (!name) return undefined;
      calls.push({ name, arguments: json.trim() || '{}' });
    }
    return calls.length > 0 ? calls : undefined;
  },
};

const SYNTAXES = [HERMES, DEEPSEEK];
const MAX_BLOCK = 256 * 1024;

/**
 * Pulls tool calls that a server left in the answer text out of it, incrementally: text that
 * might begin a block is held back (a marker may be split across chunks), a block is held until
 * it closes, then parsed. A block that cannot be read is given back as text with a `malformed`
 * note, never dropped. Each push costs its own length plus the open block.
 */
export class RawToolCallExtractor {
  private held = '';
  private block: { syntax: Syntax; text: string } | undefined;
  private count = 0;

  push(text: string): RawCallSegment[] {
    const out: RawCallSegment[] = [];
    let buf = this.held + text;
    this.held = '';
    while (buf.length > 0) {
      if (this.block) {
        // The closing marker may have begun in an earlier chunk: look back one marker's length.
        const close = this.block.syntax.close;
        const before = this.block.text.length;
        const joined = this.block.text + buf;
        const end = joined.indexOf(close, Math.max(0, before - close.length + 1));
        if (end < 0) {
          this.block.text = joined;
          if (this.block.text.length > MAX_BLOCK) this.giveBack(out);
          return out;
        }
        this.block.text = joined.slice(0, end);
        buf = joined.slice(end + close.length);
        this.finishBlock(out);
        continue;
      }
      let first: { at: number; syntax: Syntax } | undefined;
      for (const syntax of SYNTAXES) {
        const at = buf.indexOf(syntax.open);
        if (at >= 0 && (!first || at < first.at)) first = { at, syntax };
      }
      if (first) {
        if (first.at > 0) out.push({ kind: 'content', text: buf.slice(0, first.at) });
        this.block = { syntax: first.syntax, text: '' };
        buf = buf.slice(first.at + first.syntax.open.length);
        continue;
      }
      const keep = partialMarker(buf);
      if (buf.length > keep) out.push({ kind: 'content', text: buf.slice(0, buf.length - keep) });
      this.held = buf.slice(buf.length - keep);
      return out;
    }
    return out;
  }

  /** The stream ended: a held prefix is text; an unclosed block is given back as text. */
  flush(): RawCallSegment[] {
    const out: RawCallSegment[] = [];
    if (this.block) this.giveBack(out);
    if (this.held) out.push({ kind: 'content', text: this.held });
    this.held = '';
    return out;
  }

  private finishBlock(out: RawCallSegment[]): void {
    const block = this.block!;
    const calls = block.syntax.parse(block.text);
    if (!calls) {
      this.giveBack(out);
      return;
    }
    this.block = undefined;
    for (const c of calls) out.push({ kind: 'call', call: { id: `call_text_${++this.count}`, name: c.name, arguments: c.arguments } });
  }

  private giveBack(out: RawCallSegment[]): void {
    const block = this.block!;
    this.block = undefined;
    const text = block.syntax.open + block.text;
    out.push({ kind: 'malformed', text });
    out.push({ kind: 'content', text });
  }
}

/** Length of the longest suffix that is a proper prefix of an opening marker. */
function partialMarker(text: string): number {
  let best = 0;
  for (const { open } of SYNTAXES) {
    for (let k = Math.min(open.length - 1, text.length); k > best; k--) {
      if (text.endsWith(open.slice(0, k))) {
        best = k;
        break;
      }
    }
  }
  return best;
}
