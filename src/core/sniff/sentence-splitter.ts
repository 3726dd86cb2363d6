/** One finished sentence of the reasoning and where it starts. */
export interface Sentence {
  text: string;
  start: number;
}

/** A sentence is cut here at the latest, open brace or not, so memory stays bounded. */
export const MAX_SENTENCE = 4096;

/**
 * Cuts streamed text into sentences, each handed out once: a sentence ends at whitespace after
 * `.`, `!` or `?`, or at a newline, but never inside an open `{…}` or `[…]` (a JSON argument
 * object may span lines) nor inside a double- or back-quoted string on its line. Costs O(chunk):
 * each character is looked at once, with its state (brace depth, open quote) carried over.
 */
export class SentenceSplitter {
  /** The unfinished sentence, as the chunks it came in (joined only when it ends). */
  private parts: string[] = [];
  private partsLength = 0;
  private start = 0;
  private depth = 0;
  private quote = 0;
  private previous = 0;

  push(text: string): Sentence[] {
    let out: Sentence[] | undefined;
    let cut = 0;
    // The scan state lives in locals on the per-character path and is written back once.
    let depth = this.depth;
    let quote = this.quote;
    let previous = this.previous;
    // A sentence reaches MAX_SENTENCE at this index of the chunk, counting what came before.
    let limit = MAX_SENTENCE - 1 - this.partsLength;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      const before = previous;
      previous = c;
      let end = false;
      if (quote !== 0) {
        if (c === quote || c === 10) quote = 0;
        if (c === 10 && depth === 0) end = true;
      } else if (c === 34 || c === 96) quote = c;
      else if (c === 123 || c === 91) depth++;
      else if ((c === 125 || c === 93) && depth > 0) depth--;
      else if (depth === 0) end = c === 10 || ((c === 32 || c === 9 || c === 13) && isStop(before));
      if (!end && i - cut < limit) continue;
      const piece = text.slice(cut, i + 1);
      const whole = this.parts.length > 0 ? this.parts.join('') + piece : piece;
      if (NOT_BLANK.test(whole)) (out ??= []).push({ text: whole, start: this.start });
      this.start += whole.length;
      this.parts = [];
      this.partsLength = 0;
      limit = MAX_SENTENCE - 1;
      cut = i + 1;
      if (!end) {
        depth = 0;
        quote = 0;
      }
    }
    this.depth = depth;
    this.quote = quote;
    this.previous = previous;
    if (cut < text.length) {
      const rest = cut === 0 ? text : text.slice(cut);
      this.parts.push(rest);
      this.partsLength += rest.length;
    }
    return out ?? NO_SENTENCES;
  }

  /** The unfinished last sentence, if any; the splitter is empty afterwards. */
  flush(): Sentence[] {
    const rest = this.parts.join('');
    const start = this.start;
    this.start += rest.length;
    this.parts = [];
    this.partsLength = 0;
    this.depth = 0;
    this.quote = 0;
    return NOT_BLANK.test(rest) ? [{ text: rest, start }] : NO_SENTENCES;
  }
}

const NO_SENTENCES: Sentence[] = [];
/** Some character other than whitespace (as `trim` counts it), found without copying the sentence. */
const NOT_BLANK = /\S/;

function isStop(c: number): boolean {
  return c === 46 || c === 33 || c === 63;
}
