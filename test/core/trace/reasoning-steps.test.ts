import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Session } from '../../../src/core/session/format.js';
import { readSessionFile } from '../../../src/core/session/session-reader.js';
import { LiveTraceMapper } from '../../../src/core/trace/live-trace.js';
import { sessionTrace } from '../../../src/core/trace/session-trace.js';
import { defaultSetup } from './trace-fixtures.js';

const steps = [
  { start: 0, end: 20, author: 'base' as const, kind: 'reserved' as const, tokens: 4 },
  { start: 20, end: 52, author: 'draft' as const, kind: 'accepted' as const, tokens: 6, score: 8 },
  { start: 52, end: 80, author: 'base' as const, kind: 'rewritten' as const, tokens: 5, score: 3 },
];
const metrics = { steps: 3, accepted: 1, rejected: 1, reserved: 1, unscored: 0, acceptanceRate: 0.5, draft: { calls: 2, tokens: 11, ms: 40 }, base: { calls: 2, tokens: 9, ms: 90 }, judge: { calls: 2, ms: 20 }, totalMs: 150 };
const REASONING = 'First, the order id. I will look up order "B-7" now. Then I compare the dates.';

/** A SpecReason turn as the chat records it: its chunks, then the turn's steps. */
function specReasonSessionLines(): string[] {
  const header = { kind: 'header', format: 'foresight-session', version: 1, id: 'sr-1', createdAt: '2026-12-01T09:00:00.000Z', model: 'base-m', endpoint: 'http://127.0.0.1:1/v1', tools: [], versions: { foresight: 'test' }, timing: 'recorded' };
  return [
    header,
    { kind: 'request', t: 0, turn: 0, messages: [{ role: 'user', content: 'Where is B-7?' }] },
    { kind: 'chunk', t: 10, turn: 0, chunk: { choices: [{ delta: { reasoning_content: REASONING } }] } },
    { kind: 'chunk', t: 20, turn: 0, chunk: { choices: [{ delta: { content: 'It ships tomorrow.' }, finish_reason: 'stop' }] } },
    { kind: 'event', t: 21, turn: 0, event: { type: 'specReason', turn: { steps, metrics } } },
  ].map((r) => JSON.stringify(r));
}

describe('SpecReason steps in the trace', () => {
  it('keeps a recorded turn\'s steps when the session is read, and replays them after its reasoning', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'foresight-steps-'));
    try {
      const file = join(dir, 's.jsonl');
      await writeFile(file, `${specReasonSessionLines().join('\n')}\n`);
      const read = await readSessionFile(file);
      const session = read.sessions[0] as Session;
      assert.deepEqual(session.turns[0]?.specReason?.steps, steps);
      for (const mode of [{ kind: 'recorded' as const }, { kind: 'resniff' as const, setup: defaultSetup(), readOnlyTools: [] }]) {
        const events = await sessionTrace(session, mode);
        const got = events.filter((e) => e.type === 'reasoningStep');
        assert.deepEqual(got.map((e) => (e.type === 'reasoningStep' ? [e.start, e.end, e.author, e.kind, e.score] : [])), [
          [0, 20, 'base', 'reserved', undefined],
          [20, 52, 'draft', 'accepted', 8],
          [52, 80, 'base', 'rewritten', 3],
        ], mode.kind);
        const lastReasoning = Math.max(...events.filter((e) => e.type === 'reasoning').map((e) => e.t));
        assert.ok(got.every((e) => e.t >= lastReasoning), `${mode.kind}: the steps come once the reasoning is in`);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('maps a kept step of the live chat to the turn it belongs to, and nothing else of SpecReason', () => {
    const mapper = new LiveTraceMapper(() => 0);
    mapper.map(0, { type: 'turnStart', turn: 0, messages: [] });
    const kept = mapper.map(0, { type: 'specReason', turn: 0, event: { type: 'stepKept', index: 1, text: 'I will look up order "B-7" now. ', start: 20, end: 52, author: 'draft', kind: 'accepted', tokens: 6, score: 8 } });
    assert.deepEqual(kept, [{ type: 'reasoningStep', turn: 0, t: 0, start: 20, end: 52, author: 'draft', kind: 'accepted', score: 8 }]);
    assert.deepEqual(mapper.map(0, { type: 'specReason', turn: 0, event: { type: 'stepJudged', index: 1, score: 8, accepted: true, threshold: 7 } }), []);
  });

  it('gives a SpecReason turn\'s figures to the trace live and on replay, the base model alone as not measured when it was not', async () => {
    const mapper = new LiveTraceMapper(() => 0);
    mapper.map(0, { type: 'turnStart', turn: 0, messages: [] });
    const live = mapper.map(0, { type: 'specReason', turn: 0, event: { type: 'turnSummary', summary: { steps, metrics } } });
    assert.equal(live.length, 1);
    assert.equal(live[0]?.type, 'specReasonFigures');
    assert.match(live[0]?.type === 'specReasonFigures' ? live[0].text : '', /^3 steps: 1 accepted, 1 rejected, 1 reserved; acceptance 50% \(1 of 2 judged\).*SpecReason 150 ms, base model alone: not measured$/);
    const dir = await mkdtemp(join(tmpdir(), 'foresight-steps-'));
    try {
      const file = join(dir, 's.jsonl');
      const lines = specReasonSessionLines();
      lines[lines.length - 1] = JSON.stringify({ kind: 'event', t: 21, turn: 0, event: { type: 'specReason', turn: { steps, metrics: { ...metrics, baseOnly: { kind: 'measured', ms: 120, tokens: 30 } } } } });
      await writeFile(file, `${lines.join('\n')}\n`);
      const session = (await readSessionFile(file)).sessions[0] as Session;
      const replayed = (await sessionTrace(session, { kind: 'recorded' })).filter((e) => e.type === 'specReasonFigures');
      assert.equal(replayed.length, 1);
      assert.match(replayed[0]?.type === 'specReasonFigures' ? replayed[0].text : '', /SpecReason 150 ms, base model alone 120 ms, 30 tokens/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
