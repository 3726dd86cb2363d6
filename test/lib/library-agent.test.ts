import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import OpenAI from 'openai';
import { LocalEndpoint } from '../../src/core/endpoint/local-endpoint.js';
import { createForesightAgent } from '../../src/lib/index.js';
import { ORDER_PROMPT, orderSession } from '../core/proxy/order-transcript.js';

describe('the library entry', () => {
  it('runs examples/library-agent.ts: the stated call runs early and is served from that run', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'examples/library-agent.ts'], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(run.status, 0, run.stderr);
    const line = run.stdout.split('\n').find((l) => l.startsWith('result: '));
    assert.ok(line, run.stdout);
    const result = JSON.parse(line.slice('result: '.length)) as { stopReason: string; served: { tool: string; speculative: string | null }[]; hits: number; partialHits: number };
    assert.equal(result.stopReason, 'answer');
    assert.equal(result.served.length, 1);
    assert.equal(result.served[0]!.tool, 'check_stock');
    // Finished before the call (hit) or still running when it came (partial): served from the early run either way.
    assert.ok(result.served[0]!.speculative === 'hit' || result.served[0]!.speculative === 'partial', line);
    assert.equal(result.hits + result.partialHits, 1);
    assert.match(run.stdout, /answer: Yes: we have 3 copies/);
  });

  it('never runs a tool early that is not read-only, and still serves its call', async () => {
    const endpoint = await LocalEndpoint.start({ sessions: [orderSession()], tokensPerSecond: 400 });
    try {
      const runs: string[] = [];
      const agent = createForesightAgent({
        client: new OpenAI({ baseURL: endpoint.baseUrl, apiKey: 'unused', maxRetries: 0 }),
        model: 'desk-reasoner',
        tools: [
          {
            name: 'lookup_order',
            description: 'Where an order is and when it arrives.',
            parameters: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'] },
            readOnly: false,
            run: async (args) => {
              runs.push(String(args.order_id));
              return '{"order_id":"A-1042","status":"in transit","eta":"Thursday"}';
            },
          },
        ],
      });
      const run = agent.run([...ORDER_PROMPT]);
      const events: string[] = [];
      for await (const e of run) events.push(e.type);
      const result = await run.result;
      assert.equal(result.stopReason, 'answer');
      assert.deepEqual(runs, ['A-1042']);
      assert.equal(result.served.length, 1);
      assert.equal(result.served[0]!.speculative, undefined);
      assert.equal(result.metrics.fired, 0);
      assert.ok(result.metrics.blocked >= 1, JSON.stringify(result.metrics));
      assert.equal(events[events.length - 1], 'done');
      assert.deepEqual(agent.ruleProblems, []);
    } finally {
      await endpoint.close();
    }
  });
});
