import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AgentEvent } from '../../../src/core/agent/agent-events.js';
import { LiveTraceMapper } from '../../../src/core/trace/live-trace.js';
import { sessionTrace } from '../../../src/core/trace/session-trace.js';
import type { TraceEvent } from '../../../src/shared/protocol.js';
import { defaultSetup, demoSession } from './trace-fixtures.js';

function reasoningOf(events: TraceEvent[], turn: number): string {
  return events
    .filter((e): e is Extract<TraceEvent, { type: 'reasoning' }> => e.type === 'reasoning' && e.turn === turn)
    .map((e) => e.text)
    .join('');
}

describe('sessionTrace', () => {
  it('re-sniffs a demo session: the intent points at the text that gave it away and its call is served from the speculation', async () => {
    const events = await sessionTrace(await demoSession('01-weather-umbrella.json'), { kind: 'resniff', setup: defaultSetup(), readOnlyTools: [] });
    const intent = events.find((e) => e.type === 'intent');
    assert.ok(intent && intent.type === 'intent');
    assert.equal(intent.tool, 'get_forecast');
    assert.equal(intent.decision, 'fired');
    assert.match(reasoningOf(events, 0).slice(intent.span.start, intent.span.end), /get_forecast|Lisbon/);
    const claim = events.find((e) => e.type === 'claim');
    assert.ok(claim && claim.type === 'claim' && (claim.outcome === 'hit' || claim.outcome === 'partial'));
    assert.ok(claim.savedMs > 0);
  });

  it('orders every event by time, numbers turns from 0, and starts each turn after the previous one ended', async () => {
    const events = await sessionTrace(await demoSession('02-docs-retries.json'), { kind: 'resniff', setup: defaultSetup(), readOnlyTools: [] });
    for (let i = 1; i < events.length; i++) assert.ok(events[i]!.t >= events[i - 1]!.t, `event ${i} goes back in time`);
    const starts = events.filter((e) => e.type === 'turnStart');
    assert.deepEqual(starts.map((e) => e.turn), [0, 1, 2]);
  });

  it('reports per-turn figures that agree with the claims', async () => {
    const events = await sessionTrace(await demoSession('03-order-status.json'), { kind: 'resniff', setup: defaultSetup(), readOnlyTools: [] });
    const figures = events.find((e) => e.type === 'figures' && e.turn === 0);
    assert.ok(figures && figures.type === 'figures');
    const claims = events.filter((e) => e.type === 'claim' && e.turn === 0);
    assert.equal(figures.figures.calls, claims.length);
    assert.equal(figures.figures.hits + figures.figures.partialHits, claims.filter((c) => c.type === 'claim' && c.outcome !== 'miss').length);
    assert.ok(figures.figures.ttaMs < figures.figures.ttaWithoutMs);
  });

  it('without re-sniffing shows the reasoning and the formal calls, but no intents the session did not record', async () => {
    const events = await sessionTrace(await demoSession('01-weather-umbrella.json'), { kind: 'recorded' });
    assert.ok(reasoningOf(events, 0).length > 0);
    assert.ok(events.some((e) => e.type === 'seal'));
    assert.ok(!events.some((e) => e.type === 'intent'));
  });
});

describe('LiveTraceMapper', () => {
  it('numbers turns across runs and never lets time go backwards', () => {
    let clock = 1000;
    const mapper = new LiveTraceMapper(() => clock);
    const turnStart = (turn: number): AgentEvent => ({ type: 'turnStart', turn, messages: [] });
    const a = mapper.map(0, turnStart(0));
    clock = 900;
    const b = mapper.map(1, turnStart(0));
    assert.deepEqual(a.map((e) => e.turn), [0]);
    assert.deepEqual(b.map((e) => e.turn), [1]);
    assert.ok(b[0]!.t >= a[0]!.t);
  });

  it('maps reasoning, seals and speculation, and leaves tool runs to the chat', () => {
    const mapper = new LiveTraceMapper(() => 0);
    mapper.map(0, { type: 'turnStart', turn: 0, messages: [] });
    const r = mapper.map(0, { type: 'stream', turn: 0, event: { type: 'reasoning', text: 'hm' } });
    assert.deepEqual(r, [{ type: 'reasoning', turn: 0, t: 0, text: 'hm' }]);
    const s = mapper.map(0, { type: 'stream', turn: 0, event: { type: 'toolCallSealed', index: 0, call: { id: 'c', name: 'get_x', arguments: '{}' } } });
    assert.equal(s[0]?.type, 'seal');
    assert.deepEqual(mapper.map(0, { type: 'toolStart', turn: 0, call: { id: 'c', name: 'get_x', arguments: '{}' }, startedAt: 0 }), []);
  });
});
