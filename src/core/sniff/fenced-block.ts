/** A fenced code block that ended, with the text just before its opening fence. */
export interface FencedBlock {
  /** The lines between the fences, without the last line break. */
  code: string;
  /** The word after the opening fence (```bash), lower case; empty when none. */
  language: string;
  /** Offsets of the opening fence's line start and the closing fence's end, in all text pushed. */
  start: number;
  end: number;
  /** Up to LEAD_LENGTH characters before the opening fence. */
  lead: string;
}

/** A block longer than this is dropped: commands and code to run early are short. */
export const MAX_BLOCK = 4096;
const LEAD_LENGTH = 160;
/** A line longer than this is no fence (```, a language word, spaces): outside a block it is not kept. */
const MAX_FENCE_LINE = 256;
/** The recent text kept for leads: trimmed to RECENT_KEEP characters once it reaches twice that. */
const RECENT_KEEP = 1024;
const FENCE = /^\s{0,3}```\s*([\w+-]*)\s*$/;

/**
 * Finds fenced code blocks (a line starting with ``` opens one, the next such line closes it)
 * in streamed text, each handed out once when its closing fence's line ends. Costs O(chunk):
 * outside a block only a line short enough to be a fence is kept, and the lead comes from a
 * bounded window of recent text; it keeps at most one block, one short line and that window.
 */
export class FencedBlockReader {
  /** The current line so far, while it may still be a fence or belongs to a block; else undefined. */
  private line: string | undefined = '';
  private lineStart = 0;
  private length = 0;
  /** The last stretch of text, starting at offset `recentStart`, for a fence's lead. */
  private recent = '';
  private recentStart = 0;
  private block: { lines: string[]; size: number; language: string; start: number; lead: string } | undefined;

  push(text: string): FencedBlock[] {
    let out: FencedBlock[] | undefined;
    this.recent += text;
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      const done = this.endLine(this.extend(text, from, nl), nl - from);
      if (done) (out ??= []).push(done);
      this.length += 1;
      this.lineStart = this.length;
      this.line = '';
      from = nl + 1;
    }
    if (from < text.length) {
      this.line = this.extend(text, from, text.length);
      this.length += text.length - from;
    }
    if (this.recent.length >= 2 * RECENT_KEEP) {
      const drop = this.recent.length - RECENT_KEEP;
      this.recent = this.recent.slice(drop);
      this.recentStart += drop;
    }
    return out ?? NO_BLOCKS;
  }

  /** The block the last line closes, if the text ends on a closing fence; a block left open is not a whole command. */
  flush(): FencedBlock[] {
    const done = this.length > this.lineStart ? this.endLine(this.line, 0) : undefined;
    this.block = undefined;
    this.line = '';
    return done ? [done] : NO_BLOCKS;
  }

  /** The current line with text[from, to) added, or undefined once it can matter to nobody. */
  private extend(text: string, from: number, to: number): string | undefined {
    const line = this.line;
    if (line === undefined) return undefined;
    const joined = from === to ? line : line.length === 0 ? text.slice(from, to) : line + text.slice(from, to);
    if (joined.length <= MAX_FENCE_LINE) return joined;
    if (this.block === undefined) return undefined;
    if (this.block.size + joined.length > MAX_BLOCK) {
      this.block = undefined;
      return undefined;
    }
    return joined;
  }

  /** Ends the current line (`line`, or undefined when it was too long to keep), `added` characters since the last call. */
  private endLine(line: string | undefined, added: number): FencedBlock | undefined {
    this.length += added;
    const start = this.lineStart;
    if (line === undefined) {
      // Too long for a fence; inside a block it made the block too long.
      this.block = undefined;
      return undefined;
    }
    const fence = line.length > 2 && line.includes('```') ? FENCE.exec(line) : null;
    let done: FencedBlock | undefined;
    if (this.block) {
      if (fence && fence[1] === '') {
        const b = this.block;
        done = { code: b.lines.join('\n'), language: b.language, start: b.start, end: start + line.length, lead: b.lead };
        this.block = undefined;
      } else {
        this.block.lines.push(line);
        this.block.size += line.length + 1;
        if (this.block.size > MAX_BLOCK) this.block = undefined;
      }
    } else if (fence) {
      const from = Math.max(this.recentStart, start - LEAD_LENGTH);
      this.block = { lines: [], size: 0, language: fence[1]!.toLowerCase(), start, lead: this.recent.slice(from - this.recentStart, start - this.recentStart) };
    }
    return done;
  }
}

const NO_BLOCKS: FencedBlock[] = [];
