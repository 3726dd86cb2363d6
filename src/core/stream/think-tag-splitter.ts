/** A piece of `delta.content` classified by the `<think>` tags around it. */
export type ThinkSegment =
  | { kind: 'reasoning'; text: string }
  | { kind: 'content'; text: string }
  /** All content emitted so far (exactly `text`) was reasoning: a lone `</think>` arrived. */
  | { kind: 'contentWasReasoning'; text: string };

const OPEN = '<think>';
const CLOSE = '</think>';

type State =
  /** Nothing decided yet: only whitespace or a prefix of `<think>` seen. */
  | 'start'
  | 'think'
  /** Outside a think block. */
  | 'outside';

export interface ThinkTagSplitterOptions {
  /**
   * The model's template opens `<think>` in the prompt (R1 and its distills): text before
   * `</think>` is reasoning from the first token, so it streams as reasoning live.
   */
  assumeThinking?: boolean;
}

/**
 * Splits streamed content into reasoning and answer by `<think>` tags, incrementally: each
 * push costs its own length plus at most a tag's length held back, because a tag may be split
 * across chunks at any character. Text before a lone `</think>` (no opening tag) is reasoning;
 * it is first emitted as content (nothing marked it as reasoning yet) and then reclassified.
 */
export class ThinkTagSplitter {
  private state: State;
  /** Text not yet classified: a possible partial tag, or leading whitespace at the start. */
  private held = '';
  /** Content emitted while no tag had been seen; reclassified if a lone `</think>` follows. */
  private provisional = '';
  private provisionalOpen = true;
  /** Drop whitespace right after a tag, so the answer does not start with blank lines. */
  private trimLeading = false;

  constructor(options: ThinkTagSplitterOptions = {}) {
    this.state = options.assumeThinking ? 'think' : 'start';
    if (options.assumeThinking) this.provisionalOpen = false;
  }

  /** The stream carries reasoning in a separate field, so content is the answer: never reclassify. */
  reasoningFieldSeen(): void {
    this.provisionalOpen = false;
    this.provisional = '';
  }

  push(text: string): ThinkSegment[] {
    const out: ThinkSegment[] = [];
    let buf = this.held + text;
    this.held = '';
    while (buf.length > 0) {
      if (this.state === 'start') {
        const lead = buf.trimStart();
        if (lead.length === 0) {
          this.held = buf;
          return out;
        }
        if (lead.startsWith(OPEN)) {
          this.state = 'think';
          this.provisionalOpen = false;
          this.trimLeading = true;
          buf = lead.slice(OPEN.length);
          continue;
        }
        if (OPEN.startsWith(lead)) {
          this.held = buf;
          return out;
        }
        this.state = 'outside';
        continue;
      }
      if (this.state === 'think') {
        const close = buf.indexOf(CLOSE);
        if (close >= 0) {
          this.emit(out, 'reasoning', buf.slice(0, close));
          this.state = 'outside';
          this.provisionalOpen = false;
          this.trimLeading = true;
          buf = buf.slice(close + CLOSE.length);
          continue;
        }
        const keep = partialTagSuffix(buf, [CLOSE]);
        this.emit(out, 'reasoning', buf.slice(0, buf.length - keep));
        this.held = buf.slice(buf.length - keep);
        return out;
      }
      // outside: look for the next tag of either kind.
      const open = buf.indexOf(OPEN);
      const close = buf.indexOf(CLOSE);
      if (close >= 0 && (open < 0 || close < open)) {
        const before = buf.slice(0, close);
        if (this.provisionalOpen) {
          // No opening tag was ever seen: everything so far was reasoning.
          if (this.provisional.length > 0) out.push({ kind: 'contentWasReasoning', text: this.provisional });
          this.provisional = '';
          this.provisionalOpen = false;
          this.emit(out, 'reasoning', before);
        } else {
          // A stray closing tag in the answer: keep the text, drop the tag.
          this.emit(out, 'content', before);
        }
        this.trimLeading = true;
        buf = buf.slice(close + CLOSE.length);
        continue;
      }
      if (open >= 0) {
        this.emit(out, 'content', buf.slice(0, open));
        this.state = 'think';
        this.provisionalOpen = false;
        this.provisional = '';
        this.trimLeading = true;
        buf = buf.slice(open + OPEN.length);
        continue;
      }
      const keep = partialTagSuffix(buf, [OPEN, CLOSE]);
      this.emit(out, 'content', buf.slice(0, buf.length - keep));
      this.held = buf.slice(buf.length - keep);
      return out;
    }
    return out;
  }

  /** Releases held text at the end of the stream (or before a tool call): a partial tag is just text. */
  flush(): ThinkSegment[] {
    const out: ThinkSegment[] = [];
    const held = this.held;
    this.held = '';
    if (held.length === 0) return out;
    if (this.state === 'think') this.emit(out, 'reasoning', held);
    else if (this.state === 'outside' || held.trim().length > 0) this.emit(out, 'content', held);
    return out;
  }

  private emit(out: ThinkSegment[], kind: 'reasoning' | 'content', text: string): void {
    if (this.trimLeading) {
      text = text.replace(/^\s+/, '');
      if (text.length === 0) return;
      this.trimLeading = false;
    }
    if (text.length === 0) return;
    if (kind === 'content' && this.provisionalOpen) this.provisional += text;
    const last = out[out.length - 1];
    if (last && last.kind === kind) last.text += text;
    else out.push({ kind, text });
  }
}

/** Length of the longest suffix of `text` that is a proper prefix of one of `tags`. */
function partialTagSuffix(text: string, tags: readonly string[]): number {
  const lt = text.lastIndexOf('<');
  if (lt < 0) return 0;
  const tail = text.slice(lt);
  for (const tag of tags) {
    if (tail.length < tag.length && tag.startsWith(tail)) return tail.length;
  }
  return 0;
}
