import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_POLICY, decideToFire } from '../../../src/core/speculation/speculation-policy.js';
import { explainDecision, type DecisionFacts } from '../../../src/core/trace/decision-explanation.js';

const base: DecisionFacts = { tool: 'lookup_ticket', kind: 'call', decision: 'fired', prior: 0.8, probability: 0.8 };

/** [decision, what the summary must say, what the action must name (or null for none)]. */
const table: [Partial<DecisionFacts>, RegExp, RegExp | null][] = [
  [{ decision: 'fired', savingMs: 640, costMs: 60 }, /^Ran early: 80% likely; expected saving 640 ms \(80% × 800 ms\)/, null],
  [{ decision: 'blocked' }, /not known to be read-only/, /foresight\.speculation\.readOnlyTools.*Trust MCP Server…/],
  [{ decision: 'open-world' }, /reaches outside/, /foresight\.speculation\.openWorldTools.*foresight\.mcp\.openWorldServers/],
  [{ decision: 'negated', cue: 'negated' }, /rules this call out/, null],
  [{ decision: 'recap', cue: 'past' }, /recounts a call already made/, null],
  [{ decision: 'recap' }, /already made this call and has its answer/, null],
  [{ decision: 'low-confidence', prior: 0.5, probability: 0.2 }, /only 20% likely \(rule 50%, measured on past runs\), below the minimum confidence of 30%/, /minConfidence/],
  [{ decision: 'low-confidence', prior: 0.5, probability: 0.175, cue: 'hedged' }, /lowered: the reasoning hedges/, /minConfidence/],
  [{ decision: 'not-worth-it', prior: 0.4, probability: 0.4, savingMs: 8, costMs: 121.2 }, /^Not worth it: 40% likely; expected saving 8 ms \(40% × 20 ms\) against an expected cost of 121 ms/, /costPerRunMs/],
  [{ decision: 'budget' }, /budget of 30\.0 s is spent/, /budgetMsPerTurn/],
  [{ decision: 'concurrency' }, /already running/, /maxConcurrent/],
  [{ decision: 'unknown-tool' }, /no tool named lookup_ticket/, null],
  [{ decision: 'already-cached' }, /already running or has its result waiting/, null],
  [{ decision: 'warmed', kind: 'warm' }, /Warmed up lookup_ticket/, null],
  [{ decision: 'a-future-decision' }, /Decision: a-future-decision/, null],
];

describe('explainDecision', () => {
  for (const [over, summary, action] of table) {
    it(`explains a ${over.decision} decision${over.cue ? ` (${over.cue})` : ''} in words, naming the setting that changes it`, () => {
      const e = explainDecision({ ...base, ...over }, DEFAULT_POLICY);
      assert.equal(e.gate, over.decision);
      assert.match(e.summary, summary);
      if (action) assert.match(e.action ?? '', action);
      else assert.equal(e.action, undefined);
    });
  }

  it('reads the typical latency and the budget used back from what the policy weighed', () => {
    const latency = 1200;
    const budgetLeftMs = DEFAULT_POLICY.budgetMsPerTurn * 0.25;
    const d = decideToFire(0.6, latency, { budgetLeftMs, running: 0 }, DEFAULT_POLICY);
    const e = explainDecision({ ...base, prior: 0.6, probability: 0.6, savingMs: d.savingMs, costMs: d.costMs }, DEFAULT_POLICY);
    assert.ok(Math.abs(e.latencyMs! - latency) < 1e-6);
    assert.ok(Math.abs(e.budgetUsed! - 0.75) < 1e-6);
    assert.equal(e.costPerRunMs, DEFAULT_POLICY.costPerRunMs + DEFAULT_POLICY.costFactor * latency);
    assert.equal(e.budgetMs, DEFAULT_POLICY.budgetMsPerTurn);
  });

  it('leaves out the figures it cannot know: no policy, no weighing, or a probability of 0', () => {
    const none = explainDecision({ ...base, decision: 'blocked' });
    assert.equal(none.latencyMs, undefined);
    assert.equal(none.budgetUsed, undefined);
    assert.equal(none.minConfidence, undefined);
    const zero = explainDecision({ ...base, decision: 'low-confidence', prior: 0, probability: 0, savingMs: 0, costMs: 100 }, DEFAULT_POLICY);
    assert.equal(zero.latencyMs, undefined);
    assert.equal(zero.savingMs, 0);
    const noPolicy = explainDecision({ ...base, savingMs: 400, costMs: 10 });
    assert.equal(noPolicy.latencyMs, 500);
    assert.equal(noPolicy.budgetUsed, undefined);
  });
});
