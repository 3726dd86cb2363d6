import type { Disposable } from '../disposable.js';
import { REPLAY_SPEEDS, type ReplayState, type TraceEvent } from '../../shared/protocol.js';
import type { BatchTimer } from './event-batcher.js';

/** Where the player's output goes. */
export interface ReplayOutput {
  /** Forget what was delivered: the next events start from the beginning. */
  reset(): void;
  /** Deliver these events, next in order. */
  events(events: TraceEvent[]): void;
  /** The state changed. */
  state(state: ReplayState): void;
}

const TICK_MS = 16;

/**
 * Plays a finished trace back in trace time: at 1x to 20x, paused, stepped to the next
 * intent or formal call, or moved to any event position. Delivers each event exactly once
 * between resets, in order; a move backwards resets and re-delivers from the start.
 */
export class ReplayPlayer implements Disposable {
  private position = 0;
  private timeMs = 0;
  private speed = 1;
  private playing = false;
  private handle: unknown;
  /** Wall time and trace time when playback (re)started, so ticks do not drift. */
  private anchor = { wall: 0, trace: 0 };

  constructor(
    private events: readonly TraceEvent[],
    private readonly out: ReplayOutput,
    private readonly timer: BatchTimer,
    private resniff: boolean,
  ) {}

  get state(): ReplayState {
    const last = this.events[this.events.length - 1];
    return {
      playing: this.playing,
      speed: this.speed,
      position: this.position,
      total: this.events.length,
      timeMs: Math.round(this.timeMs),
      durationMs: last?.t ?? 0,
      resniff: this.resniff,
    };
  }

  play(): void {
    if (this.playing) return;
    if (this.position >= this.events.length) this.seek(0);
    this.playing = true;
    this.anchor = { wall: this.timer.now(), trace: this.timeMs };
    this.out.state(this.state);
    this.tick();
  }

  pause(): void {
    if (!this.playing) return;
    this.stopTicking();
    this.out.state(this.state);
  }

  setSpeed(speed: number): void {
    this.speed = Math.min(REPLAY_SPEEDS.max, Math.max(REPLAY_SPEEDS.min, speed));
    this.anchor = { wall: this.timer.now(), trace: this.timeMs };
    this.out.state(this.state);
  }

  /** Pauses and delivers everything up to and including the next intent (or formal call). */
  step(to: 'intent' | 'call'): void {
    this.stopTicking();
    const want = to === 'intent' ? 'intent' : 'seal';
    let end = this.position;
    while (end < this.events.length && this.events[end]!.type !== want) end++;
    // Whatever happened at that same moment (the claim at a seal, the run an intent fired) goes with it.
    const at = this.events[end]?.t;
    end++;
    while (at !== undefined && end < this.events.length && this.events[end]!.t === at) end++;
    this.deliverTo(Math.min(end, this.events.length));
    this.out.state(this.state);
  }

  /** Moves to event position `position` (clamped), keeping play or pause. */
  seek(position: number): void {
    const target = Math.max(0, Math.min(this.events.length, Math.round(position)));
    if (target < this.position) {
      this.out.reset();
      this.position = 0;
    }
    this.deliverTo(target);
    this.anchor = { wall: this.timer.now(), trace: this.timeMs };
    this.out.state(this.state);
  }

  /** Swaps in another trace of the same session (the rules changed), keeping the time reached. */
  replace(events: readonly TraceEvent[], resniff: boolean): void {
    const time = this.timeMs;
    this.events = events;
    this.resniff = resniff;
    this.out.reset();
    this.position = 0;
    let end = 0;
    while (end < events.length && events[end]!.t <= time) end++;
    this.deliverTo(end);
    this.timeMs = time;
    this.anchor = { wall: this.timer.now(), trace: this.timeMs };
    this.out.state(this.state);
  }

  /** Delivers everything delivered so far again (the panel reloaded). */
  redeliver(): void {
    const position = this.position;
    this.position = 0;
    this.deliverTo(position);
  }

  dispose(): void {
    this.stopTicking();
  }

  private tick = (): void => {
    this.handle = undefined;
    if (!this.playing) return;
    const time = this.anchor.trace + (this.timer.now() - this.anchor.wall) * this.speed;
    let end = this.position;
    while (end < this.events.length && this.events[end]!.t <= time) end++;
    this.deliverTo(end);
    this.timeMs = Math.max(this.timeMs, time);
    if (this.position >= this.events.length) {
      this.timeMs = this.state.durationMs;
      this.playing = false;
    } else {
      this.handle = this.timer.set(this.tick, TICK_MS);
    }
    this.out.state(this.state);
  };

  private deliverTo(end: number): void {
    if (end > this.position) {
      const slice = this.events.slice(this.position, end);
      this.position = end;
      this.timeMs = slice[slice.length - 1]!.t;
      this.out.events(slice);
    } else if (end === 0) {
      this.timeMs = 0;
    }
  }

  private stopTicking(): void {
    this.playing = false;
    if (this.handle !== undefined) this.timer.clear(this.handle);
    this.handle = undefined;
  }
}
