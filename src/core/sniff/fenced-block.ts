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
const MAX_LINE = 4096;

/**
 * Finds fenced code blocks (a line starting with ``` opens one, the next such line closes it)
 * in streamed text, each handed out once when its closing fence's line ends. Costs O(chunk)
 * and keeps at most one block, one line and a short lead in memory.
 */
export class FencedBlockReader {
  private line = '';
  private lineStart = 0;
  private length = 0;
  private tail = '';
  private block: { lines: string[]; size: number; language: string; start: number; lead: string } | undefined;

  push(text: string): FencedBlock[] {
    let out: FencedBlock[] | undefined;
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      const done = this.endLine(this.line + text.slice(from, nl), nl + 1 - from);
      if (done) (out ??= []).push(done);
      this.line = '';
      from = nl + 1;
    }
    if (from < text.length) {
      this.line += text.slice(from);
      this.length += text.length - from;
      // A line this long is no fence; only its end matters for the lead.
      if (this.line.length > MAX_LINE) {
        this.tail = (this.tail + this.line).slice(-LEAD_LENGTH);
        this.lineStart += this.line.length;
        this.line = '';
        this.block = undefined;
      }
    }
    return out ?? NO_BLOCKS;
  }

  /** The block the last line closes, if the text ends on a closing fence; a block left open is not a whole command. */
  flush(): FencedBlock[] {
    const done = this.line.length > 0 ? this.endLine(this.line, 0) : undefined;
    this.block = undefined;
    this.line = '';
    return done ? [done] : NO_BLOCKS;
  }

  private endLine(line: string, added: number): FencedBlock | undefined {
    this.length += added;
    const start = this.lineStart;
    this.lineStart = this.length;
    const fence = /^\s{0,3}```\s*([\w+-]*)\s*$/.exec(line);
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
      this.block = { lines: [], size: 0, language: fence[1]!.toLowerCase(), start, lead: this.tail };
    }
    this.tail = (this.tail + line + '\n').slice(-LEAD_LENGTH);
    return done;
  }
}

const NO_BLOCKS: FencedBlock[] = [];
