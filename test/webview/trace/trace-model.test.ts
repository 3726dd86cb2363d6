import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TraceEvent } from '../../../src/shared/protocol.js';
import { TraceModel } from '../../../webview/trace/trace-model.js';

const intent = (id: number, canonical: string, decision = 'fired'): TraceEvent => ({
  type: 'intent',
  turn: 0,
  t: 10,
  id,
  kind: 'call',
  tool: 'get_x',
  canonical,
  ruleId: 'rule',
  probability: 0.8,
  decision,
  span: { start: 0, end: 4 },
});

const hitTrace: TraceEvent[] = [
  { type: 'turnStart', turn: 0, t: 0, label: 'turn 1' },
  { type: 'reasoning', turn: 0, t: 5, text: 'call ' },
  { type: 'reasoning', turn: 0, t: 6, text: 'get_x' },
  { type: 'specStart', turn: 0, t: 10, specId: 1, tool: 'get_x', canonical: '{"a":1}', ruleId: 'rule' },
  intent(0, '{"a":1}'),
  { type: 'specEnd', turn: 0, t: 50, specId: 1, status: 'done' },
  { type: 'seal', turn: 0, t: 60, callId: 'c1', tool: 'get_x', arguments: '{"a":1}' },
  { type: 'claim', turn: 0, t: 60, callId: 'c1', tool: 'get_x', canonical: '{"a":1}', outcome: 'hit', specId: 1, savedMs: 40 },
];

describe('TraceModel', () => {
  it('settles a fired intent as a hit when its speculation serves the call, even when the run was reported before the intent', () => {
    const m = new TraceModel();
    m.apply(hitTrace);
    assert.equal(m.intents[0]?.outcome, 'hit');
    assert.deepEqual(
      m.bars.map((b) => [b.start, b.end, b.sealAt, b.outcome, b.intentId]),
      [[10, 50, 60, 'hit', 0]],
    );
    assert.equal(m.seals[0]?.outcome, 'hit');
    assert.equal(m.turn(0)?.length, 'call get_x'.length);
  });

  it('gives the same model whatever the batching', () => {
    const whole = new TraceModel();
    whole.apply(hitTrace);
    const oneByOne = new TraceModel();
    for (const e of hitTrace) oneByOne.apply([e]);
    assert.deepEqual(oneByOne.intents, whole.intents);
    assert.deepEqual(oneByOne.bars, whole.bars);
    assert.deepEqual(oneByOne.seals, whole.seals);
  });

  it('marks a blocked intent blocked, and a misfired speculation and its intent misfire', () => {
    const m = new TraceModel();
    m.apply([
      { type: 'turnStart', turn: 0, t: 0, label: 'turn 1' },
      intent(0, '{"a":1}', 'blocked'),
      intent(1, '{"a":2}'),
      { type: 'specStart', turn: 0, t: 10, specId: 1, tool: 'get_x', canonical: '{"a":2}', ruleId: 'rule' },
      { type: 'misfire', turn: 0, t: 90, specId: 1, tool: 'get_x', canonical: '{"a":2}', wastedMs: 80 },
    ]);
    assert.deepEqual(m.intents.map((i) => i.outcome), ['blocked', 'misfire']);
    assert.equal(m.bars[0]?.outcome, 'misfire');
    assert.equal(m.bars[0]?.end, 90);
  });

  it('settles an intent that was not fired as a miss when its call arrives', () => {
    const m = new TraceModel();
    const change = m.apply([
      intent(0, '{"a":1}', 'low-confidence'),
      { type: 'seal', turn: 0, t: 60, callId: 'c1', tool: 'get_x', arguments: '{"a":1}' },
      { type: 'claim', turn: 0, t: 60, callId: 'c1', tool: 'get_x', canonical: '{"a":1}', outcome: 'miss', savedMs: 0 },
    ]);
    assert.equal(m.intents[0]?.outcome, 'miss');
    assert.equal(change.intents.length, 1);
  });

  it('merges consecutive reasoning of a turn into one append and sums the figures of all turns', () => {
    const m = new TraceModel();
    const figures = { intents: 1, fired: 1, hits: 1, partialHits: 0, misses: 0, misfires: 0, blocked: 0, wastedMs: 0, savedMs: 40, ttaMs: 0, ttaWithoutMs: 40, calls: 1 };
    const change = m.apply([
      { type: 'reasoning', turn: 0, t: 1, text: 'a' },
      { type: 'reasoning', turn: 0, t: 2, text: 'b' },
      { type: 'figures', turn: 0, t: 3, figures },
      { type: 'figures', turn: 1, t: 4, figures },
    ]);
    assert.deepEqual(change.appended, [{ turn: 0, text: 'ab' }]);
    assert.equal(m.totals()?.savedMs, 80);
  });

  it('links a served run, its intent and a blocked intent of the same call to that formal call, and keeps the saving', () => {
    const m = new TraceModel();
    m.apply([...hitTrace.slice(0, 5), { ...intent(1, '{"a":1}', 'blocked'), t: 20 } as TraceEvent, ...hitTrace.slice(5), { ...intent(2, '{"a":1}', 'blocked'), t: 70 } as TraceEvent]);
    m.apply([{ type: 'claim', turn: 0, t: 61, callId: 'c2', tool: 'get_x', canonical: '{"a":2}', outcome: 'miss', savedMs: 0 }]);
    assert.deepEqual(m.bars.map((b) => [b.callId, b.callTurn, b.savedMs]), [['c1', 0, 40]]);
    // An intent sniffed after the call was claimed points at no call.
    assert.deepEqual(m.intents.map((i) => [i.id, i.callId]), [[0, 'c1'], [1, 'c1'], [2, null]]);
  });

  it('serves a claim in a later turn from the run an earlier turn fired', () => {
    const m = new TraceModel();
    m.apply([
      ...hitTrace.slice(0, 6),
      { type: 'turnStart', turn: 1, t: 100, label: 'turn 2' },
      { type: 'seal', turn: 1, t: 120, callId: 'c9', tool: 'get_x', arguments: '{"a":1}' },
      { type: 'claim', turn: 1, t: 120, callId: 'c9', tool: 'get_x', canonical: '{"a":1}', outcome: 'hit', specId: 1, savedMs: 40 },
    ]);
    assert.deepEqual(m.bars.map((b) => [b.turn, b.callTurn, b.callId, b.outcome]), [[0, 1, 'c9', 'hit']]);
  });

  it('keeps tool results per call and an answer that a later event takes back', () => {
    const m = new TraceModel();
    const change = m.apply([
      ...hitTrace,
      { type: 'toolResult', turn: 0, t: 61, callId: 'c1', tool: 'get_x', arguments: '{"a":1}', output: 'ok', truncated: false, isError: false, durationMs: 1, served: 'hit', savedMs: 40 },
      { type: 'answer', turn: 0, t: 70, text: 'It is ' },
      { type: 'answer', turn: 0, t: 71, text: 'done.' },
    ]);
    assert.equal(m.call(0, 'c1')?.output, 'ok');
    assert.equal(change.calls.length, 1);
    assert.equal(m.turn(0)?.answer, 'It is done.');
    m.apply([{ type: 'answer', turn: 0, t: 72, text: '', replace: true }]);
    assert.equal(m.turn(0)?.answer, '');
  });
});
