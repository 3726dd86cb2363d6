/**
 * A small least-recently-used cache for compiled sniffer plans: an agent sends the same tools
 * (and rules) every turn, so a plan is built once per tool list, not once per turn.
 */
export class PlanCache<V> {
  private readonly entries = new Map<string, V>();
  /** The same tools array (an agent reuses it every turn) skips building the text key. */
  private readonly byIdentity = new WeakMap<object, V>();

  constructor(private readonly capacity = 32) {}

  /** Looks up by the identity of `owner` first, then by the text key `key()` builds. */
  getFor(owner: object, key: () => string, build: () => V): V {
    const hit = this.byIdentity.get(owner);
    if (hit !== undefined) return hit;
    const value = this.get(key(), build);
    this.byIdentity.set(owner, value);
    return value;
  }

  get(key: string, build: () => V): V {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const value = build();
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }
}
