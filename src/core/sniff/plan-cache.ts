/**
 * A small least-recently-used cache for compiled sniffer plans: an agent sends the same tools
 * (and rules) every turn, so a plan is built once per tool list, not once per turn.
 */
export class PlanCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly capacity = 32) {}

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
