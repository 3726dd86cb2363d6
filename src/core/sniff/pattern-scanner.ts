import { compileSafely, patternSafety, redosBudget } from '../rules/safe-pattern.js';
import { LiteralAutomaton, LiteralMatcher, type LiteralHit } from './aho-corasick.js';
import { prefixLiterals, requiredLiterals } from './required-literals.js';

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

interface CompiledPattern {
  pattern: ScanPattern;
  /**
   * Shared by every scanner of the set: safe because scanning is synchronous and `lastIndex`
   * is set before every use.
   */
  regex: RegExp;
  settle: number;
  /** Scanned on every chunk, because no literal is required in its matches. */
  unfiltered: boolean;
  /**
   * Set when every match starts with one of its literals: then it is tried only where those
   * occur, anchored (sticky), instead of scanning its window.
   */
  sticky?: RegExp;
}

/**
 * Patterns compiled once (regexes, required literals, one literal automaton) and shared by the
 * scanners of every turn that uses them; building it parses each regex, scanning never does.
 * Each is compiled as `patternSafety` allows (risky shapes on the linear-time engine), so no
 * match can hang.
 */
export class PatternSet {
  readonly compiled: CompiledPattern[] = [];
  readonly automaton: LiteralAutomaton;
  /** The trigger literals, by id: a shared automaton built from them can feed `pushHits`. */
  readonly literals: readonly string[];
  /** For each literal id, the indexes (into `compiled`) of the patterns it triggers. */
  readonly triggers: number[][] = [];
  readonly maxWindow: number;
  /** A literal ending in the next chunk may have started this far back in the text already seen. */
  readonly longestLiteral: number;
  /** Some pattern may match before the literal that triggers it, so text must be kept a window back. */
  readonly needsLookback: boolean;
  /** Patterns that fail to compile, or could backtrack catastrophically, are left out; these are their keys and errors. */
  readonly rejected: { key: number; error: string }[] = [];

  constructor(patterns: readonly ScanPattern[]) {
    const literalIds = new Map<string, number>();
    const literals: string[] = [];
    const budget = redosBudget();
    for (const pattern of patterns) {
      const flags = pattern.flags.replace(/[gyd]/g, '');
      // Verdicts are remembered by source and flags: patterns of parsed rules were judged at parse time.
      const safety = patternSafety(pattern.source, flags, budget);
      const regex = compileSafely(pattern.source, flags, safety, 'g');
      if (regex === undefined) {
        this.rejected.push({ key: pattern.key, error: safety.kind === 'invalid' ? safety.message : 'it could backtrack catastrophically' });
        continue;
      }
      const prefix = prefixLiterals(pattern.source, pattern.flags);
      const required = prefix ?? requiredLiterals(pattern.source, pattern.flags);
      const index = this.compiled.length;
      this.compiled.push({
        pattern,
        regex,
        settle: pattern.settle ?? DEFAULT_SETTLE,
        unfiltered: required === undefined,
        ...(prefix ? { sticky: compileSafely(pattern.source, flags, safety, 'y')! } : {}),
      });
      for (const literal of required ?? []) {
        let id = literalIds.get(literal);
        if (id === undefined) {
          id = literals.length;
          literals.push(literal);
          literalIds.set(literal, id);
          this.triggers.push([]);
        }
        this.triggers[id]!.push(index);
      }
    }
    this.automaton = new LiteralAutomaton(literals);
    this.literals = literals;
    this.longestLiteral = Math.max(0, ...literals.map((l) => l.length));
    this.maxWindow = Math.max(64, ...this.compiled.map((c) => c.pattern.window));
    this.needsLookback = this.compiled.some((c) => !c.sticky);
  }

  /** Patterns without a required literal, which cost a window of scanning per chunk. */
  get unfilteredKeys(): number[] {
    return this.compiled.filter((c) => c.unfiltered).map((c) => c.pattern.key);
  }
}

const NO_MATCHES: ScanMatch[] = [];

/**
 * Finds regex matches in a stream fed chunk by chunk. A pattern is run only near an
 * occurrence of a literal its matches must contain (found by one Aho-Corasick pass over the
 * new text), within its window; patterns with no such literal are run over at most a window
 * of look-back per chunk. A match that ends within `settle` characters of the end of the text
 * so far is held until more text arrives (a greedy capture could still grow), or until `flush`.
 * A chunk with no literal hit and no pattern waiting costs one pass of the automaton.
 */
export class PatternScanner {
  private readonly set: PatternSet;
  private readonly matcher: LiteralMatcher;
  /** Per compiled pattern: earliest absolute offset a match may still start at; -1 when idle. */
  private readonly pendingFrom: Float64Array;
  /** Per pattern: once the stream passes this offset, its trigger can produce no more matches. */
  private readonly pendingUntil: Float64Array;
  /** Per pattern: matches never start before this, so nothing is reported twice. */
  private readonly floor: Float64Array;
  /** Per anchored pattern: where its literal started, each a possible match start still open. */
  private readonly starts: (number[] | undefined)[];
  /** Per anchored pattern, parallel to `starts`: the stream length at which to try each again. */
  private readonly nextTry: (number[] | undefined)[];
  /** Indexes of patterns waiting for text (unfiltered ones always are). */
  private active: number[] = [];
  private readonly isActive: Uint8Array;
  /** Patterns switched off for the rest of the stream. */
  private readonly disabled: Uint8Array;
  private tail = '';
  private tailStart = 0;
  /** Scratch list of a chunk's matches, copied out only when it holds some. */
  private readonly found: ScanMatch[] = [];
  private end = 0;

  constructor(patterns: readonly ScanPattern[] | PatternSet) {
    this.set = patterns instanceof PatternSet ? patterns : new PatternSet(patterns);
    const n = this.set.compiled.length;
    this.matcher = new LiteralMatcher(this.set.automaton);
    this.pendingFrom = new Float64Array(n).fill(-1);
    this.pendingUntil = new Float64Array(n);
    this.floor = new Float64Array(n);
    this.isActive = new Uint8Array(n);
    this.disabled = new Uint8Array(n);
    // Made when a pattern's literal is first seen: most patterns of a turn never are.
    this.starts = new Array<number[] | undefined>(n);
    this.nextTry = new Array<number[] | undefined>(n);
    this.set.compiled.forEach((c, i) => {
      if (c.unfiltered) this.activate(i);
    });
  }

  get rejected(): readonly { key: number; error: string }[] {
    return this.set.rejected;
  }

  get unfilteredKeys(): number[] {
    return this.set.unfilteredKeys;
  }

  /** Absolute length of the stream so far. */
  get length(): number {
    return this.end;
  }

  /** No pattern is waiting for text: a chunk with no literal hit would find nothing. */
  get idle(): boolean {
    return this.active.length === 0;
  }

  push(text: string): ScanMatch[] {
    if (text.length === 0 || this.set.compiled.length === 0) {
      this.end += text.length;
      return NO_MATCHES;
    }
    return this.pushHits(text, this.matcher.push(text));
  }

  /**
   * Like `push`, with the literal hits of this chunk found by someone else (an automaton
   * shared with another sniffer); ids and ends as this set's own automaton would give them.
   */
  pushHits(text: string, hits: readonly LiteralHit[]): ScanMatch[] {
    if (text.length === 0 || this.set.compiled.length === 0) {
      this.end += text.length;
      return NO_MATCHES;
    }
    this.tail += text;
    const chunkStart = this.end;
    this.end += text.length;
    for (const hit of hits) {
      const literalStart = hit.end - this.set.automaton.lengths[hit.id]!;
      for (const i of this.set.triggers[hit.id]!) {
        if (this.disabled[i]) continue;
        if (this.set.compiled[i]!.sticky) {
          (this.starts[i] ??= []).push(literalStart);
          // Nothing follows the literal yet: the first try waits for a settle margin of text.
          (this.nextTry[i] ??= []).push(hit.end + this.set.compiled[i]!.settle);
          this.activate(i);
          continue;
        }
        const window = this.set.compiled[i]!.pattern.window;
        const from = Math.max(this.floor[i]!, hit.end - window);
        this.pendingFrom[i] = this.pendingFrom[i]! < 0 ? from : Math.min(this.pendingFrom[i]!, from);
        this.pendingUntil[i] = Math.max(this.pendingUntil[i]!, literalStart + window);
        this.activate(i);
      }
    }
    if (this.active.length === 0) {
      this.trim();
      return NO_MATCHES;
    }
    // Both lists are reused chunk after chunk: a chunk that finds nothing allocates nothing.
    const out = this.found;
    const active = this.active;
    let kept = 0;
    for (let k = 0; k < active.length; k++) {
      const i = active[k]!;
      const c = this.set.compiled[i]!;
      if (this.disabled[i]) {
        this.isActive[i] = 0;
        continue;
      }
      if (c.unfiltered) {
        this.pendingFrom[i] = Math.max(this.floor[i]!, this.pendingFrom[i]!, chunkStart - c.pattern.window);
        this.pendingUntil[i] = Number.POSITIVE_INFINITY;
      }
      if (c.sticky) {
        if (this.tryAnchored(i, false, out)) active[kept++] = i;
        else this.isActive[i] = 0;
        continue;
      }
      this.scan(i, false, out);
      if (this.pendingFrom[i]! >= 0) active[kept++] = i;
      else this.isActive[i] = 0;
    }
    active.length = kept;
    this.trim();
    if (out.length === 0) return NO_MATCHES;
    const matches = out.slice();
    out.length = 0;
    return matches;
  }

  /** The stream ended: matches held because they were near the end are reported now. */
  flush(): ScanMatch[] {
    const out: ScanMatch[] = [];
    for (const i of this.active) {
      if (this.set.compiled[i]!.sticky) this.tryAnchored(i, true, out);
      else if (this.pendingFrom[i]! >= 0) this.scan(i, true, out);
      this.isActive[i] = 0;
    }
    this.active = [];
    return out;
  }

  /** Stops looking for the patterns with these keys: nothing they could find matters any more. */
  disable(keys: ReadonlySet<number>): void {
    this.set.compiled.forEach((c, i) => {
      if (keys.has(c.pattern.key)) this.disabled[i] = 1;
    });
  }

  private activate(i: number): void {
    if (this.isActive[i]) return;
    this.isActive[i] = 1;
    this.active.push(i);
  }

  /**
   * Tries an anchored pattern at each open start that is due; returns whether any start stays
   * open. A failed try is repeated while the window allows (it may have failed for want of
   * text), each start on its own schedule: `settle` characters after its literal, then after
   * as many characters again as it has waited, so a start costs a logarithmic number of tries
   * and a match is reported at most its own length late.
   */
  private tryAnchored(i: number, final: boolean, out: ScanMatch[]): boolean {
    const c = this.set.compiled[i]!;
    const starts = (this.starts[i] ??= []);
    const due = (this.nextTry[i] ??= []);
    const sticky = c.sticky!;
    let kept = 0;
    for (let k = 0; k < starts.length; k++) {
      const p = starts[k]!;
      // Starts are independent: a match found from a later start does not cancel an earlier
      // one (a sniffer may report overlapping matches; intents are de-duplicated).
      if (p < this.tailStart) continue;
      if (!final && due[k]! > this.end) {
        starts[kept] = p;
        due[kept++] = due[k]!;
        continue;
      }
      sticky.lastIndex = p - this.tailStart;
      const m = sticky.exec(this.tail);
      const waited = this.end - p;
      if (m !== null && m[0].length > 0) {
        const end = p + m[0].length;
        if (!final && end + c.settle > this.end) {
          starts[kept] = p;
          due[kept++] = end + c.settle;
          continue;
        }
        out.push({ key: c.pattern.key, start: p, end, text: m[0], groups: definedGroups(m.groups) });
        continue;
      }
      if (!final && waited <= c.pattern.window) {
        starts[kept] = p;
        due[kept++] = this.end + Math.max(c.settle, waited);
      }
    }
    if (kept !== starts.length) {
      starts.length = kept;
      due.length = kept;
    }
    return kept > 0;
  }

  private scan(i: number, final: boolean, out: ScanMatch[]): void {
    const c = this.set.compiled[i]!;
    const regex = c.regex;
    const from = Math.max(this.pendingFrom[i]!, this.tailStart);
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
      if (!final && end + c.settle > this.end) {
        // Too close to the end: more text could still change it. Look again from here next time.
        this.pendingFrom[i] = start;
        return;
      }
      out.push({ key: c.pattern.key, start, end, text: m[0], groups: definedGroups(m.groups) });
      this.floor[i] = end;
    }
    if (final || this.end >= this.pendingUntil[i]!) {
      this.pendingFrom[i] = -1;
      this.pendingUntil[i] = 0;
    } else {
      this.pendingFrom[i] = Math.max(this.floor[i]!, this.end - c.pattern.window);
    }
  }

  /**
   * Keeps the text a waiting pattern may still need: with nothing waiting, only a window's
   * worth for patterns triggered by the next chunk. A long concatenated tail would be copied
   * whole each time a regex reads it.
   */
  private trim(): void {
    const maxWindow = this.set.maxWindow;
    let keepFrom: number;
    if (this.set.needsLookback) {
      if (this.tail.length <= maxWindow * 2) return;
      keepFrom = this.end - maxWindow;
    } else {
      // Anchored patterns only read from where their literal started, which may be in text
      // already seen: a literal split across chunks starts before the next chunk.
      if (this.tail.length < 256) return;
      keepFrom = this.end - this.set.longestLiteral;
    }
    for (const i of this.active) {
      const c = this.set.compiled[i]!;
      if (c.sticky) {
        const first = this.starts[i]?.[0];
        if (first !== undefined) keepFrom = Math.min(keepFrom, first);
      } else if (!c.unfiltered) keepFrom = Math.min(keepFrom, this.pendingFrom[i]!);
    }
    keepFrom = Math.max(keepFrom, this.end - maxWindow * 2);
    if (keepFrom <= this.tailStart) return;
    this.tail = this.tail.slice(keepFrom - this.tailStart);
    this.tailStart = keepFrom;
  }
}

function definedGroups(groups: Record<string, string | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!groups) return out;
  for (const k in groups) {
    const v = groups[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}
