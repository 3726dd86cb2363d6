import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SPEC_REASON_DEFAULTS, normaliseSpecReasonSettings } from '../../../src/core/specreason/specreason-settings.js';

describe('SpecReason settings', () => {
  it('default to threshold 7 of 9 and greedy scoring', () => {
    assert.deepEqual(normaliseSpecReasonSettings(), SPEC_REASON_DEFAULTS);
    assert.equal(SPEC_REASON_DEFAULTS.threshold, 7);
    assert.equal(SPEC_REASON_DEFAULTS.scoring, 'greedy');
  });

  it('clamp values out of range and replace values of the wrong type', () => {
    const s = normaliseSpecReasonSettings({ threshold: 12, scoring: 'median', reservedSteps: -3, topLogprobs: 50, stepTokenLimit: '64', tokenBudget: 2.6 });
    assert.equal(s.threshold, 9);
    assert.equal(s.scoring, 'greedy');
    assert.equal(s.reservedSteps, 0);
    assert.equal(s.topLogprobs, 20);
    assert.equal(s.stepTokenLimit, SPEC_REASON_DEFAULTS.stepTokenLimit);
    assert.equal(s.tokenBudget, 3);
  });

  it('keep a fractional threshold, for weighted scores', () => {
    assert.equal(normaliseSpecReasonSettings({ threshold: 6.5, scoring: 'weighted' }).threshold, 6.5);
  });
});
