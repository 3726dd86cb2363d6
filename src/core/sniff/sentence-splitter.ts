/** One finished sentence of the reasoning and where it starts. */
export interface Sentence {
  text: string;
  start: number;
  /** It has a `{` somewhere (quoted or not): it may write out a call's arguments. */
  brace: boolean;
}

/** A sentence is cut here at the latest, open brace or not, so memory stays bounded. */
export const MAX_SENTENCE = 4096;

/**
 * The only characters the splitter needs to see: quotes, brackets, newline and the stops. A
 * caller that already reads every character (the literal automaton) can hand their positions
 * over (`pushMarked`), so the text is not read twice.
 */
export const SENTENCE_MARKS = '"`{}[]\n.!?';

/**
 * Cuts streamed text into sentences, each handed out once: a sentence ends at whitespace after
 * `.`, `!` or `?`, or at a newline, but never inside an open `{…}` or `[…]` (a JSON argument
 * object may span lines) nor inside a double- or back-quoted string on its line. Costs O(chunk),
 * and only the marked characters (see SENTENCE_MARKS) are looked at one by one, with the state
 * (brace depth, open quote) carried over.
 */
export class SentenceSplitter {
  /** The unfinished sentence (joined with the rest of it only when it ends, never flattened here). */
  private pending = '';
  private start = 0;
  private depth = 0;
  private quote = 0;
  /** The last character of the previous chunk, for a stop whose whitespace comes in the next one. */
  private previous = 0;
  /** Nothing but whitespace in the unfinished sentence so far. */
  private blank = true;
  private brace = false;
  /** Mark positions for `push` (a caller with its own marks never needs it). */
  private marks: Int32Array | undefined;

  /**
   * Whether `n` more characters with no marked character among them would end no sentence:
   * no stop just before them, and the length bound not reached. A caller may then hold them
   * back and hand them over joined to a later chunk, with the same sentences as a result.
   */
  wouldAbsorb(n: number): boolean {
    return !isStop(this.previous) && this.pending.length + n < MAX_SENTENCE;
  }

  /** Feeds the next chunk; returns the sentences it finishes. */
  push(text: string): Sentence[] {
    if (this.marks === undefined || this.marks.length < text.length) this.marks = new Int32Array(Math.max(64, text.length, 2 * (this.marks?.length ?? 0)));
    const marks = this.marks;
    let count = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 128 && MARKED[c] !== 0) marks[count++] = i;
    }
    return this.pushMarked(text, marks, count);
  }

  /**
   * Like `push`, given the positions in `text` of its characters from SENTENCE_MARKS, in
   * order: `marks[0..count)`, and no other.
   */
  pushMarked(text: string, marks: Int32Array, count: number): Sentence[] {
    const n = text.length;
    if (n === 0) return NO_SENTENCES;
    const stopBefore = isStop(this.previous);
    this.previous = text.charCodeAt(n - 1);
    // Most chunks end nothing: no mark, no bound reached, no stop before them.
    if (count === 0 && !stopBefore && this.pending.length + n < MAX_SENTENCE) {
      if (this.blank) this.blank = isBlankRun(text, 0, n);
      this.pending += text;
      return NO_SENTENCES;
    }
    this.text = text;
    this.cut = 0;
    this.out = NO_SENTENCES;
    // The sentence reaches MAX_SENTENCE at this index of the chunk, counting what came before.
    this.limitAt = MAX_SENTENCE - 1 - this.pending.length;
    // A stop ended the previous chunk: this one's first character may end its sentence.
    if (stopBefore && isEndingSpace(text.charCodeAt(0)) && this.quote === 0 && this.depth === 0) this.cutAfter(0, true);
    for (let k = 0; k < count; k++) {
      const p = marks[k]!;
      while (this.limitAt < p) this.cutAfter(this.limitAt, false);
      const c = text.charCodeAt(p);
      const quote = this.quote;
      let end = false;
      if (c === 123) this.brace = true;
      if (quote !== 0) {
        if (c === quote || c === 10) this.quote = 0;
        if (c === 10 && this.depth === 0) end = true;
      } else if (c === 34 || c === 96) this.quote = c;
      else if (c === 123 || c === 91) this.depth++;
      else if (c === 125 || c === 93) {
        if (this.depth > 0) this.depth--;
      } else if (this.depth === 0) end = c === 10;
      if (end || p >= this.limitAt) this.cutAfter(p, end);
      // Whitespace right after a stop, outside quotes and brackets, ends the sentence there
      // (the bound is past it: the sentence was just cut, or it is shorter than the bound here).
      if (isStop(c) && p + 1 < n && this.quote === 0 && this.depth === 0 && isEndingSpace(text.charCodeAt(p + 1))) this.cutAfter(p + 1, true);
    }
    while (this.limitAt < n) this.cutAfter(this.limitAt, false);
    const cut = this.cut;
    if (cut < n) {
      if (this.blank) this.blank = isBlankRun(text, cut, n);
      this.pending += cut === 0 ? text : text.slice(cut);
    }
    const out = this.out;
    this.text = '';
    this.out = NO_SENTENCES;
    return out;
  }

  /** The chunk being cut, where its unfinished part starts, and the sentences it finished so far. */
  private text = '';
  private cut = 0;
  private limitAt = 0;
  private out: Sentence[] = NO_SENTENCES;

  /** Ends the sentence after text[at]; a cut at the bound, not at an end, starts the next one afresh. */
  private cutAfter(at: number, end: boolean): void {
    const piece = this.text.slice(this.cut, at + 1);
    // Joined, not flattened: a sentence nobody reads is never copied into one string.
    const whole = this.pending.length > 0 ? this.pending + piece : piece;
    if (!(this.blank && isBlankRun(this.text, this.cut, at + 1))) (this.out === NO_SENTENCES ? (this.out = []) : this.out).push({ text: whole, start: this.start, brace: this.brace });
    this.start += whole.length;
    this.pending = '';
    this.blank = true;
    this.brace = false;
    this.cut = at + 1;
    this.limitAt = this.cut + MAX_SENTENCE - 1;
    if (!end) {
      this.depth = 0;
      this.quote = 0;
    }
  }

  /** The unfinished last sentence, if any; the splitter is empty afterwards. */
  flush(): Sentence[] {
    const rest = this.pending;
    const start = this.start;
    const sentence = this.blank ? NO_SENTENCES : [{ text: rest, start, brace: this.brace }];
    this.start += rest.length;
    this.pending = '';
    this.depth = 0;
    this.quote = 0;
    this.blank = true;
    this.brace = false;
    return sentence;
  }
}

const NO_SENTENCES: Sentence[] = [];

const MARKED = new Uint8Array(128);
for (let i = 0; i < SENTENCE_MARKS.length; i++) MARKED[SENTENCE_MARKS.charCodeAt(i)] = 1;

/** Whether text[from, to) is all whitespace; stops at the first other character (a sentence's first, as a rule). */
function isBlankRun(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isBlank(text.charCodeAt(i))) return false;
  return true;
}

/** Whitespace as `trim` and `\s` count it. */
function isBlank(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** The whitespace after a stop that ends a sentence (a newline ends one anyway). */
function isEndingSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13;
}

function isStop(c: number): boolean {
  return c === 46 || c === 33 || c === 63;
}
