import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toChatEvents } from '../../../src/core/chat-session/chat-events.js';

const call = { id: 'call_1', name: 'get_forecast', arguments: '{"city":"Lisbon"}' };

describe('toChatEvents', () => {
  it('tags stream events with the run and turn', () => {
    assert.deepEqual(toChatEvents(2, { type: 'stream', turn: 1, event: { type: 'reasoning', text: 'I should' } }), [
      { type: 'reasoning', runId: 2, turn: 1, text: 'I should' },
    ]);
    assert.deepEqual(toChatEvents(0, { type: 'stream', turn: 0, event: { type: 'toolCallSealed', index: 1, call } }), [
      { type: 'toolCallSealed', runId: 0, turn: 0, index: 1, callId: 'call_1', name: 'get_forecast', arguments: '{"city":"Lisbon"}' },
    ]);
  });

  it('leaves the conversation out of turn starts and drops usage, finish and stream errors', () => {
    assert.deepEqual(toChatEvents(0, { type: 'turnStart', turn: 0, messages: [{ role: 'user', content: 'x' }] }), [
      { type: 'turnStart', runId: 0, turn: 0 },
    ]);
    assert.deepEqual(toChatEvents(0, { type: 'stream', turn: 0, event: { type: 'finish', reason: 'stop' } }), []);
    assert.deepEqual(toChatEvents(0, { type: 'stream', turn: 0, event: { type: 'error', error: { kind: 'network', message: 'x' } } }), []);
    assert.deepEqual(toChatEvents(0, { type: 'done', reason: 'answer', messages: [] }), []);
  });

  it('shows who wrote each kept SpecReason step and every fallback, and leaves proposals, verdicts and summaries to the trace', () => {
    assert.deepEqual(
      toChatEvents(1, { type: 'specReason', turn: 2, event: { type: 'stepKept', index: 1, text: 'Look the ticket up.', start: 40, end: 59, author: 'draft', kind: 'accepted', tokens: 4, score: 8 } }),
      [{ type: 'reasoningStep', runId: 1, turn: 2, author: 'draft', kind: 'accepted', start: 40, end: 59, score: 8 }],
    );
    assert.deepEqual(
      toChatEvents(0, { type: 'specReason', turn: 0, event: { type: 'stepKept', index: 0, text: 'First.', start: 0, end: 6, author: 'base', kind: 'reserved', tokens: 1 } }),
      [{ type: 'reasoningStep', runId: 0, turn: 0, author: 'base', kind: 'reserved', start: 0, end: 6 }],
    );
    assert.deepEqual(toChatEvents(0, { type: 'specReason', turn: 0, event: { type: 'fallback', reason: 'noLogprobs', message: 'SpecReason: no logprobs.' } }), [
      { type: 'notice', runId: 0, turn: 0, text: 'SpecReason: no logprobs.' },
    ]);
    assert.deepEqual(toChatEvents(0, { type: 'specReason', turn: 0, event: { type: 'stepProposed', index: 1, text: 'x', tokens: 1 } }), []);
  });

  it('rounds tool durations to whole milliseconds and keeps the recorded flag', () => {
    assert.deepEqual(
      toChatEvents(0, { type: 'toolEnd', turn: 0, call, output: '{}', isError: false, recorded: true, startedAt: 5, durationMs: 849.6 }),
      [{ type: 'toolEnd', runId: 0, turn: 0, callId: 'call_1', name: 'get_forecast', output: '{}', isError: false, recorded: true, durationMs: 850 }],
    );
  });

  it('names the server of a tool that came from one on its start and end, and of no other', () => {
    const servers = new Map([['get_forecast', 'weather']]);
    const [start] = toChatEvents(0, { type: 'toolStart', turn: 0, call, startedAt: 0 }, servers);
    const [end] = toChatEvents(0, { type: 'toolEnd', turn: 0, call, output: '{}', isError: false, recorded: false, startedAt: 0, durationMs: 1 }, servers);
    assert.equal(start?.type === 'toolStart' ? start.server : undefined, 'weather');
    assert.equal(end?.type === 'toolEnd' ? end.server : undefined, 'weather');
    const [other] = toChatEvents(0, { type: 'toolStart', turn: 0, call: { ...call, name: 'read_file' }, startedAt: 0 }, servers);
    assert.ok(other && !('server' in other));
  });
});
