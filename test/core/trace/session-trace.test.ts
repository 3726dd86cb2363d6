import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AgentEvent } from '../../../src/core/agent/agent-events.js';
import { LiveTraceMapper } from '../../../src/core/trace/live-trace.js';
import { sessionTrace } from '../../../src/core/trace/session-trace.js';
import type { Session } from '../../../src/core/session/format.js';
import { DEFAULT_POLICY } from '../../../src/core/speculation/speculation-policy.js';
import { TRACE_OUTPUT_CHARS, type TraceEvent } from '../../../src/shared/protocol.js';
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

describe('live and replayed traces', () => {
  const intent = { kind: 'call' as const, tool: 'find_order', args: { id: 7 }, canonical: '{"id":7}', source: 'rule' as const, ruleId: 'orders', confidence: 0.9, span: { start: 5, end: 20 }, at: 20 };
  const speculation = [
    { type: 'intent' as const, intent, decision: 'fired', probability: 0.75, savingMs: 450, costMs: 40 },
    { type: 'claim' as const, callId: 'o1', tool: 'find_order', canonical: '{"id":7}', outcome: 'hit' as const, specId: 1, savedMs: 600, ttaMs: 0, at: 0 },
  ];
  const result = { callId: 'o1', name: 'find_order', arguments: '{"id":7}', output: 'x'.repeat(2500), isError: false, durationMs: 2, speculative: { outcome: 'hit' as const, savedMs: 600 } };
  const session: Session = {
    header: { kind: 'header', format: 'foresight-session', version: 1, id: 's', createdAt: '2026-11-24T06:00:00.000Z', model: 'm', endpoint: 'http://x', tools: [], versions: { foresight: '0' }, timing: 'recorded' },
    turns: [
      {
        index: 0,
        request: [],
        chunks: [
          { t: 10, chunk: { choices: [{ delta: { reasoning_content: 'Look up order 7 with find_order.' } }] } },
          { t: 300, chunk: { choices: [{ delta: { tool_calls: [{ index: 0, id: 'o1', function: { name: 'find_order', arguments: '{"id":7}' } }] } }] } },
          { t: 310, chunk: { choices: [{ finish_reason: 'tool_calls', delta: {} }] } },
        ],
        toolResults: [{ type: 'toolResult', ...result }],
        speculation: speculation.map((event, i) => ({ t: 50 + i * 250, event: { type: 'speculation' as const, event } })),
      },
      {
        index: 1,
        request: [],
        chunks: [
          { t: 10, chunk: { choices: [{ delta: { content: 'Order 7 ' } }] } },
          { t: 20, chunk: { choices: [{ delta: { content: 'has shipped.' } }] } },
          { t: 30, chunk: { choices: [{ finish_reason: 'stop', delta: {} }] } },
        ],
        toolResults: [],
      },
    ],
  };

  const kept = (events: TraceEvent[]) => events.filter((e) => e.type === 'intent' || e.type === 'toolResult' || e.type === 'answer' || e.type === 'seal').map((e) => ({ ...e, t: 0 }));

  it('give the same intents with explanations, tool results and answer for the same session', async () => {
    const replayed = await sessionTrace(session, { kind: 'recorded', policy: DEFAULT_POLICY });
    const mapper = new LiveTraceMapper(() => 0, () => DEFAULT_POLICY);
    const call = { id: 'o1', name: 'find_order', arguments: '{"id":7}' };
    const agent: AgentEvent[] = [
      { type: 'turnStart', turn: 0, messages: [] },
      { type: 'stream', turn: 0, event: { type: 'reasoning', text: 'Look up order 7 with find_order.' } },
      { type: 'speculation', turn: 0, event: speculation[0] as never },
      { type: 'stream', turn: 0, event: { type: 'toolCallSealed', index: 0, call } },
      { type: 'speculation', turn: 0, event: speculation[1] as never },
      { type: 'toolEnd', turn: 0, call, output: result.output, isError: false, recorded: false, startedAt: 0, durationMs: 2, speculative: { outcome: 'hit', savedMs: 600, waitedMs: 0 } },
      { type: 'turnStart', turn: 1, messages: [] },
      { type: 'stream', turn: 1, event: { type: 'content', text: 'Order 7 ' } },
      { type: 'stream', turn: 1, event: { type: 'content', text: 'has shipped.' } },
    ];
    const live = agent.flatMap((e) => mapper.map(0, e));
    assert.deepEqual(kept(live), kept(replayed));
    const explained = replayed.find((e) => e.type === 'intent');
    assert.ok(explained?.type === 'intent' && explained.explanation);
    assert.equal(explained.explanation.latencyMs, 600);
    assert.match(explained.explanation.summary, /rule 90%, measured/);
    const tool = replayed.find((e) => e.type === 'toolResult');
    assert.ok(tool?.type === 'toolResult');
    assert.equal(tool.output.length, TRACE_OUTPUT_CHARS);
    assert.equal(tool.truncated, true);
    assert.equal(tool.served, 'hit');
    const answer = replayed.filter((e) => e.type === 'answer' && e.turn === 1).map((e) => (e.type === 'answer' ? e.text : '')).join('');
    assert.equal(answer, 'Order 7 has shipped.');
  });

  it('put a recorded tool result after its formal call and before the next turn starts', async () => {
    const events = await sessionTrace(session, { kind: 'recorded' });
    const seal = events.find((e) => e.type === 'seal')!;
    const tool = events.find((e) => e.type === 'toolResult')!;
    const next = events.find((e) => e.type === 'turnStart' && e.turn === 1)!;
    assert.ok(seal.t <= tool.t && tool.t < next.t, `${seal.t} ${tool.t} ${next.t}`);
  });

  it('re-sniffing a demo session reports each tool result and explains every intent', async () => {
    const events = await sessionTrace(await demoSession('03-order-status.json'), { kind: 'resniff', setup: defaultSetup(), readOnlyTools: [] });
    const seals = events.filter((e) => e.type === 'seal').map((e) => (e.type === 'seal' ? e.callId : ''));
    const results = events.filter((e) => e.type === 'toolResult').map((e) => (e.type === 'toolResult' ? e.callId : ''));
    assert.deepEqual(results, seals);
    const intents = events.filter((e) => e.type === 'intent');
    assert.ok(intents.length > 0);
    for (const i of intents) assert.ok(i.type === 'intent' && i.explanation && i.explanation.summary.length > 0);
  });
});
