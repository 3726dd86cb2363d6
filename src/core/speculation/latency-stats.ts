/** A tool's latency before it has ever been measured. */
export const DEFAULT_LATENCY_MS = 500;

/**
 * Typical latency per tool: an exponentially weighted mean of measured runs, so the policy's
 * expected saving follows what the tool really costs now.
 */
export class LatencyStats {
  private readonly means = new Map<string, number>();

  constructor(
    private readonly fallbackMs = DEFAULT_LATENCY_MS,
    private readonly weight = 0.3,
  ) {}

  typical(tool: string): number {
    return this.means.get(tool) ?? this.fallbackMs;
  }

  record(tool: string, durationMs: number): void {
    if (!Number.isFinite(durationMs) || durationMs < 0) return;
    const old = this.means.get(tool);
    this.means.set(tool, old === undefined ? durationMs : old + (durationMs - old) * this.weight);
  }
}
