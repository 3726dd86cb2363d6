import { LiteralMatcher } from './aho-corasick.js';
import { requiredLiterals } from './required-literals.js';

/** A pattern to find in a stream. */
export interface ScanPattern {
  /** The caller's handle, returned with each match. */
  key: number;
  source: string;
  /** Regex flags among i, m, s, u; the scanner adds its own. */
  flags: string;
  /** The longest span a match may cover; bounds the look-back. */
  window: number;
  /**
   * How many characters must follow a match before it is final (default 8): a greedy match
   * can still grow past a separator or an optional part ("978-0" + "-7432", a date + " 16:14").
   */
  settle?: number;
}

/** Characters that must follow a match before it is reported, unless a pattern says otherwise. */
export const DEFAULT_SETTLE = 8;

/** A match found in the stream, with absolute offsets. */
export interface ScanMatch {
  key: number;
  start: number;
  end: number;
  text: string;
  groups: Record<string, string>;
}

interface PatternState {
  pattern: ScanPattern;
  regex: RegExp;
  /** Earliest absolute offset where a match may still start; undefined when idle. */
  pendingFrom: number | undefined;
  /** Once the stream passes this offset, the current trigger can no longer produce a match. */
  pendingUntil: number;
  /** Matches never start before this: nothing is reported twice. */
  floor: number;
  /** Scanned on every chunk, because no literal is required in its matches. */
  unfiltered: boolean;
}

/**
 * Finds regex matches in a stream fed chunk by chunk. A pattern is run only near an
 * occurrence of a literal its matches must contain (found by one Aho-Corasick pass over the
 * new text), within its window; patterns with no such literal are run over at most a window
 * of look-back per chunk. A match that ends within `settle` characters of the end of the text
 * so far is held until more text arrives (a greedy capture could still grow), or until `flush`.
 */
export class PatternScanner {
  private readonly states: PatternState[];
  private readonly matcher: LiteralMatcher;
  /** For each literal id, the states it triggers. */
  private readonly triggers: PatternState[][] = [];
  private readonly maxWindow: number;
  private tail = '';
  private tailStart = 0;
  private end = 0;

  /** Patterns that fail to compile are left out; `rejected` lists their keys and errors. */
  readonly rejected: { key: number; error: string }[] = [];

  constructor(patterns: readonly ScanPattern[]) {
    this.states = [];
    const literalIds = new Map<string, number>();
    const literals: string[] = [];
    for (const pattern of patterns) {
      let regex: RegExp;
      try {
        regex = new RegExp(pattern.source, `${pattern.flags.replace(/[gyd]/g, '')}g`);
      } catch (err) {
        this.rejected.push({ key: pattern.key, error: err instanceof Error ? err.message : String(err) });
        continue;
      }
      const required = requiredLiterals(pattern.source, pattern.flags);
      const state: PatternState = { pattern, regex, pendingFrom: undefined, pendingUntil: 0, floor: 0, unfiltered: required === undefined };
      this.states.push(state);
      for (const literal of required ?? []) {
        let id = literalIds.get(literal);
        if (id === undefined) {
          id = literals.length;
          literals.push(literal);
          literalIds.set(literal, id);
          this.triggers.push([]);
        }
        this.triggers[id]!.push(state);
      }
    }
    this.matcher = new LiteralMatcher(literals);
    this.maxWindow = Math.max(64, ...this.states.map((s) => s.pattern.window));
  }

  /** Patterns without a required literal, which cost a window of scanning per chunk. */
  get unfilteredKeys(): number[] {
    return this.states.filter((s) => s.unfiltered).map((s) => s.pattern.key);
  }

  /** Absolute length of the stream so far. */
  get length(): number {
    return this.end;
  }

  push(text: string): ScanMatch[] {
    if (text.length === 0) return [];
    this.tail += text;
    this.end += text.length;
    for (const hit of this.matcher.push(text)) {
      const literalStart = hit.end - this.matcher.lengthOf(hit.id);
      for (const state of this.triggers[hit.id]!) {
        const from = Math.max(state.floor, hit.end - state.pattern.window);
        state.pendingFrom = state.pendingFrom === undefined ? from : Math.min(state.pendingFrom, from);
        state.pendingUntil = Math.max(state.pendingUntil, literalStart + state.pattern.window);
      }
    }
    const out: ScanMatch[] = [];
    for (const state of this.states) {
      if (state.unfiltered) {
        state.pendingFrom = Math.max(state.floor, state.pendingFrom ?? 0, this.end - text.length - state.pattern.window);
        state.pendingUntil = Number.POSITIVE_INFINITY;
      }
      if (state.pendingFrom !== undefined) this.scan(state, false, out);
    }
    this.trim();
    return out;
  }

  /** The stream ended: matches held because they touched the end are reported now. */
  flush(): ScanMatch[] {
    const out: ScanMatch[] = [];
    for (const state of this.states) if (state.pendingFrom !== undefined) this.scan(state, true, out);
    return out;
  }

  private scan(state: PatternState, final: boolean, out: ScanMatch[]): void {
    const regex = state.regex;
    const from = Math.max(state.pendingFrom ?? 0, this.tailStart);
    regex.lastIndex = from - this.tailStart;
    for (;;) {
      const m = regex.exec(this.tail);
      if (m === null) break;
      if (m[0].length === 0) {
        regex.lastIndex++;
        continue;
      }
      const start = this.tailStart + m.index;
      const end = start + m[0].length;
      if (!final && end + (state.pattern.settle ?? DEFAULT_SETTLE) > this.end) {
        // Too close to the end: more text could still change it. Look again from here next time.
        state.pendingFrom = start;
        return;
      }
      out.push({ key: state.pattern.key, start, end, text: m[0], groups: definedGroups(m.groups) });
      state.floor = end;
    }
    if (final || this.end >= state.pendingUntil) {
      state.pendingFrom = undefined;
      state.pendingUntil = 0;
    } else {
      state.pendingFrom = Math.max(state.floor, this.end - state.pattern.window);
    }
  }

  private trim(): void {
    if (this.tail.length <= this.maxWindow * 4) return;
    let keepFrom = this.end - this.maxWindow * 2;
    for (const s of this.states) if (s.pendingFrom !== undefined && !s.unfiltered) keepFrom = Math.min(keepFrom, s.pendingFrom);
    keepFrom = Math.max(keepFrom, this.end - this.maxWindow * 3);
    if (keepFrom <= this.tailStart) return;
    this.tail = this.tail.slice(keepFrom - this.tailStart);
    this.tailStart = keepFrom;
  }
}

function definedGroups(groups: Record<string, string | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!groups) return out;
  for (const [k, v] of Object.entries(groups)) if (v !== undefined) out[k] = v;
  return out;
}
