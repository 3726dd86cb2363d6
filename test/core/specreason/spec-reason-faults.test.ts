import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { RecordedExchange } from '../../../src/core/endpoint/exchange-table.js';
import { LocalEndpoint, type LocalEndpointOptions } from '../../../src/core/endpoint/local-endpoint.js';
import { continuationMessages } from '../../../src/core/specreason/spec-prompts.js';
import type { SpecReasonScript } from '../../../src/core/specreason/demo-script.js';
import { clientOf, demoExchanges, demoScript, kinds, runTurn, summaryOf, type TurnRun } from './spec-harness.js';

const script = demoScript();
const firstStep = `${(script.steps[0] as { text: string }).text}\n\n`;
const CALL = { id: 'call_fallback_1', name: 'get_order_status', arguments: '{"order_id":"48213"}' };

/** What the base model answers when it alone goes on from `reasoning` (hand-written for these tests). */
function baseGoesOn(s: SpecReasonScript, reasoning: string): RecordedExchange {
  return {
    model: s.models.base,
    messages: continuationMessages(s.messages, reasoning),
    continuation: true,
    answer: { reasoning: 'The order status comes first; I will look it up.', toolCalls: [CALL] },
  };
}

const started: LocalEndpoint[] = [];
async function start(options: Partial<LocalEndpointOptions>): Promise<LocalEndpoint> {
  const endpoint = await LocalEndpoint.start({ sessions: [], tokensPerSecond: null, ...options });
  started.push(endpoint);
  return endpoint;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((e) => e.close()));
});

function fallbackOf(run: TurnRun) {
  const found = run.spec.filter((e) => e.type === 'fallback');
  assert.equal(found.length, 1, 'exactly one fallback is announced');
  return found[0] as Extract<TurnRun['spec'][number], { type: 'fallback' }>;
}

function callsOf(run: TurnRun): string[] {
  return run.events.flatMap((e) => (e.type === 'toolCallSealed' ? [e.call.name] : []));
}

describe('SpecReason when something fails', () => {
  it('announces a fallback when the draft endpoint goes down mid-turn, and the base model finishes from the kept reasoning', async () => {
    const draftEndpoint = await start({ exchanges: demoExchanges() });
    const baseEndpoint = await start({ exchanges: demoExchanges() });
    let closed = false;
    const run = await runTurn(script, { client: clientOf(draftEndpoint) }, { client: clientOf(baseEndpoint) }, {}, (e) => {
      if (e.type === 'stepKept' && e.author === 'draft' && !closed) {
        closed = true;
        void draftEndpoint.close();
      }
    });
    const fallback = fallbackOf(run);
    assert.equal(fallback.reason, 'draftUnavailable');
    assert.match(fallback.message, /foresight\.specReason\.draftBaseUrl/);
    assert.deepEqual(kinds(run), ['base:reserved', 'draft:accepted', 'base:continued']);
    // The base model's own continuation after the two kept steps is the recorded rewrite onwards.
    const rewrite = (script.steps[2] as { base: string }).base;
    assert.ok(run.reasoning.includes(rewrite));
    assert.ok(!run.events.some((e) => e.type === 'error'));
    assert.equal(summaryOf(run).fallback?.reason, 'draftUnavailable');
  });

  it('announces a fallback when the judge answers 429, and the base model still makes the call', async () => {
    const endpoint = await start({ exchanges: [...demoExchanges(), baseGoesOn(script, firstStep)], allowFaults: true });
    const client = clientOf(endpoint);
    const run = await runTurn(script, { client }, { client }, {}, (e) => {
      if (e.type === 'stepProposed' && e.index === 1) endpoint.setFaults({ failStatus: 429, failCount: 1 });
    });
    const fallback = fallbackOf(run);
    assert.equal(fallback.reason, 'judgeUnavailable');
    assert.match(fallback.message, /429/);
    assert.deepEqual(callsOf(run), ['get_order_status']);
    assert.deepEqual(kinds(run), ['base:reserved', 'base:continued']);
    const { metrics } = summaryOf(run);
    assert.equal(metrics.judge.calls, 1);
    assert.equal(metrics.acceptanceRate, null);
  });

  it('rides out a single 429 from the judge when the client retries, with no fallback', async () => {
    const endpoint = await start({ exchanges: demoExchanges(), allowFaults: true });
    const draft = clientOf(endpoint);
    const base = clientOf(endpoint, { maxRetries: 1 });
    const run = await runTurn(script, { client: draft }, { client: base }, {}, (e) => {
      if (e.type === 'stepProposed' && e.index === 1) endpoint.setFaults({ failStatus: 429, failCount: 1 });
    });
    assert.ok(!run.spec.some((e) => e.type === 'fallback'));
    assert.deepEqual(kinds(run), ['base:reserved', 'draft:accepted', 'base:rewritten', 'draft:accepted']);
  });

  it('says which server flag or setting fixes a judge that gives no logprobs, and falls back', async () => {
    const endpoint = await start({ exchanges: [...demoExchanges(), baseGoesOn(script, firstStep)], exchangeFeatures: { logprobs: false } });
    const client = clientOf(endpoint);
    const run = await runTurn(script, { client }, { client }, { topLogprobs: 12 });
    const fallback = fallbackOf(run);
    assert.equal(fallback.reason, 'noLogprobs');
    assert.match(fallback.message, /--max-logprobs 12/);
    assert.match(fallback.message, /foresight\.specReason\.topLogprobs/);
    assert.deepEqual(callsOf(run), ['get_order_status']);
  });

  it('falls back when the draft endpoint rejects the continuation fields, naming them', async () => {
    const draftEndpoint = await start({ exchanges: demoExchanges(), exchangeFeatures: { continuation: false } });
    const baseEndpoint = await start({ exchanges: [...demoExchanges(), baseGoesOn(script, firstStep)] });
    const run = await runTurn(script, { client: clientOf(draftEndpoint) }, { client: clientOf(baseEndpoint) });
    const fallback = fallbackOf(run);
    assert.equal(fallback.reason, 'draftNoContinuation');
    assert.match(fallback.message, /continue_final_message/);
    assert.deepEqual(callsOf(run), ['get_order_status']);
  });

  it('falls back when the draft starts a new reasoning instead of continuing the prefill', async () => {
    const restart: RecordedExchange = {
      model: script.models.draft,
      messages: continuationMessages(script.messages, firstStep),
      continuation: true,
      answer: { reasoning: `<think>\n${firstStep}More thoughts.\n\n` },
    };
    // The first exchange with a key wins: this one stands in for the demo's draft step.
    const endpoint = await start({ exchanges: [restart, ...demoExchanges(), baseGoesOn(script, firstStep)] });
    const client = clientOf(endpoint);
    const run = await runTurn(script, { client }, { client });
    assert.equal(fallbackOf(run).reason, 'draftNoContinuation');
    assert.ok(!run.reasoning.includes('More thoughts'));
  });

  it('answers from the start, announced, when the base endpoint cannot continue either', async () => {
    const plain: RecordedExchange = {
      model: script.models.base,
      messages: script.messages,
      answer: { reasoning: 'Order 48213: I need its status first.', toolCalls: [CALL] },
    };
    // First, so it answers the plain request in place of the script's own base-only answer.
    const endpoint = await start({ exchanges: [plain, ...demoExchanges()], exchangeFeatures: { continuation: false } });
    const client = clientOf(endpoint);
    const run = await runTurn(script, { client }, { client });
    const fallback = fallbackOf(run);
    assert.equal(fallback.reason, 'baseNoContinuation');
    assert.match(fallback.message, /add_generation_prompt/);
    assert.equal(run.reasoning, 'Order 48213: I need its status first.');
    assert.deepEqual(callsOf(run), ['get_order_status']);
  });

  it('ends the turn with the stream error when the base model fails writing a step', async () => {
    const endpoint = await start({ exchanges: demoExchanges(), allowFaults: true, faults: { failStatus: 503 } });
    const client = clientOf(endpoint);
    const run = await runTurn(script, { client }, { client });
    const last = run.events.at(-1);
    assert.equal(last?.type, 'error');
    assert.equal(last?.type === 'error' ? last.error.status : undefined, 503);
    assert.equal(summaryOf(run).metrics.steps, 0);
  });
});
