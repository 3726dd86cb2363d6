import type { ToolResult } from '../chat/tool.js';

/** One speculative run, kept for the session so a later turn can claim it. */
export interface CachedSpeculation {
  id: number;
  tool: string;
  canonical: string;
  ruleId: string;
  /** The turn that fired it. */
  turn: number;
  startedAt: number;
  endedAt?: number;
  controller: AbortController;
  /** Settles with the result, or undefined when the run failed or was cancelled. */
  done: Promise<ToolResult | undefined>;
  result?: ToolResult;
  status: 'running' | 'done' | 'error' | 'cancelled' | 'timeout';
  claimed: boolean;
}

/** Most unclaimed results a session keeps; the oldest goes first. */
export const MAX_CACHED_SPECULATIONS = 64;

/**
 * The speculative results of one session (an agent run, or a replayed recording), by (tool,
 * canonical arguments): reasoning plans ahead, so a result fired in one turn may be claimed
 * in a later one. Also remembers which calls the conversation has already made and answered,
 * so a recap of one is not run again. Bounded: past `MAX_CACHED_SPECULATIONS` the oldest
 * unclaimed result is evicted (and reported to the caller as wasted).
 */
export class SpeculationCache {
  private readonly specs = new Map<string, CachedSpeculation>();
  private readonly answered = new Set<string>();
  /** The conversation's answered calls already marked, by call id (each turn's messages repeat all earlier ones). */
  private readonly answeredCalls = new Map<string, { name: string; args: string }[]>();
  private nextId = 1;

  /** Ends every speculation of the session (the user stopped, the run ended). */
  constructor(readonly signal: AbortSignal = new AbortController().signal) {}

  newId(): number {
    return this.nextId++;
  }

  get(key: string): CachedSpeculation | undefined {
    return this.specs.get(key);
  }

  has(key: string): boolean {
    return this.specs.has(key);
  }

  /** Adds a run; returns the unclaimed ones evicted to stay within bounds. */
  add(key: string, spec: CachedSpeculation): CachedSpeculation[] {
    this.specs.set(key, spec);
    const evicted: CachedSpeculation[] = [];
    if (this.specs.size <= MAX_CACHED_SPECULATIONS) return evicted;
    for (const [k, s] of this.specs) {
      if (this.specs.size <= MAX_CACHED_SPECULATIONS) break;
      if (s.claimed || s.status === 'running') continue;
      this.specs.delete(k);
      evicted.push(s);
    }
    return evicted;
  }

  /** Runs started and not finished, in any turn. */
  runningCount(): number {
    let n = 0;
    for (const s of this.specs.values()) if (s.status === 'running') n++;
    return n;
  }

  /** Every run nobody has claimed, oldest first. */
  unclaimed(): CachedSpeculation[] {
    return [...this.specs.values()].filter((s) => !s.claimed && s.status !== 'cancelled');
  }

  /** Forgets every result: something changed, none of them can be trusted. */
  clear(): void {
    this.specs.clear();
  }

  /** A formal call was made and answered in this conversation. */
  markAnswered(key: string): void {
    this.answered.add(key);
  }

  /**
   * Marks an answered call by its `key()` unless the same call (id, name and argument text) was
   * marked before. An id alone is not enough: some servers number calls per response, so
   * `call_0` comes back with other arguments.
   */
  markAnsweredCall(id: string, name: string, args: string, key: () => string): void {
    const known = this.answeredCalls.get(id);
    // Looked up by id and the texts compared, not hashed: a long argument text is read once per session, not per turn.
    if (known?.some((c) => c.name === name && c.args === args)) return;
    if (known) known.push({ name, args });
    else this.answeredCalls.set(id, [{ name, args }]);
    this.answered.add(key());
  }

  wasAnswered(key: string): boolean {
    return this.answered.has(key);
  }
}
