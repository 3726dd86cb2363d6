import type { Tool } from '../chat/tool.js';
import type { Session, SessionTurn } from '../session/format.js';
import { SpeculationCache } from '../speculation/speculation-cache.js';
import type { StreamEvent } from '../stream/events.js';
import { replayTurnEvents, type TimedStreamEvent } from './replay-events.js';
import type { ReplayTiming } from './replay-timing.js';
import { TurnEngine, type EngineStep, type SpeculationSetup } from './turn-engine.js';
import { VirtualClock } from './virtual-clock.js';

/** What a replay reports, turn by turn; times are on the session's virtual clock (ms). */
export interface ReplayObserver {
  turnStart?(turn: number, t: number): void;
  /** Each stream event as it arrives; `pos` counts the turn's streamed characters before it. */
  stream?(turn: number, event: StreamEvent, t: number): void;
  step(turn: number, step: EngineStep): void;
  turnEnd?(turn: number, t: number, engine: TurnEngine): void;
}

export interface ReplayOptions {
  setup: SpeculationSetup;
  timing: ReplayTiming;
  /** The session's tools as the replay runs them; built on the replay's clock. */
  tools: (clock: VirtualClock) => Map<string, Tool>;
  observer: ReplayObserver;
  /** A turn's stream events, when the caller has them parsed already (re-sniffing on every edit). */
  eventsOf?: (turn: SessionTurn, index: number) => Iterable<TimedStreamEvent>;
}

/**
 * Replays a recorded session through the engine, exactly as the live chat runs a turn (same
 * stream parser, sniffers, speculator, claims and call order), on a virtual clock: turns take
 * their recorded (or paced) time and tools their recorded (or stated) latency without waiting
 * for it, and the speculative cache lives for the whole session. Deterministic.
 */
export async function replaySession(session: Session, options: ReplayOptions): Promise<void> {
  const clock = new VirtualClock();
  const controller = new AbortController();
  const cache = new SpeculationCache(controller.signal);
  const tools = options.tools(clock);
  const paced = session.header.timing !== 'recorded';
  const observer = options.observer;
  try {
    for (const [index, turn] of session.turns.entries()) {
      const base = clock.now();
      const last = index === session.turns.length - 1;
      observer.turnStart?.(index, base);
      const engine = new TurnEngine({
        turn: index,
        tools,
        toolSpecs: session.header.tools,
        messages: turn.request,
        speculation: { setup: options.setup, cache },
        signal: controller.signal,
        now: clock.now,
        onStep: (step) => observer.step(index, step),
      });
      let failed = false;
      const events = options.eventsOf ? options.eventsOf(turn, index) : replayTurnEvents(turn, paced, options.timing);
      for (const { t, event } of events) {
        const at = base + t;
        if (clock.pending) await clock.advanceTo(at);
        else clock.setAtLeast(at);
        observer.stream?.(index, event, clock.now());
        engine.push(event);
        if (event.type === 'error') failed = true;
      }
      if (failed) {
        await clock.runUntil(engine.abandon());
      } else if (engine.madeCalls.length > 0) {
        await clock.runUntil(engine.complete());
      }
      engine.end(last || failed);
      observer.turnEnd?.(index, clock.now(), engine);
      if (failed) break;
    }
  } finally {
    controller.abort();
  }
}
