import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Session } from '../../../src/core/session/format.js';
import { summarizeSession } from '../../../src/core/session/session-summary.js';
import { sessionTrace } from '../../../src/core/trace/session-trace.js';

const metrics = { intents: 1, fired: 1, hits: 1, partialHits: 0, misses: 0, misfires: 0, stale: 0, blocked: 0, warmups: 0, wastedMs: 0, savedMs: 300, ttaMs: 0, ttaWithoutMs: 300, calls: 1, crossTurnHits: 0 };

/** A session as the chat records it: timed chunks, then the speculation it did, then the tool's result. */
const recorded: Session = {
  header: { kind: 'header', format: 'foresight-session', version: 1, id: 's1', createdAt: '2026-11-24T06:00:00.000Z', model: 'm', endpoint: 'http://x', tools: [], versions: { foresight: '0' }, timing: 'recorded', title: 'Recorded run' },
  turns: [
    {
      index: 0,
      request: [],
      chunks: [
        { t: 10, chunk: { choices: [{ delta: { reasoning_content: 'I will call get_x with a 1.' } }] } },
        { t: 500, chunk: { choices: [{ delta: { tool_calls: [{ index: 0, id: 'c1', function: { name: 'get_x', arguments: '{"a":1}' } }] } }] } },
        { t: 520, chunk: { choices: [{ finish_reason: 'tool_calls', delta: {} }] } },
      ],
      toolResults: [{ type: 'toolResult', callId: 'c1', name: 'get_x', arguments: '{"a":1}', output: 'ok', isError: false, durationMs: 1, speculative: { outcome: 'hit', savedMs: 300 } }],
      speculation: [
        { t: 100, event: { type: 'speculation', event: { type: 'intent', intent: { kind: 'call', tool: 'get_x', args: { a: 1 }, canonical: '{"a":1}', source: 'rule', ruleId: 'r1', confidence: 0.9, span: { start: 2, end: 26 }, at: 26 }, decision: 'fired', probability: 0.9 } } },
        { t: 100, event: { type: 'speculation', event: { type: 'specStart', specId: 1, tool: 'get_x', canonical: '{"a":1}', ruleId: 'r1', at: 0 } } },
        { t: 400, event: { type: 'speculation', event: { type: 'specEnd', specId: 1, tool: 'get_x', canonical: '{"a":1}', status: 'done', durationMs: 300, at: 0 } } },
        { t: 520, event: { type: 'speculation', event: { type: 'claim', callId: 'c1', tool: 'get_x', canonical: '{"a":1}', outcome: 'hit', specId: 1, savedMs: 300, ttaMs: 0, at: 0 } } },
        { t: 530, event: { type: 'turnMetrics', metrics } },
      ],
    },
  ],
};

describe('a recorded session', () => {
  it('replays the speculation it recorded, at the times it was recorded, between its reasoning and its formal call, then the tool\'s result', async () => {
    const events = await sessionTrace(recorded, { kind: 'recorded' });
    assert.deepEqual(
      events.map((e) => [e.type, e.t]),
      [
        ['turnStart', 0],
        ['reasoning', 10],
        ['intent', 100],
        ['specStart', 100],
        ['specEnd', 400],
        ['seal', 520],
        ['claim', 520],
        ['figures', 530],
        ['toolResult', 531],
      ],
    );
  });

  it('is summarised with its date, model, turns and hits for the Sessions view', () => {
    assert.deepEqual(summarizeSession(recorded), { title: 'Recorded run', createdAt: '2026-11-24T06:00:00.000Z', model: 'm', turns: 1, hits: 1 });
  });
});
