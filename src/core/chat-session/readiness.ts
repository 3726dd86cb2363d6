import type { BackendReadiness } from '../../shared/protocol.js';

/**
 * The chat backend's readiness, driven by what actually happened: an attempt to open the
 * backend begins (`opening`), the endpoint is up (`listingTools`), the tools are listed
 * (`ready`), or either failed. Each attempt has a number; a step of an attempt that a newer
 * one replaced (the settings changed meanwhile) is ignored, so a slow old backend can never
 * report the new one ready. `ready` is reached only through both steps, in order.
 */
export class Readiness {
  private attempt = 0;
  private state: BackendReadiness = { kind: 'opening' };

  constructor(private readonly onChange: (state: BackendReadiness) => void = () => undefined) {}

  get current(): BackendReadiness {
    return this.state;
  }

  /** A new attempt: whatever the previous one still reports is ignored from now on. */
  begin(): number {
    this.attempt++;
    this.set({ kind: 'opening' });
    return this.attempt;
  }

  /** The endpoint of `attempt` is open; its tools are being listed. */
  opened(attempt: number): void {
    if (attempt === this.attempt && this.state.kind === 'opening') this.set({ kind: 'listingTools' });
  }

  /** The tools of `attempt` are listed: the chat can take a message. */
  toolsListed(attempt: number): void {
    if (attempt === this.attempt && this.state.kind === 'listingTools') this.set({ kind: 'ready' });
  }

  /** `attempt` failed; `problem` is a sentence for the user. */
  failed(attempt: number, problem: string): void {
    if (attempt === this.attempt && this.state.kind !== 'failed') this.set({ kind: 'failed', problem });
  }

  private set(state: BackendReadiness): void {
    this.state = state;
    this.onChange(state);
  }
}
