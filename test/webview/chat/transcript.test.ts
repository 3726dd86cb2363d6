import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatEvent } from '../../../src/shared/protocol.js';
import {
  applyChatEvent,
  emptyTranscript,
  forkedNotice,
  reconcileRunning,
  restoreTranscript,
  statusText,
  type Transcript,
  type TurnEntry,
} from '../../../webview/chat/transcript.js';

function play(events: ChatEvent[], t: Transcript = emptyTranscript('c1')): Transcript {
  for (const e of events) applyChatEvent(t, e);
  return t;
}

const oneToolRun: ChatEvent[] = [
  { type: 'runStart', runId: 0, text: 'Umbrella?' },
  { type: 'turnStart', runId: 0, turn: 0 },
  { type: 'reasoning', runId: 0, turn: 0, text: 'I should call ' },
  { type: 'reasoning', runId: 0, turn: 0, text: 'get_forecast.' },
  { type: 'toolCallStarted', runId: 0, turn: 0, index: 0, callId: 'c', name: 'get_forecast' },
  { type: 'toolCallDelta', runId: 0, turn: 0, index: 0, argumentsDelta: '{"city":' },
  { type: 'toolCallDelta', runId: 0, turn: 0, index: 0, argumentsDelta: '"Lisbon"}' },
  { type: 'toolCallSealed', runId: 0, turn: 0, index: 0, callId: 'c', name: 'get_forecast', arguments: '{"city":"Lisbon"}' },
  { type: 'toolStart', runId: 0, turn: 0, callId: 'c', name: 'get_forecast', arguments: '{"city":"Lisbon"}' },
  { type: 'turnEnd', runId: 0, turn: 0, finishReason: 'tool_calls' },
  { type: 'toolEnd', runId: 0, turn: 0, callId: 'c', name: 'get_forecast', output: '{"rain":0.7}', isError: false, recorded: true, durationMs: 850 },
  { type: 'turnStart', runId: 0, turn: 1 },
  { type: 'reasoning', runId: 0, turn: 1, text: 'Rain likely.' },
  { type: 'content', runId: 0, turn: 1, text: 'Yes, ' },
  { type: 'content', runId: 0, turn: 1, text: 'take one.' },
  { type: 'turnEnd', runId: 0, turn: 1, finishReason: 'stop' },
  { type: 'runEnd', runId: 0, reason: 'answer' },
];

describe('applyChatEvent', () => {
  it('builds a user message and one entry per model call, with the tool card complete', () => {
    const t = play(oneToolRun);
    assert.equal(statusText(t.status), 'done');
    assert.equal(t.entries.length, 3);
    assert.deepEqual(t.entries[0], { kind: 'user', runId: 0, text: 'Umbrella?' });
    const first = t.entries[1] as TurnEntry;
    assert.equal(first.reasoning, 'I should call get_forecast.');
    assert.equal(first.answer, '');
    assert.deepEqual(first.tools, [
      {
        index: 0,
        callId: 'c',
        name: 'get_forecast',
        arguments: '{"city":"Lisbon"}',
        phase: 'done',
        output: '{"rain":0.7}',
        isError: false,
        recorded: true,
        durationMs: 850,
        speculative: null,
        server: null,
      },
    ]);
    const second = t.entries[2] as TurnEntry;
    assert.equal(second.answer, 'Yes, take one.');
    assert.equal(second.finished, true);
  });

  it('keeps on the card that a result came from speculation, and the time it saved', () => {
    const t = emptyTranscript('conversation-1');
    for (const e of [
      { type: 'runStart', runId: 0, text: 'q' },
      { type: 'turnStart', runId: 0, turn: 0 },
      { type: 'toolStart', runId: 0, turn: 0, callId: 'c', name: 'get_forecast', arguments: '{}' },
      { type: 'toolEnd', runId: 0, turn: 0, callId: 'c', name: 'get_forecast', output: '{}', isError: false, recorded: false, durationMs: 0, speculative: { outcome: 'hit', savedMs: 310 } },
    ] as ChatEvent[]) applyChatEvent(t, e);
    const turn = t.entries[1] as TurnEntry;
    assert.deepEqual(turn.tools[0]?.speculative, { outcome: 'hit', savedMs: 310 });
  });

  it('keeps on the card the MCP server its tool came from', () => {
    const t = emptyTranscript('conversation-1');
    for (const e of [
      { type: 'runStart', runId: 0, text: 'q' },
      { type: 'turnStart', runId: 0, turn: 0 },
      { type: 'toolCallStarted', runId: 0, turn: 0, index: 0, callId: 'c', name: 'lookup_order' },
      { type: 'toolStart', runId: 0, turn: 0, callId: 'c', name: 'lookup_order', arguments: '{}', server: 'orders' },
      { type: 'toolEnd', runId: 0, turn: 0, callId: 'c', name: 'lookup_order', server: 'orders', output: 'shipped', isError: false, recorded: false, durationMs: 3 },
    ] as ChatEvent[]) applyChatEvent(t, e);
    assert.equal((t.entries[1] as TurnEntry).tools[0]?.server, 'orders');
  });

  it('reports which entry changed, and that the status changed on run start and end', () => {
    const t = emptyTranscript('c1');
    assert.deepEqual(applyChatEvent(t, { type: 'runStart', runId: 0, text: 'x' }), { entry: 0, status: true });
    assert.equal(statusText(t.status), 'running');
    assert.deepEqual(applyChatEvent(t, { type: 'reasoning', runId: 0, turn: 0, text: 'a' }), { entry: 1, status: false });
    assert.deepEqual(applyChatEvent(t, { type: 'runEnd', runId: 0, reason: 'stopped', message: 'Stopped.' }), { status: true });
    assert.equal(statusText(t.status), 'stopped');
  });

  it('moves answer text to the reasoning on contentWasReasoning', () => {
    const t = play([
      { type: 'content', runId: 0, turn: 0, text: 'Let me think.' },
      { type: 'contentWasReasoning', runId: 0, turn: 0, text: 'Let me think.' },
      { type: 'content', runId: 0, turn: 0, text: 'Answer.' },
    ]);
    const turn = t.entries[0] as TurnEntry;
    assert.equal(turn.reasoning, 'Let me think.');
    assert.equal(turn.answer, 'Answer.');
  });

  it('keeps two parallel calls of one turn as two cards, matched by id when they finish out of order', () => {
    const t = play([
      { type: 'toolCallSealed', runId: 0, turn: 0, index: 0, callId: 'a', name: 'get_order_status', arguments: '{"order_id":"A-1042"}' },
      { type: 'toolCallSealed', runId: 0, turn: 0, index: 1, callId: 'b', name: 'get_order_status', arguments: '{"order_id":"A-1057"}' },
      { type: 'toolEnd', runId: 0, turn: 0, callId: 'b', name: 'get_order_status', output: 'B', isError: false, recorded: true, durationMs: 2 },
      { type: 'toolEnd', runId: 0, turn: 0, callId: 'a', name: 'get_order_status', output: 'A', isError: true, recorded: false, durationMs: 1 },
    ]);
    const turn = t.entries[0] as TurnEntry;
    assert.deepEqual(
      turn.tools.map((c) => [c.callId, c.output, c.isError]),
      [
        ['a', 'A', true],
        ['b', 'B', false],
      ],
    );
  });

  it('shows the message of a failed run after "error: "', () => {
    const t = play([
      { type: 'runStart', runId: 0, text: 'x' },
      { type: 'runEnd', runId: 0, reason: 'error', message: 'The endpoint refused the API key (401).' },
    ]);
    assert.equal(statusText(t.status), 'error: The endpoint refused the API key (401).');
  });

  it('gives each run its own turns, even with the same turn numbers', () => {
    const t = play([
      { type: 'runStart', runId: 0, text: 'a' },
      { type: 'content', runId: 0, turn: 0, text: 'A' },
      { type: 'runEnd', runId: 0, reason: 'answer' },
      { type: 'runStart', runId: 1, text: 'b' },
      { type: 'content', runId: 1, turn: 0, text: 'B' },
    ]);
    assert.deepEqual(
      t.entries.map((e) => (e.kind === 'user' ? e.text : e.kind === 'turn' ? e.answer : e.kind)),
      ['a', 'A', 'b', 'B'],
    );
  });
});

describe('a forked conversation', () => {
  const forked: ChatEvent = { type: 'forked', title: 'Umbrella in Lisbon', turn: 1, messages: 3 };

  it('opens with a notice naming the session, the turn from 1, and the messages taken over', () => {
    const t = play([forked, { type: 'runStart', runId: 0, text: 'And Porto?' }, { type: 'content', runId: 0, turn: 0, text: 'Dry.' }]);
    assert.deepEqual(
      t.entries.map((e) => e.kind),
      ['forked', 'user', 'turn'],
    );
    const first = t.entries[0];
    assert.ok(first?.kind === 'forked');
    assert.equal(forkedNotice(first), 'Forked from «Umbrella in Lisbon» at turn 2: 3 earlier messages');
    assert.equal(forkedNotice({ ...first, messages: 1 }), 'Forked from «Umbrella in Lisbon» at turn 2: 1 earlier message');
    assert.equal(statusText(play([forked]).status), 'ready', 'a fork starts no run');
  });

  it('keeps one notice when the event is seen again (from chat/state after a reload)', () => {
    const t = play([forked, { type: 'runStart', runId: 0, text: 'q' }, forked]);
    assert.deepEqual(
      t.entries.map((e) => e.kind),
      ['forked', 'user'],
    );
  });
});

describe('restoring after a reload', () => {
  it('restores a transcript it saved, and nothing else', () => {
    const t = play(oneToolRun);
    assert.deepEqual(restoreTranscript(JSON.parse(JSON.stringify(t))), t);
    assert.equal(restoreTranscript(undefined), undefined);
    assert.equal(restoreTranscript({ version: 2, conversationId: 'c', entries: [], status: { kind: 'done' } }), undefined);
    assert.equal(restoreTranscript({ version: 1, conversationId: 'c', entries: {}, status: { kind: 'done' } }), undefined);
  });

  it('follows the host on whether a run is going on', () => {
    const t = play([{ type: 'runStart', runId: 0, text: 'x' }]);
    assert.equal(reconcileRunning(t, true), false);
    assert.equal(reconcileRunning(t, false), true);
    assert.equal(statusText(t.status), 'ready');
  });
});

describe('the thinking block', () => {
  it('times the thinking from its first reasoning to the first tool call and counts its pieces', () => {
    const t = emptyTranscript('c1');
    applyChatEvent(t, { type: 'runStart', runId: 0, text: 'x' }, 1000);
    applyChatEvent(t, { type: 'reasoning', runId: 0, turn: 0, text: 'a' }, 1000);
    applyChatEvent(t, { type: 'reasoning', runId: 0, turn: 0, text: 'b' }, 1500);
    assert.deepEqual((t.entries[1] as TurnEntry).thinking, { startedAt: 1000, durationMs: null, tokens: 2 });
    applyChatEvent(t, { type: 'toolCallStarted', runId: 0, turn: 0, index: 0, callId: 'c', name: 'get_x' }, 3200);
    applyChatEvent(t, { type: 'turnEnd', runId: 0, turn: 0, finishReason: 'tool_calls' }, 9000);
    assert.deepEqual((t.entries[1] as TurnEntry).thinking, { startedAt: 1000, durationMs: 2200, tokens: 2 });
  });

  it('leaves a turn without reasoning without a thinking block', () => {
    const t = emptyTranscript('c1');
    applyChatEvent(t, { type: 'content', runId: 0, turn: 0, text: 'hi' }, 5);
    assert.equal((t.entries[0] as TurnEntry).thinking, undefined);
  });
});

describe('SpecReason steps and notices in the transcript', () => {
  it('keeps each step\'s author, kind, offsets and score (null when absent), and the notices in order, on their turn', () => {
    const t = play([
      { type: 'runStart', runId: 0, text: 'Ticket 7731?' },
      { type: 'turnStart', runId: 0, turn: 0 },
      { type: 'reasoningStep', runId: 0, turn: 0, author: 'base', kind: 'reserved', start: 0, end: 10 },
      { type: 'reasoning', runId: 0, turn: 0, text: 'First one.' },
      { type: 'reasoningStep', runId: 0, turn: 0, author: 'draft', kind: 'accepted', start: 10, end: 20, score: 8 },
      { type: 'reasoning', runId: 0, turn: 0, text: 'Second.\n\n' },
      { type: 'notice', runId: 0, turn: 0, text: 'SpecReason: the judge failed.' },
    ]);
    const turn = t.entries[1] as TurnEntry;
    assert.deepEqual(turn.steps, [
      { author: 'base', kind: 'reserved', start: 0, end: 10, score: null },
      { author: 'draft', kind: 'accepted', start: 10, end: 20, score: 8 },
    ]);
    assert.deepEqual(turn.notices, ['SpecReason: the judge failed.']);
  });

  it('leaves turns of other modes without steps or notices', () => {
    const turn = play(oneToolRun).entries[1] as TurnEntry;
    assert.equal(turn.steps, undefined);
    assert.equal(turn.notices, undefined);
  });
});
