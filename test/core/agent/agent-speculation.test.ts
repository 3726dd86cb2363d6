import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import type { AgentEvent } from '../../../src/core/agent/agent-events.js';
import { runAgent, type SpeculationSetup } from '../../../src/core/agent/agent-loop.js';
import type { Tool } from '../../../src/core/chat/tool.js';
import { LocalEndpoint } from '../../../src/core/endpoint/local-endpoint.js';
import { ArgumentNormalizer } from '../../../src/core/schema/argument-normalizer.js';
import { LatencyStats } from '../../../src/core/speculation/latency-stats.js';
import { DEFAULT_POLICY } from '../../../src/core/speculation/speculation-policy.js';
import { createRecordedTools } from '../../../src/core/tools/recorded-tools.js';
import { WEATHER_PROMPT, weatherSession } from '../../fixtures/weather-transcript.js';

function setup(): SpeculationSetup {
  return { rules: [], normalizer: new ArgumentNormalizer(), policy: DEFAULT_POLICY, latency: new LatencyStats(150) };
}

/** Recorded tools that count how often they really run. */
function countingTools(readOnly: boolean) {
  const runs: string[] = [];
  const tools = createRecordedTools([weatherSession()], { latencyMs: 80 }).map(
    (t): Tool => ({ ...t, readOnly, run: (args, signal) => (runs.push(JSON.stringify(args)), t.run(args, signal)) }),
  );
  return { tools, runs };
}

describe('speculation in the agent loop (real endpoint, real SDK)', () => {
  let endpoint: LocalEndpoint;
  let client: OpenAI;
  before(async () => {
    endpoint = await LocalEndpoint.start({ sessions: [weatherSession()], tokensPerSecond: 150 });
    client = new OpenAI({ baseURL: endpoint.baseUrl, apiKey: 'unused', maxRetries: 0 });
  });
  after(async () => endpoint.close());

  it('predicts both parallel calls from the reasoning and serves them from speculation', async () => {
    const { tools, runs } = countingTools(true);
    const events: AgentEvent[] = [];
    for await (const e of runAgent({ client, model: 'test-reasoner', messages: [...WEATHER_PROMPT], tools, speculation: setup() })) events.push(e);
    const done = events[events.length - 1];
    assert.equal(done?.type === 'done' && done.reason, 'answer');
    const served = events.filter((e) => e.type === 'toolEnd' && e.speculative);
    assert.equal(served.length, 2, 'both calls came from speculation');
    assert.equal(runs.length, 2, 'each tool ran once, early, and never again for the formal call');
    const metrics = events.find((e) => e.type === 'turnMetrics' && e.turn === 0);
    assert.ok(metrics?.type === 'turnMetrics');
    assert.equal(metrics.metrics.hits + metrics.metrics.partialHits, 2);
    assert.equal(metrics.metrics.misfires, 0);
    assert.ok(metrics.metrics.savedMs > 0);
    // The run reached the same answer as without speculation.
    assert.match(String(done?.type === 'done' && done.messages[done.messages.length - 1]?.content), /16 degrees warmer/);
  });

  it('never runs a tool early that is not read-only, and the run still succeeds', async () => {
    const { tools, runs } = countingTools(false);
    const events: AgentEvent[] = [];
    for await (const e of runAgent({ client, model: 'test-reasoner', messages: [...WEATHER_PROMPT], tools, speculation: setup() })) {
      events.push(e);
      // Until the turn's stream is over, nothing has run.
      if (e.type === 'stream' && e.turn === 0 && e.event.type !== 'finish') assert.equal(runs.length, 0);
    }
    assert.equal(runs.length, 2);
    const blocked = events.filter((e) => e.type === 'speculation' && e.event.type === 'intent' && e.event.decision === 'blocked');
    assert.equal(blocked.length, 2);
    assert.ok(!events.some((e) => e.type === 'toolEnd' && e.speculative));
  });
});
