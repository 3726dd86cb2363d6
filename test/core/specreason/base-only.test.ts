import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LocalEndpoint } from '../../../src/core/endpoint/local-endpoint.js';
import type { RecordedSpecReasonMetrics } from '../../../src/core/session/format.js';
import { specReasonFiguresText } from '../../../src/core/specreason/spec-figures-text.js';
import { clientOf, demoExchanges, demoScript, runTurn, summaryOf } from './spec-harness.js';

describe('the base model alone, measured beside a SpecReason turn', () => {
  let endpoint: LocalEndpoint;
  before(async () => {
    endpoint = await LocalEndpoint.start({ sessions: [], exchanges: demoExchanges(), tokensPerSecond: null });
  });
  after(() => endpoint.close());

  it('is not measured, and not invented, when the setting is off', async () => {
    const client = clientOf(endpoint);
    const { metrics } = summaryOf(await runTurn(demoScript(), { client }, { client }));
    assert.equal(metrics.baseOnly, undefined);
    assert.match(specReasonFiguresText(metrics), /base model alone: not measured/);
  });

  it('sends the plain request to the base model after the turn and records its time and tokens, apart from the mode\'s time', async () => {
    const client = clientOf(endpoint);
    const run = await runTurn(demoScript(), { client }, { client }, { measureBaseOnly: true });
    const { metrics } = summaryOf(run);
    assert.equal(metrics.baseOnly?.kind, 'measured');
    if (metrics.baseOnly?.kind !== 'measured') return;
    assert.ok(metrics.baseOnly.ms > 0);
    assert.ok(metrics.baseOnly.tokens > 0);
    // The base-only answer is discarded: the turn's reasoning and calls are the mode's alone, once.
    assert.equal(run.events.filter((e) => e.type === 'toolCallSealed').length, 1);
    assert.match(specReasonFiguresText(metrics), new RegExp(`base model alone ${metrics.baseOnly.ms} ms, ${metrics.baseOnly.tokens} tokens \\(measured after the turn\\)`));
  });

  it('says the measurement failed, with why, when the base model cannot answer the plain request', async () => {
    // A table without the script's base-only exchange: the endpoint refuses that request.
    const script = demoScript();
    delete script.baseOnly;
    const bare = await LocalEndpoint.start({ sessions: [], exchanges: demoExchanges(script), tokensPerSecond: null });
    try {
      const client = clientOf(bare);
      const { metrics } = summaryOf(await runTurn(script, { client }, { client }, { measureBaseOnly: true }));
      assert.equal(metrics.baseOnly?.kind, 'failed');
      assert.match(specReasonFiguresText(metrics), /base model alone: measurement failed \(.+\)/);
    } finally {
      await bare.close();
    }
  });
});

describe('a SpecReason turn\'s figures in words', () => {
  const metrics: RecordedSpecReasonMetrics = {
    steps: 5,
    accepted: 3,
    rejected: 1,
    reserved: 1,
    unscored: 1,
    acceptanceRate: 0.75,
    draft: { calls: 4, tokens: 120, ms: 900 },
    base: { calls: 3, tokens: 80, ms: 2400 },
    judge: { calls: 4, ms: 400 },
    totalMs: 3750,
  };

  it('gives each rate with what it divides, tokens and time per model, and the mode\'s time', () => {
    const text = specReasonFiguresText(metrics);
    assert.match(text, /^5 steps: 3 accepted, 1 rejected, 1 unscored, 1 reserved; acceptance 75% \(3 of 4 judged\)/);
    assert.match(text, /draft 120 tokens in 900 ms \(4 calls\); base 80 tokens in 2\.40 s \(3 calls\); judge 400 ms \(4 calls\)/);
    assert.match(text, /SpecReason 3\.75 s, base model alone: not measured$/);
  });

  it('shows a base-only time that came out slower or faster as it was measured', () => {
    assert.match(specReasonFiguresText({ ...metrics, baseOnly: { kind: 'measured', ms: 2100, tokens: 95 } }), /SpecReason 3\.75 s, base model alone 2\.10 s, 95 tokens/);
  });

  it('says no draft step was judged rather than a rate of nothing', () => {
    assert.match(specReasonFiguresText({ ...metrics, accepted: 0, rejected: 0, unscored: 0, acceptanceRate: null }), /no draft step judged/);
  });
});
