import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_POLICY, decideToFire } from '../../../src/core/speculation/speculation-policy.js';

const idle = { budgetLeftMs: DEFAULT_POLICY.budgetMsPerTurn, running: 0 };

describe('decideToFire', () => {
  it('declines a low-probability call to a tool that is cheap to wait for, with the default settings', () => {
    const d = decideToFire(0.35, 80, idle, DEFAULT_POLICY);
    assert.equal(d.fire, false);
    assert.equal(!d.fire && d.reason, 'not-worth-it');
    assert.ok(d.savingMs < d.costMs);
  });

  it('fires a likely call to a slow tool', () => {
    assert.equal(decideToFire(0.7, 1500, idle, DEFAULT_POLICY).fire, true);
  });

  it('lets latency matter: the same probability fires for a slow tool and not for a fast one', () => {
    assert.equal(decideToFire(0.5, 2000, idle, DEFAULT_POLICY).fire, true);
    assert.equal(decideToFire(0.5, 100, idle, DEFAULT_POLICY).fire, false);
  });

  it('grows the expected cost as the turn spends its budget', () => {
    const fresh = decideToFire(0.5, 400, idle, DEFAULT_POLICY);
    const spent = decideToFire(0.5, 400, { budgetLeftMs: DEFAULT_POLICY.budgetMsPerTurn / 10, running: 0 }, DEFAULT_POLICY);
    assert.ok(spent.costMs > fresh.costMs);
    assert.equal(fresh.fire, true);
    assert.equal(spent.fire, false);
  });

  it('never fires below the probability floor, nor past the budget or the concurrency cap', () => {
    assert.equal(decideToFire(0.2, 100_000, idle, DEFAULT_POLICY).fire, false);
    const budget = decideToFire(0.95, 1000, { budgetLeftMs: 500, running: 0 }, DEFAULT_POLICY);
    assert.equal(!budget.fire && budget.reason, 'budget');
    const busy = decideToFire(0.95, 1000, { budgetLeftMs: 30_000, running: DEFAULT_POLICY.maxConcurrent }, DEFAULT_POLICY);
    assert.equal(!busy.fire && busy.reason, 'concurrency');
  });
});
