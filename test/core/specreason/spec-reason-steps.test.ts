import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LocalEndpoint } from '../../../src/core/endpoint/local-endpoint.js';
import { exchangesOfScript, type SpecReasonScript } from '../../../src/core/specreason/demo-script.js';
import { restartsReasoning, writeStep } from '../../../src/core/specreason/model-calls.js';
import { continuationMessages } from '../../../src/core/specreason/spec-prompts.js';
import { clientOf, kinds, runTurn, summaryOf, tickingClock } from './spec-harness.js';

// A second hand-written turn, for other tools: two reserved steps, a draft the judge rates 9,
// and one it answers with a word instead of a digit.
const TICKETS: SpecReasonScript = {
  handWritten: true,
  title: 'Reopen ticket T-310?',
  models: { draft: 'tickets-draft', base: 'tickets-base' },
  messages: [{ role: 'user', content: 'Ticket T-310 was closed but the printer still jams. Should it be reopened?' }],
  steps: [
    { by: 'base', text: 'The user says the printer in ticket T-310 still jams after the ticket was closed.' },
    { by: 'base', text: 'Reopening depends on what the fix was, so I need the ticket history.' },
    { draft: 'The get_ticket tool returns the history of a ticket by its id, T-310 here.', judge: { token: '9', top: { '9': -0.05, '8': -3.2 } } },
    {
      draft: 'Printers often jam because of paper humidity.',
      judge: { token: 'Hmm', top: { Hmm: -0.3, '2': -1.9, The: -2.5 } },
      base: 'So I will call get_ticket with id "T-310" and read how it was closed.',
    },
  ],
  answer: { toolCalls: [{ id: 'call_t1', name: 'get_ticket', arguments: '{"id":"T-310"}' }] },
};

const reserved = (i: number) => (TICKETS.steps[i] as { text: string }).text;

describe('the step loop', () => {
  let endpoint: LocalEndpoint;
  before(async () => {
    const extra = {
      model: TICKETS.models.base,
      messages: continuationMessages(TICKETS.messages, `${reserved(0)}\n\n${reserved(1)}\n\n`),
      continuation: true,
      answer: { reasoning: 'Out of budget; the history decides.', toolCalls: [{ id: 'call_t2', name: 'get_ticket', arguments: '{"id":"T-310"}' }] },
    };
    endpoint = await LocalEndpoint.start({ sessions: [], exchanges: [...exchangesOfScript(TICKETS), extra], tokensPerSecond: null });
  });
  after(() => endpoint.close());

  it('leaves the first reservedSteps steps to the base model and drafts the rest', async () => {
    const client = clientOf(endpoint);
    const run = await runTurn(TICKETS, { client }, { client }, { reservedSteps: 2 });
    assert.deepEqual(kinds(run), ['base:reserved', 'base:reserved', 'draft:accepted', 'base:rewritten']);
    const proposed = run.spec.flatMap((e) => (e.type === 'stepProposed' ? [e.index] : []));
    assert.deepEqual(proposed, [2, 3]);
  });

  it('rejects a step the judge answered with a word, and counts it as unscored', async () => {
    const client = clientOf(endpoint);
    const run = await runTurn(TICKETS, { client }, { client }, { reservedSteps: 2 });
    const last = run.spec.filter((e) => e.type === 'stepJudged').at(-1);
    assert.ok(last?.type === 'stepJudged');
    assert.deepEqual(last.score, { kind: 'unscored', method: 'greedy', reason: 'nonDigit', token: 'Hmm' });
    assert.equal(last.accepted, false);
    assert.ok(!run.reasoning.includes('humidity'));
    const { metrics, steps } = summaryOf(run);
    assert.equal(metrics.unscored, 1);
    assert.equal(metrics.rejected, 1);
    assert.equal(steps.at(-1)?.score, null);
  });

  it('with weighted scoring, scores the same word answer from the digits among its alternatives', async () => {
    const client = clientOf(endpoint);
    const run = await runTurn(TICKETS, { client }, { client }, { reservedSteps: 2, scoring: 'weighted' });
    const last = run.spec.filter((e) => e.type === 'stepJudged').at(-1);
    assert.ok(last?.type === 'stepJudged' && last.score.kind === 'scored' && last.score.score === 2);
  });

  it('goes to the answer once the token budget is spent, without asking the draft', async () => {
    const client = clientOf(endpoint);
    // The first step leaves 5 tokens of the budget, the second spends them.
    const run = await runTurn(TICKETS, { client }, { client }, { reservedSteps: 2, tokenBudget: 20 });
    assert.deepEqual(kinds(run), ['base:reserved', 'base:reserved', 'base:continued']);
    assert.equal(summaryOf(run).metrics.draft.calls, 0);
    assert.deepEqual(
      run.events.flatMap((e) => (e.type === 'toolCallSealed' ? [e.call.name] : [])),
      ['get_ticket'],
    );
  });

  it('cuts a continuation at the step token limit over HTTP', async () => {
    const w = await writeStep({ client: clientOf(endpoint), model: TICKETS.models.base }, { messages: TICKETS.messages }, '', 4, tickingClock());
    assert.equal(w.kind, 'step');
    assert.ok(w.kind === 'step');
    assert.deepEqual([w.step.text, w.step.tokens, w.step.end, w.closed], ['The user says the', 4, 'tokenLimit', false]);
  });

  it('stops the turn when its signal aborts, with the stream\'s aborted error last', async () => {
    const client = clientOf(endpoint);
    const abort = new AbortController();
    const config = { draft: { client, model: TICKETS.models.draft }, base: { client, model: TICKETS.models.base } };
    const { streamSpecReason } = await import('../../../src/core/specreason/spec-reason-stream.js');
    const { normaliseSpecReasonSettings } = await import('../../../src/core/specreason/specreason-settings.js');
    const events = [];
    for await (const e of streamSpecReason(
      { ...config, settings: normaliseSpecReasonSettings({ reservedSteps: 2 }), now: tickingClock() },
      { model: 'x', messages: TICKETS.messages },
      { signal: abort.signal, onEvent: (e) => e.type === 'stepKept' && abort.abort() },
    )) {
      events.push(e);
    }
    const last = events.at(-1);
    assert.ok(last?.type === 'error' && last.error.kind === 'aborted', JSON.stringify(last));
    assert.equal(events.filter((e) => e.type === 'reasoning').length, 1);
  });
});

describe('recognising a restarted reasoning', () => {
  it('flags a continuation that opens <think> again or repeats the start of the reasoning', () => {
    const so = 'The customer wants a refund for order 5521 and says it arrived broken.\n\n';
    assert.equal(restartsReasoning(so, '<think>\nThe customer'), true);
    assert.equal(restartsReasoning(so, 'The customer wants a refund for order 5521 again'), true);
    assert.equal(restartsReasoning(so, 'I should check the return window first.'), false);
    assert.equal(restartsReasoning('', 'The customer wants a refund'), false);
  });
});
