import type { ChatMessage } from '../chat/types.js';
import type { Disposable } from '../disposable.js';
import { replayTiming } from '../engine/replay-timing.js';
import { replayTools } from '../engine/replay-tools.js';
import { TurnEngine } from '../engine/turn-engine.js';
import { VirtualClock } from '../engine/virtual-clock.js';
import type { SessionHeader } from '../session/format.js';
import { SpeculationCache } from '../speculation/speculation-cache.js';
import type { SpeculationEvent } from '../speculation/speculation-events.js';
import type { StreamEvent } from '../stream/events.js';
import { shadowSetup, shadowToolKinds, type ShadowOptions } from './shadow-speculation.js';

/** An intent of a proxied turn and what the policy would decide for it, known while the turn streams. */
export type LiveIntent = Extract<SpeculationEvent, { type: 'intent' }>;

export interface LiveIntentsOptions {
  shadow: ShadowOptions;
  header: SessionHeader;
  /** The turn's request: calls it already answered are recaps, as in the shadow replay. */
  messages: readonly ChatMessage[];
  turn: number;
  onIntent: (intent: LiveIntent) => void;
}

/**
 * Sniffs one proxied turn's reasoning as it is recorded and reports each intent with the
 * decision the engine would take, through the same `TurnEngine` (sniffers, speculator, policy)
 * and setup as the shadow replay of the turn, so the two agree on each intent's tool,
 * arguments and span. Nothing runs: the tools are stand-ins on a clock that never moves, so an
 * early run is still running when the next intent is weighed (as in a replay whose tools take
 * time) and ends when the turn does. Only intents are reported; what speculation would have
 * gained is the shadow replay's to say, once the turn's results are known.
 */
export class LiveIntents implements Disposable {
  private readonly engine: TurnEngine;
  private readonly controller = new AbortController();
  private done = false;

  constructor(options: LiveIntentsOptions) {
    const clock = new VirtualClock();
    const setup = shadowSetup(options.shadow);
    const specs = options.header.tools;
    // No results are known yet: every run of a stand-in waits on the clock.
    const tools = replayTools({ header: options.header, turns: [] }, { ...shadowToolKinds(options.shadow, specs), clock, timing: replayTiming(), normalizer: setup.normalizer });
    this.engine = new TurnEngine({
      turn: options.turn,
      tools,
      toolSpecs: specs,
      messages: options.messages,
      speculation: { setup, cache: new SpeculationCache(this.controller.signal) },
      signal: this.controller.signal,
      now: clock.now,
      onStep: (step) => {
        if (!this.done && step.type === 'speculation' && step.event.type === 'intent') options.onIntent(step.event);
      },
    });
  }

  /** One event of the turn's stream, as the recorder parsed it. */
  push(event: StreamEvent): void {
    if (!this.done) this.engine.push(event);
  }

  /** The turn ended: intents held back at the end of its reasoning are reported, and the stand-in runs stop. */
  dispose(): void {
    if (this.done) return;
    this.engine.end(true);
    this.done = true;
    this.controller.abort();
  }
}
