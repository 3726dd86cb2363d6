import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RecordedExchange } from '../../../src/core/endpoint/exchange-table.js';
import { LocalEndpoint } from '../../../src/core/endpoint/local-endpoint.js';
import { ChunkParser } from '../../../src/core/stream/chunk-parser.js';
import { clientOf, demoExchanges, demoScript, kinds, runTurn, summaryOf } from './spec-harness.js';

describe('a SpecReason turn through the local endpoint serving both roles', () => {
  let endpoint: LocalEndpoint;
  before(async () => {
    endpoint = await LocalEndpoint.start({ sessions: [], exchanges: demoExchanges(), tokensPerSecond: null });
  });
  after(() => endpoint.close());

  it('keeps the reserved step, the accepted drafts and the base rewrite, in order, and ends in the base model\'s tool call', async () => {
    const script = demoScript();
    const client = clientOf(endpoint);
    const run = await runTurn(script, { client }, { client });
    assert.deepEqual(kinds(run), ['base:reserved', 'draft:accepted', 'base:rewritten', 'draft:accepted']);
    const steps = script.steps.map((s) => ('by' in s ? s.text : (s.base ?? s.draft)));
    assert.equal(run.reasoning, steps.join('\n\n'));
    assert.ok(!run.reasoning.includes('skip a step'), 'the rejected draft never reaches the reasoning');
    const sealed = run.events.flatMap((e) => (e.type === 'toolCallSealed' ? [e.call] : []));
    assert.deepEqual(
      sealed.map((c) => [c.name, JSON.parse(c.arguments)]),
      [['get_order_status', { order_id: '48213' }]],
    );
    assert.deepEqual(
      run.events.flatMap((e) => (e.type === 'finish' ? [e.reason] : [])),
      ['tool_calls'],
    );
    assert.ok(!run.events.some((e) => e.type === 'error'));
  });

  it('reports the judge\'s scores: 8 kept, 3 rejected, 7 kept at the threshold', async () => {
    const client = clientOf(endpoint);
    const run = await runTurn(demoScript(), { client }, { client });
    const judged = run.spec.flatMap((e) => (e.type === 'stepJudged' ? [[e.score.kind === 'scored' ? e.score.score : null, e.accepted]] : []));
    assert.deepEqual(judged, [
      [8, true],
      [3, false],
      [7, true],
    ]);
  });

  it('counts the turn: steps, accepted, rejected, calls per model and the acceptance rate', async () => {
    const client = clientOf(endpoint);
    const run = await runTurn(demoScript(), { client }, { client });
    const { metrics, steps, fallback } = summaryOf(run);
    assert.equal(fallback, undefined);
    assert.equal(metrics.steps, 4);
    assert.equal(metrics.reserved, 1);
    assert.equal(metrics.accepted, 2);
    assert.equal(metrics.rejected, 1);
    assert.equal(metrics.acceptanceRate, 2 / 3);
    assert.equal(metrics.draft.calls, 3);
    assert.equal(metrics.judge.calls, 3);
    // The reserved step, the rewrite and the answer.
    assert.equal(metrics.base.calls, 3);
    assert.ok(metrics.base.tokens > 0);
    // Each draft continuation went on past its step before it was cut: that text was paid for too.
    const keptDraftTokens = steps.filter((s) => s.author === 'draft').reduce((n, s) => n + s.tokens, 0);
    assert.ok(metrics.draft.tokens > keptDraftTokens, `${metrics.draft.tokens} > ${keptDraftTokens}`);
    assert.ok(metrics.totalMs >= metrics.draft.ms + metrics.base.ms + metrics.judge.ms);
    for (const s of steps) assert.equal(run.reasoning.slice(s.start, s.end).length, s.end - s.start);
    assert.deepEqual(
      steps.map((s) => [s.author, s.kind, s.score ?? null]),
      [
        ['base', 'reserved', null],
        ['draft', 'accepted', 8],
        ['base', 'rewritten', 3],
        ['draft', 'accepted', 7],
      ],
    );
    assert.equal(steps.at(-1)?.end, run.reasoning.length);
  });

  it('scores the same turn by the weighted method with the same outcome', async () => {
    const client = clientOf(endpoint);
    const run = await runTurn(demoScript(), { client }, { client }, { scoring: 'weighted' });
    const scores = run.spec.flatMap((e) => (e.type === 'stepJudged' && e.score.kind === 'scored' ? [e.score.score] : []));
    assert.equal(scores.length, 3);
    assert.ok(scores[0]! > 7.9 && scores[0]! < 8.1, String(scores[0]));
    assert.ok(scores[1]! < 4, String(scores[1]));
    assert.ok(scores[2]! > 7 && scores[2]! < 7.5, String(scores[2]));
    assert.deepEqual(kinds(run), ['base:reserved', 'draft:accepted', 'base:rewritten', 'draft:accepted']);
  });

  it('gives a recording the chunks that replay the same reasoning and tool call', async () => {
    const client = clientOf(endpoint);
    const run = await runTurn(demoScript(), { client }, { client });
    const parser = new ChunkParser({ assumeThinking: true });
    const replayed = [...run.chunks.flatMap((c) => parser.push(c)), ...parser.end()];
    const reasoning = replayed.flatMap((e) => (e.type === 'reasoning' ? [e.text] : [])).join('');
    assert.equal(reasoning, run.reasoning);
    assert.deepEqual(
      replayed.flatMap((e) => (e.type === 'toolCallSealed' ? [e.call.name] : [])),
      ['get_order_status'],
    );
  });
});

describe('a live SpecReason turn saved as exchanges', () => {
  it('is served again by an endpoint holding only what the turn reported, with the same outcome', async () => {
    const source = await LocalEndpoint.start({ sessions: [], exchanges: demoExchanges(), tokensPerSecond: null });
    const saved: RecordedExchange[] = [];
    let first;
    try {
      const client = clientOf(source);
      first = await runTurn(demoScript(), { client }, { client }, {}, () => {}, (e) => saved.push(e));
    } finally {
      await source.close();
    }
    // The reserved step, three drafts, three verdicts, one rewrite, the answer.
    assert.equal(saved.length, 9);
    const replay = await LocalEndpoint.start({ sessions: [], exchanges: saved, tokensPerSecond: null });
    try {
      const client = clientOf(replay);
      const again = await runTurn(demoScript(), { client }, { client });
      assert.equal(again.reasoning, first.reasoning);
      assert.deepEqual(kinds(again), kinds(first));
      assert.deepEqual(
        again.events.flatMap((e) => (e.type === 'toolCallSealed' ? [[e.call.name, e.call.arguments]] : [])),
        first.events.flatMap((e) => (e.type === 'toolCallSealed' ? [[e.call.name, e.call.arguments]] : [])),
      );
    } finally {
      await replay.close();
    }
  });
});

describe('a SpecReason turn from an endpoint that puts reasoning in <think> tags', () => {
  let endpoint: LocalEndpoint;
  before(async () => {
    endpoint = await LocalEndpoint.start({ sessions: [], exchanges: demoExchanges(), tokensPerSecond: null, reasoningField: 'think-tags' });
  });
  after(() => endpoint.close());

  it('reads continuations that go on inside the open think block and close it before the call', async () => {
    const client = clientOf(endpoint);
    const run = await runTurn(demoScript(), { client }, { client });
    assert.ok(!run.spec.some((e) => e.type === 'fallback'), JSON.stringify(run.spec.find((e) => e.type === 'fallback')));
    assert.deepEqual(kinds(run), ['base:reserved', 'draft:accepted', 'base:rewritten', 'draft:accepted']);
    assert.deepEqual(
      run.events.flatMap((e) => (e.type === 'toolCallSealed' ? [e.call.name] : [])),
      ['get_order_status'],
    );
    assert.ok(!run.reasoning.includes('</think>'));
  });
});
