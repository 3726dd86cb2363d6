/** A literal found in the stream: which one, and where it ends (absolute offset, exclusive). */
export interface LiteralHit {
  id: number;
  end: number;
}

const ASCII = 128;
const NO_HITS: LiteralHit[] = [];

/**
 * The compiled automaton for a set of literals (Aho-Corasick), matched without case. For ASCII
 * input every state has a full transition row, so a character costs one table lookup; other
 * characters go through the goto/failure maps. Immutable: many matchers can share it.
 */
export class LiteralAutomaton {
  /** Goto transitions per state, by folded char code (all codes). */
  private readonly next: Map<number, number>[] = [new Map()];
  private readonly fail: number[] = [0];
  /** Literal ids ending at each state, including through failure links. */
  readonly outputs: number[][] = [[]];
  readonly lengths: number[] = [];
  /** delta[state * 128 + code] for ASCII codes, failure links already followed. */
  readonly delta: Int32Array;
  /** 1 where a state ends some literal: the hot loop tests this, not the outputs array. */
  readonly terminal: Uint8Array;

  constructor(literals: readonly string[]) {
    literals.forEach((literal, id) => {
      this.lengths.push(literal.length);
      if (literal.length === 0) return;
      let s = 0;
      for (let i = 0; i < literal.length; i++) {
        const code = foldCode(literal.charCodeAt(i));
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
    // Breadth-first, so a state's failure target is complete before its children use it.
    const order: number[] = [0];
    for (let head = 0; head < order.length; head++) {
      const s = order[head]!;
      for (const [code, t] of this.next[s]!) {
        if (s !== 0) {
          let f = this.fail[s]!;
          while (f !== 0 && !this.next[f]!.has(code)) f = this.fail[f]!;
          const target = this.next[f]!.get(code);
          this.fail[t] = target !== undefined && target !== t ? target : 0;
          const inherited = this.outputs[this.fail[t]!]!;
          if (inherited.length > 0) this.outputs[t] = [...this.outputs[t]!, ...inherited];
        }
        order.push(t);
      }
    }
    this.terminal = new Uint8Array(this.next.length);
    this.outputs.forEach((o, state) => (this.terminal[state] = o.length > 0 ? 1 : 0));
    this.delta = new Int32Array(this.next.length * ASCII);
    for (const s of order) {
      for (let c = 0; c < ASCII; c++) {
        const direct = this.next[s]!.get(c);
        this.delta[s * ASCII + c] = direct !== undefined ? direct : s === 0 ? 0 : this.delta[this.fail[s]! * ASCII + c]!;
      }
    }
  }

  /** The state after `code` (already folded) from state `s`. */
  step(s: number, code: number): number {
    if (code < ASCII) return this.delta[s * ASCII + code]!;
    let t = this.next[s]!.get(code);
    while (t === undefined && s !== 0) {
      s = this.fail[s]!;
      t = this.next[s]!.get(code);
    }
    return t ?? 0;
  }
}

/**
 * Finds many literals at once in a stream fed chunk by chunk, case-insensitively, in time
 * linear in the text whatever the number of literals. The automaton's state carries over
 * between chunks, so a literal split across chunks is still found, with no look-back.
 */
export class LiteralMatcher {
  private readonly automaton: LiteralAutomaton;
  private state = 0;
  private offset = 0;

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
    const terminal = a.terminal;
    let s = this.state;
    const base = this.offset;
    for (let i = 0; i < text.length; i++) {
      let code = text.charCodeAt(i);
      if (code >= 65 && code <= 90) code += 32;
      s = code < ASCII ? delta[s * ASCII + code]! : a.step(s, foldCode(code));
      if (terminal[s] !== 0) {
        if (hits === NO_HITS) hits = [];
        for (const id of a.outputs[s]!) hits.push({ id, end: base + i + 1 });
      }
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
