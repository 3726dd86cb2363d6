import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Tool } from '../../../src/core/chat/tool.js';
import { LocalEndpoint } from '../../../src/core/endpoint/local-endpoint.js';
import { TurnEngine, type EngineStep } from '../../../src/core/engine/turn-engine.js';
import { ArgumentNormalizer } from '../../../src/core/schema/argument-normalizer.js';
import { LatencyStats } from '../../../src/core/speculation/latency-stats.js';
import { SpeculationCache } from '../../../src/core/speculation/speculation-cache.js';
import { DEFAULT_POLICY } from '../../../src/core/speculation/speculation-policy.js';
import { streamSpecReason } from '../../../src/core/specreason/spec-reason-stream.js';
import { normaliseSpecReasonSettings } from '../../../src/core/specreason/specreason-settings.js';
import { clientOf, demoExchanges, demoScript, tickingClock } from './spec-harness.js';

describe('a SpecReason turn fed to the speculative engine', () => {
  let endpoint: LocalEndpoint;
  before(async () => {
    endpoint = await LocalEndpoint.start({ sessions: [], exchanges: demoExchanges(), tokensPerSecond: null });
  });
  after(() => endpoint.close());

  it('is sniffed like any turn: the kept steps name the call, which runs early and serves the formal call', async () => {
    const script = demoScript();
    const runs: string[] = [];
    const orderStatus: Tool = {
      name: 'get_order_status',
      description: 'Status of a customer order.',
      parameters: script.tools![0]!.function.parameters!,
      readOnly: true,
      run: async (args) => {
        runs.push(JSON.stringify(args));
        return { output: '{"status":"shipped","tracking":"ZX-1"}', isError: false };
      },
    };
    const client = clientOf(endpoint);
    const abort = new AbortController();
    const steps: EngineStep[] = [];
    const engine = new TurnEngine({
      turn: 0,
      tools: new Map([[orderStatus.name, orderStatus]]),
      toolSpecs: script.tools!,
      messages: script.messages,
      speculation: { setup: { rules: [], normalizer: new ArgumentNormalizer(), policy: DEFAULT_POLICY, latency: new LatencyStats(150) }, cache: new SpeculationCache(abort.signal) },
      signal: abort.signal,
      now: tickingClock(),
      onStep: (s) => steps.push(s),
    });
    const config = { draft: { client, model: script.models.draft }, base: { client, model: script.models.base }, settings: normaliseSpecReasonSettings(), now: tickingClock() };
    for await (const e of streamSpecReason(config, { model: 'x', messages: script.messages, tools: script.tools! })) engine.push(e);
    const served = await engine.complete();
    engine.end(true);
    abort.abort();
    assert.deepEqual(
      served.map((s) => s.call.name),
      ['get_order_status'],
    );
    const end = steps.find((s) => s.type === 'toolEnd');
    assert.ok(end?.type === 'toolEnd' && end.speculative, 'the formal call was served from the speculation');
    assert.equal(runs.length, 1, 'the tool ran once, early');
  });
});
