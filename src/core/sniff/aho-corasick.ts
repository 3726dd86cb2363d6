/** A literal found in the stream: which one, and where it ends (absolute offset, exclusive). */
export interface LiteralHit {
  id: number;
  end: number;
}

const ASCII = 128;
const NO_HITS: LiteralHit[] = [];
/** Shared until a matcher of marked characters needs its own (a typed array costs to make, per turn). */
const NO_MARKS = new Int32Array(0);

/**
 * The compiled automaton for a set of literals (Aho-Corasick), matched without case. Characters
 * are first mapped to classes (one per character some literal uses, one for all the others), so
 * the full transition table has a narrow row per state, small enough to stay in cache, and a
 * character costs two table lookups. Some characters can be `marked`: a matcher then also
 * reports where each of them occurs, in the same pass (a sentence splitter needs no other).
 * Immutable: many matchers can share it.
 */
export class LiteralAutomaton {
  /** Literal ids ending at each state (by row: states in breadth-first order), including through failure links. */
  readonly outputs: number[][] = [[]];
  readonly lengths: number[] = [];
  /** Columns per state: the number of character classes. */
  readonly width: number;
  /** The marked characters have classes 1 to `markedClasses`. */
  readonly markedClasses: number;
  /** Class of each ASCII code, upper case folded in; 0 for a character no literal uses. */
  readonly asciiClass: Uint16Array;
  /**
   * delta[row + class] for a state's row (its id times `width`): the row of the next state,
   * failure links already followed, negated when that state ends some literal (the root,
   * row 0, never does), so the hot loop needs no second lookup to know there is a hit.
   */
  readonly delta: Int32Array;
  /** Class by folded code, for characters outside ASCII. */
  private readonly foldedClass = new Map<number, number>();
  /** Class by raw code outside ASCII, filled as the stream meets them (at most one entry per code unit). */
  private readonly seenClass = new Map<number, number>();

  /** `marked`: ASCII characters whose positions matchers report (see `LiteralMatcher.marks`). */
  constructor(literals: readonly string[], marked = '') {
    // The trie, by folded char code.
    const next: Map<number, number>[] = [new Map()];
    const fail: number[] = [0];
    literals.forEach((literal, id) => {
      this.lengths.push(literal.length);
      if (literal.length === 0) return;
      let s = 0;
      for (let i = 0; i < literal.length; i++) {
        const code = foldCode(literal.charCodeAt(i));
        let t = next[s]!.get(code);
        if (t === undefined) {
          t = next.length;
          next.push(new Map());
          fail.push(0);
          this.outputs.push([]);
          next[s]!.set(code, t);
        }
        s = t;
      }
      this.outputs[s]!.push(id);
    });
    // Breadth-first, so a state's failure target is complete before its children use it.
    const order: number[] = [0];
    for (let head = 0; head < order.length; head++) {
      const s = order[head]!;
      for (const [code, t] of next[s]!) {
        if (s !== 0) {
          let f = fail[s]!;
          while (f !== 0 && !next[f]!.has(code)) f = fail[f]!;
          const target = next[f]!.get(code);
          fail[t] = target !== undefined && target !== t ? target : 0;
          const inherited = this.outputs[fail[t]!]!;
          if (inherited.length > 0) this.outputs[t] = [...this.outputs[t]!, ...inherited];
        }
        order.push(t);
      }
    }
    // One class per folded code the literals use; every other character leads back to the root from anywhere.
    const codes: number[] = [];
    for (let i = 0; i < marked.length; i++) {
      const code = marked.charCodeAt(i);
      if (code >= ASCII || foldCode(code) !== code || this.foldedClass.has(code)) throw new Error(`cannot mark ${JSON.stringify(marked[i])}: marks are distinct ASCII characters that are not upper-case letters`);
      this.foldedClass.set(code, codes.push(code));
    }
    this.markedClasses = codes.length;
    for (const edges of next) for (const code of edges.keys()) if (!this.foldedClass.has(code)) this.foldedClass.set(code, codes.push(code));
    const width = codes.length + 1;
    this.width = width;
    this.asciiClass = new Uint16Array(ASCII);
    for (let c = 0; c < ASCII; c++) this.asciiClass[c] = this.foldedClass.get(foldCode(c)) ?? 0;
    const stateOf = new Int32Array(next.length * width);
    for (const s of order) {
      for (let k = 1; k < width; k++) {
        const direct = next[s]!.get(codes[k - 1]!);
        stateOf[s * width + k] = direct !== undefined ? direct : s === 0 ? 0 : stateOf[fail[s]! * width + k]!;
      }
    }
    // Rows in breadth-first order: the shallow states, where the text mostly is, share cache lines.
    const rank = new Int32Array(next.length);
    order.forEach((s, r) => (rank[s] = r));
    const outputs = this.outputs;
    this.outputs = order.map((s) => outputs[s]!);
    this.delta = new Int32Array(next.length * width);
    for (const s of order) {
      const from = s * width;
      const row = rank[s]! * width;
      for (let k = 0; k < width; k++) {
        const t = stateOf[from + k]!;
        this.delta[row + k] = outputs[t]!.length > 0 ? -rank[t]! * width : rank[t]! * width;
      }
    }
  }

  /** The class of a character outside ASCII. */
  classOf(code: number): number {
    let k = this.seenClass.get(code);
    if (k === undefined) {
      k = this.foldedClass.get(foldCode(code)) ?? 0;
      this.seenClass.set(code, k);
    }
    return k;
  }
}

/**
 * Finds many literals at once in a stream fed chunk by chunk, case-insensitively, in time
 * linear in the text whatever the number of literals. The automaton's state carries over
 * between chunks, so a literal split across chunks is still found, with no look-back.
 */
export class LiteralMatcher {
  private readonly automaton: LiteralAutomaton;
  /** The current state's row in the automaton's table. */
  private row = 0;
  private offset = 0;
  /** Positions, in the last chunk pushed, of the automaton's marked characters: `marks[0..markCount)`. */
  marks = NO_MARKS;
  markCount = 0;

  /** Builds (or shares) the automaton; `literals[i]` is reported as id `i`. Empty literals are ignored. */
  constructor(literals: readonly string[] | LiteralAutomaton) {
    this.automaton = literals instanceof LiteralAutomaton ? literals : new LiteralAutomaton(literals);
  }

  /** How many characters have been fed so far. */
  get position(): number {
    return this.offset;
  }

  /** The length of literal `id`. */
  lengthOf(id: number): number {
    return this.automaton.lengths[id] ?? 0;
  }

  /** Feeds the next piece of the stream; returns the literals that end inside it. */
  push(text: string): LiteralHit[] {
    let hits = NO_HITS;
    const a = this.automaton;
    const delta = a.delta;
    const ascii = a.asciiClass;
    let row = this.row;
    const base = this.offset;
    const marked = a.markedClasses;
    const outputs = a.outputs;
    const width = a.width;
    if (marked > 0 && this.marks.length < text.length) this.marks = new Int32Array(Math.max(64, text.length, 2 * this.marks.length));
    const marks = this.marks;
    let markCount = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      const cls = code < ASCII ? ascii[code]! : a.classOf(code);
      if (cls <= marked && cls !== 0) marks[markCount++] = i;
      const to = delta[row + cls]!;
      if (to >= 0) {
        row = to;
        continue;
      }
      row = -to;
      if (hits === NO_HITS) hits = [];
      const ids = outputs[(row / width) | 0]!;
      for (let k = 0; k < ids.length; k++) hits.push({ id: ids[k]!, end: base + i + 1 });
    }
    this.row = row;
    this.offset = base + text.length;
    this.markCount = markCount;
    return hits;
  }

  /** Starts over, as for a new turn. */
  reset(): void {
    this.row = 0;
    this.offset = 0;
  }
}

/** ASCII letters fold to lower case inline (the hot path); others through toLowerCase. */
function foldCode(code: number): number {
  if (code >= 65 && code <= 90) return code + 32;
  if (code < 128) return code;
  const lower = String.fromCharCode(code).toLowerCase();
  return lower.length === 1 ? lower.charCodeAt(0) : code;
}
