import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SpeculationSettings } from '../../../src/core/engine/speculation-setup.js';
import { createSpeculationSetup } from '../../../src/core/engine/speculation-setup.js';

const SETTINGS: SpeculationSettings = {
  enabled: true,
  readOnlyTools: [],
  openWorldTools: [],
  ruleFiles: [],
  schemaSniffing: true,
  minConfidence: 0.3,
  costFactor: 1,
  costPerRunMs: 200,
  budgetMsPerTurn: 5_000,
  maxConcurrent: 2,
  timeoutMs: 10_000,
};

test('a rule with a catastrophic pattern reaches the chat as a sentence naming file, line and rule, and is not used', () => {
  const text = ['tool track_parcel', '  when /(?<code>a+)+$/u', '', 'tool lookup_order', '  when /look up order (?<order_id>\\d+)/'].join('\n');
  const { setup, problems } = createSpeculationSetup(SETTINGS, [{ name: 'orders.sniff', text }], undefined);
  assert.equal(problems.length, 1);
  assert.match(problems[0]!, /^orders\.sniff:2: The rule "tool track_parcel" is not used: this pattern (?:can backtrack catastrophically|repeats a part that itself repeats or branches)/);
  assert.deepEqual(setup.rules.map((r) => r.id), ['tool lookup_order']);
});
