import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shadowTurn } from '../../../src/core/proxy/shadow-speculation.js';
import type { Session, TimedChunk } from '../../../src/core/session/format.js';
import type { RawDelta } from '../../../src/core/stream/raw-chunk.js';

const chunk = (t: number, delta: RawDelta, finish: string | null = null): TimedChunk => ({ t, chunk: { choices: [{ index: 0, delta, finish_reason: finish }] } });

/** A recorded turn: the reasoning names the call at 100 ms, the call streams at 600 ms, the agent's tool took 300 ms. */
function ticketSession(): Session {
  return {
    header: {
      kind: 'header',
      format: 'foresight-session',
      version: 1,
      id: 'shadow-test',
      createdAt: '2026-01-01T00:00:00.000Z',
      model: 'm',
      endpoint: 'http://127.0.0.1:1/v1',
      tools: [{ type: 'function', function: { name: 'find_ticket', description: 'A support ticket by number.', parameters: { type: 'object', properties: { number: { type: 'string' } }, required: ['number'] } } }],
      versions: { foresight: 'test' },
      timing: 'recorded',
    },
    turns: [
      {
        index: 0,
        request: [{ role: 'user', content: 'What happened to ticket T-88?' }],
        chunks: [
          chunk(100, { reasoning_content: 'I need the ticket. I will call find_ticket with number "T-88". ' }),
          chunk(580, { reasoning_content: 'That should say who has it.' }),
          chunk(600, { tool_calls: [{ index: 0, id: 'c1', type: 'function', function: { name: 'find_ticket', arguments: '{"number":"T-88"}' } }] }),
          chunk(610, {}, 'tool_calls'),
        ],
        toolResults: [{ type: 'toolResult', callId: 'c1', name: 'find_ticket', arguments: '{"number":"T-88"}', output: '{"owner":"Ana"}', isError: false, durationMs: 300 }],
      },
    ],
  };
}

describe('shadowTurn', () => {
  it('reports an exact prediction with its lead on the recorded clock and the whole tool time as saved', async () => {
    const found = await shadowTurn(ticketSession(), 0, { rules: [] });
    assert.equal(found.calls.length, 1);
    const call = found.calls[0]!;
    assert.equal(call.exact, true);
    assert.equal(call.decision, 'fired');
    // The call is sealed by the finish chunk at 610 ms; the intent came at 100 ms.
    assert.equal(call.leadMs, 510);
    assert.equal(call.toolLatencyMs, 300);
    assert.equal(call.savedMs, 300);
    assert.ok(found.events.some((e) => e.type === 'claim' && e.outcome === 'hit'));
  });

  it('saves nothing for a tool not counted read-only, though the prediction was exact', async () => {
    const found = await shadowTurn(ticketSession(), 0, { rules: [], readOnly: ['other_*'] });
    const call = found.calls[0]!;
    assert.equal(call.exact, true);
    assert.equal(call.decision, 'blocked');
    assert.equal(call.savedMs, 0);
  });

  it('says a call was not predicted when the reasoning never named it', async () => {
    const session = ticketSession();
    session.turns[0]!.chunks[0] = chunk(100, { reasoning_content: 'Let me look this up. ' });
    const found = await shadowTurn(session, 0, { rules: [] });
    assert.equal(found.calls[0]!.exact, false);
    assert.equal(found.calls[0]!.leadMs, undefined);
    assert.equal(found.calls[0]!.savedMs, 0);
  });
});
