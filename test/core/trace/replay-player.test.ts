import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BatchTimer } from '../../../src/core/trace/event-batcher.js';
import { ReplayPlayer } from '../../../src/core/trace/replay-player.js';
import type { ReplayState, TraceEvent } from '../../../src/shared/protocol.js';

class FakeTimer implements BatchTimer {
  time = 0;
  private timers: { at: number; callback: () => void; id: number }[] = [];
  private id = 0;
  now = () => this.time;
  set(callback: () => void, ms: number): unknown {
    this.timers.push({ at: this.time + ms, callback, id: ++this.id });
    return this.id;
  }
  clear(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.timers.shift();
      this.time = next.at;
      next.callback();
    }
    this.time = end;
  }
}

const trace: TraceEvent[] = [
  { type: 'turnStart', turn: 0, t: 0, label: 'turn 1' },
  { type: 'reasoning', turn: 0, t: 100, text: 'call get_x ' },
  { type: 'intent', turn: 0, t: 200, id: 0, kind: 'call', tool: 'get_x', canonical: '{}', ruleId: 'r', probability: 0.9, decision: 'fired', span: { start: 0, end: 10 } },
  { type: 'reasoning', turn: 0, t: 1000, text: 'done' },
  { type: 'seal', turn: 0, t: 2000, callId: 'c', tool: 'get_x', arguments: '{}' },
];

function setup() {
  const timer = new FakeTimer();
  const delivered: TraceEvent[] = [];
  const states: ReplayState[] = [];
  let resets = 0;
  const player = new ReplayPlayer(trace, { reset: () => ((resets++), (delivered.length = 0)), events: (e) => e.forEach((x) => delivered.push(x)), state: (s) => states.push(s) }, timer, true);
  return { timer, delivered, states, player, resets: () => resets };
}

describe('ReplayPlayer', () => {
  it('plays in trace time at the chosen speed and stops at the end', () => {
    const { timer, delivered, player } = setup();
    player.setSpeed(10);
    player.play();
    timer.advance(50);
    assert.deepEqual(delivered.map((e) => e.t), [0, 100, 200]);
    timer.advance(200);
    assert.equal(delivered.length, trace.length);
    assert.equal(player.state.playing, false);
    assert.equal(player.state.position, trace.length);
  });

  it('steps to the next intent, then to the next formal call, paused', () => {
    const { delivered, player } = setup();
    player.step('intent');
    assert.equal(delivered[delivered.length - 1]?.type, 'intent');
    player.step('call');
    assert.equal(delivered[delivered.length - 1]?.type, 'seal');
    assert.equal(player.state.playing, false);
  });

  it('a step to a formal call also delivers what happened at the same moment, such as its claim', () => {
    const timer = new FakeTimer();
    const delivered: TraceEvent[] = [];
    const withClaim: TraceEvent[] = [...trace, { type: 'claim', turn: 0, t: 2000, callId: 'c', tool: 'get_x', canonical: '{}', outcome: 'hit', specId: 1, savedMs: 5 }];
    const player = new ReplayPlayer(withClaim, { reset: () => {}, events: (e) => e.forEach((x) => delivered.push(x)), state: () => {} }, timer, true);
    player.step('call');
    assert.deepEqual(delivered.slice(-2).map((e) => e.type), ['seal', 'claim']);
  });

  it('seeking backwards starts over and delivers each event once', () => {
    const { delivered, player, resets } = setup();
    player.seek(4);
    player.seek(2);
    assert.equal(resets(), 1);
    assert.deepEqual(delivered, trace.slice(0, 2));
    player.seek(5);
    assert.deepEqual(delivered, trace);
  });

  it('clamps speed to 1x-20x', () => {
    const { player } = setup();
    player.setSpeed(100);
    assert.equal(player.state.speed, 20);
    player.setSpeed(0);
    assert.equal(player.state.speed, 1);
  });

  it('keeps the time reached when the trace is replaced by a re-sniffed one', () => {
    const { delivered, player } = setup();
    player.seek(3);
    player.replace(trace.filter((e) => e.type !== 'intent'), false);
    assert.deepEqual(delivered.map((e) => e.type), ['turnStart', 'reasoning']);
    assert.equal(player.state.resniff, false);
  });
});
