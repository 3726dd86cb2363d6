/** A literal found in the stream: which one, and where it ends (absolute offset, exclusive). */
export interface LiteralHit {
  id: number;
  end: number;
}

/**
 * Finds many literals at once in a stream fed chunk by chunk, case-insensitively, in time
 * linear in the text whatever the number of literals (Aho-Corasick). The automaton's state
 * carries over between chunks, so a literal split across chunks is still found, with no
 * look-back and no rescanning.
 */
export class LiteralMatcher {
  /** Transitions per state: lower-cased char code -> next state. */
  private readonly next: Map<number, number>[] = [new Map()];
  private readonly fail: number[] = [0];
  /** Literal ids ending at each state, including those reached through failure links. */
  private readonly outputs: number[][] = [[]];
  private readonly literalLengths: number[] = [];
  private state = 0;
  private offset = 0;

  /** Builds the automaton; `literals[i]` is reported as id `i`. Empty literals are ignored. */
  constructor(literals: readonly string[]) {
    literals.forEach((literal, id) => {
      this.literalLengths.push(literal.length);
      if (literal.length === 0) return;
      let s = 0;
      for (const code of foldCodes(literal)) {
        let t = this.next[s]!.get(code);
        if (t === undefined) {
          t = this.next.length;
          this.next.push(new Map());
          this.fail.push(0);
          this.outputs.push([]);
          this.next[s]!.set(code, t);
        }
        s = t;
      }
      this.outputs[s]!.push(id);
    });
    // Breadth-first, so each state's failure target is finished before its children need it.
    const queue: number[] = [...this.next[0]!.values()];
    for (let head = 0; head < queue.length; head++) {
      const s = queue[head]!;
      for (const [code, t] of this.next[s]!) {
        let f = this.fail[s]!;
        while (f !== 0 && !this.next[f]!.has(code)) f = this.fail[f]!;
        const target = this.next[f]!.get(code);
        this.fail[t] = target !== undefined && target !== t ? target : 0;
        const inherited = this.outputs[this.fail[t]!]!;
        if (inherited.length > 0) this.outputs[t] = [...this.outputs[t]!, ...inherited];
        queue.push(t);
      }
    }
  }

  /** How many characters have been fed so far. */
  get position(): number {
    return this.offset;
  }

  /** The length of literal `id`. */
  lengthOf(id: number): number {
    return this.literalLengths[id] ?? 0;
  }

  /** Feeds the next piece of the stream; returns the literals that end inside it. */
  push(text: string): LiteralHit[] {
    const hits: LiteralHit[] = [];
    let s = this.state;
    const base = this.offset;
    for (let i = 0; i < text.length; i++) {
      const code = foldCode(text.charCodeAt(i));
      let t = this.next[s]!.get(code);
      while (t === undefined && s !== 0) {
        s = this.fail[s]!;
        t = this.next[s]!.get(code);
      }
      s = t ?? 0;
      const out = this.outputs[s]!;
      if (out.length > 0) for (const id of out) hits.push({ id, end: base + i + 1 });
    }
    this.state = s;
    this.offset = base + text.length;
    return hits;
  }

  /** Starts over, as for a new turn. */
  reset(): void {
    this.state = 0;
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

function foldCodes(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) out.push(foldCode(text.charCodeAt(i)));
  return out;
}
