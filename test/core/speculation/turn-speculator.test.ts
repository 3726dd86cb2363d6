import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Tool, ToolResult } from '../../../src/core/chat/tool.js';
import { ArgumentNormalizer } from '../../../src/core/schema/argument-normalizer.js';
import type { Intent } from '../../../src/core/sniff/intent.js';
import { Calibration } from '../../../src/core/speculation/calibration.js';
import { LatencyStats } from '../../../src/core/speculation/latency-stats.js';
import type { SpeculationEvent } from '../../../src/core/speculation/speculation-events.js';
import { DEFAULT_POLICY, type SpeculationPolicy } from '../../../src/core/speculation/speculation-policy.js';
import { intentKey } from '../../../src/core/sniff/intent.js';
import { SpeculationCache } from '../../../src/core/speculation/speculation-cache.js';
import { HEDGED_PROBABILITY_FACTOR, TurnSpeculator } from '../../../src/core/speculation/turn-speculator.js';
import { delay } from '../../../src/core/util/delay.js';

const normalizer = new ArgumentNormalizer();
const schema = { type: 'object', properties: { id: { type: 'string' }, limit: { type: 'integer', default: 10 } }, required: ['id'] };

/** A tool that counts its runs and can be made slow, failing or stale. */
function fakeTool(name: string, opts: { readOnly?: boolean; ms?: number; fail?: boolean; fresh?: boolean } = {}) {
  const runs: { args: Record<string, unknown>; aborted: boolean }[] = [];
  let warms = 0;
  const tool: Tool = {
    name,
    description: '',
    parameters: schema,
    readOnly: opts.readOnly ?? true,
    async run(args, signal): Promise<ToolResult> {
      const entry = { args, aborted: false };
      runs.push(entry);
      signal.addEventListener('abort', () => (entry.aborted = true));
      await delay(opts.ms ?? 0, signal);
      if (opts.fail) return { output: 'boom', isError: true };
      return { output: `result of ${JSON.stringify(args)}`, isError: false, isFresh: async () => opts.fresh ?? true };
    },
    async warm() {
      warms++;
    },
  };
  return { tool, runs, warms: () => warms };
}

function intent(tool: string, args: Record<string, unknown>, extra: Partial<Intent> = {}): Intent {
  const n = normalizer.normalize(schema, args);
  assert.ok(n.ok);
  return { kind: 'call', tool, args: n.value, canonical: n.canonical, source: 'rule', ruleId: 'tool x', confidence: 0.9, span: { start: 0, end: 1 }, at: 1, ...extra };
}

function speculator(tools: Tool[], policy: Partial<SpeculationPolicy> = {}, signal = new AbortController().signal, calibration?: Calibration) {
  const events: SpeculationEvent[] = [];
  const s = new TurnSpeculator({
    tools: new Map(tools.map((t) => [t.name, t])),
    normalizer,
    policy: { ...DEFAULT_POLICY, ...policy },
    latency: new LatencyStats(500),
    signal,
    onEvent: (e) => events.push(e),
    ...(calibration ? { calibration } : {}),
  });
  return { s, events };
}

describe('TurnSpeculator', () => {
  it('serves a formal call from a finished speculation without running the tool again', async () => {
    const f = fakeTool('get_item');
    const { s } = speculator([f.tool]);
    s.consider(intent('get_item', { id: 'A1' }));
    await delay(5);
    const claim = await s.claim({ id: 'c1', name: 'get_item', arguments: '{"id":"A1"}' });
    assert.equal(claim.outcome, 'hit');
    assert.equal(claim.outcome === 'hit' ? claim.result.output : '', 'result of {"id":"A1","limit":10}');
    assert.equal(f.runs.length, 1);
    const m = s.end();
    assert.equal(m.hits, 1);
    assert.equal(m.misfires, 0);
  });

  it('matches the formal call exactly after canonicalising key order and schema defaults', async () => {
    const f = fakeTool('get_item');
    const { s } = speculator([f.tool]);
    s.consider(intent('get_item', { id: 'A1' }));
    await delay(2);
    assert.equal((await s.claim({ id: 'c1', name: 'get_item', arguments: '{"limit":10,"id":"A1"}' })).outcome, 'hit');
  });

  it('never runs a tool that is not read-only, whatever the confidence', async () => {
    const f = fakeTool('delete_item', { readOnly: false });
    const { s, events } = speculator([f.tool]);
    s.consider(intent('delete_item', { id: 'A1' }, { confidence: 1 }));
    await delay(2);
    assert.equal(f.runs.length, 0);
    assert.equal((await s.claim({ id: 'c', name: 'delete_item', arguments: '{"id":"A1"}' })).outcome, 'miss');
    assert.equal(s.end().blocked, 1);
    assert.ok(events.some((e) => e.type === 'intent' && e.decision === 'blocked'));
  });

  it('awaits a speculation still running and calls it a partial hit', async () => {
    const f = fakeTool('get_item', { ms: 60 });
    const { s } = speculator([f.tool]);
    s.consider(intent('get_item', { id: 'A1' }));
    await delay(20);
    const claim = await s.claim({ id: 'c1', name: 'get_item', arguments: '{"id":"A1"}' });
    assert.equal(claim.outcome, 'partial');
    assert.ok(claim.outcome === 'partial' && claim.savedMs > 5);
    assert.equal(f.runs.length, 1);
    assert.equal(s.end().partialHits, 1);
  });

  it('misses on other arguments and cancels that tool\'s speculation when the session ends', async () => {
    const f = fakeTool('get_item', { ms: 200 });
    const { s, events } = speculator([f.tool]);
    s.consider(intent('get_item', { id: 'A1' }));
    await delay(5);
    assert.equal((await s.claim({ id: 'c1', name: 'get_item', arguments: '{"id":"B2"}' })).outcome, 'miss');
    // Still running: a parallel call later in the same response could be exactly A1.
    assert.equal(f.runs[0]?.aborted, false);
    const m = s.end();
    assert.equal(f.runs[0]?.aborted, true);
    assert.equal(m.misses, 1);
    assert.equal(m.misfires, 1);
    assert.ok(events.some((e) => e.type === 'misfire' && e.reason === 'other-arguments'));
  });

  it('serves parallel calls of one tool with different arguments from their own speculations', async () => {
    const f = fakeTool('get_item', { ms: 30 });
    const { s } = speculator([f.tool]);
    s.consider(intent('get_item', { id: 'A1' }));
    s.consider(intent('get_item', { id: 'B2' }));
    const first = s.claim({ id: 'c1', name: 'get_item', arguments: '{"id":"A1"}' });
    const second = s.claim({ id: 'c2', name: 'get_item', arguments: '{"id":"B2"}' });
    assert.deepEqual([(await first).outcome, (await second).outcome], ['partial', 'partial']);
    assert.equal(f.runs.length, 2);
    assert.equal(s.end().misfires, 0);
  });

  it('cancels unclaimed speculations at the end of the turn and counts them as misfires', async () => {
    const f = fakeTool('get_item', { ms: 500 });
    const { s } = speculator([f.tool]);
    s.consider(intent('get_item', { id: 'A1' }));
    await delay(5);
    const m = s.end();
    assert.equal(m.fired, 1);
    assert.equal(m.misfires, 1);
    assert.ok(m.wastedMs > 0);
    assert.equal(f.runs[0]?.aborted, true);
  });

  it('counts a speculation that failed as a miss', async () => {
    const f = fakeTool('get_item', { fail: true });
    const { s } = speculator([f.tool]);
    s.consider(intent('get_item', { id: 'A1' }));
    await delay(2);
    assert.equal((await s.claim({ id: 'c1', name: 'get_item', arguments: '{"id":"A1"}' })).outcome, 'miss');
  });

  it('ends a run at its timeout even when the tool ignores its signal, so the claim misses instead of waiting forever', async () => {
    const hanging: Tool = { name: 'get_item', description: '', parameters: schema, readOnly: true, run: () => new Promise<ToolResult>(() => {}) };
    const { s, events } = speculator([hanging], { timeoutMs: 5 });
    assert.equal(s.consider(intent('get_item', { id: 'A1' })), 'fired');
    assert.equal((await s.claim({ id: 'c1', name: 'get_item', arguments: '{"id":"A1"}' })).outcome, 'miss');
    assert.ok(events.some((e) => e.type === 'specEnd' && e.status === 'timeout'));
  });

  it('calls a result stale when its freshness check does not answer in time', async () => {
    const silent: Tool = { name: 'get_item', description: '', parameters: schema, readOnly: true, run: async () => ({ output: 'x', isError: false, isFresh: () => new Promise<boolean>(() => {}) }) };
    const { s } = speculator([silent], { timeoutMs: 5 });
    assert.equal(s.consider(intent('get_item', { id: 'A1' })), 'fired');
    assert.equal((await s.claim({ id: 'c1', name: 'get_item', arguments: '{"id":"A1"}' })).outcome, 'stale');
  });

  it('rejects a result whose source changed since it was computed as stale', async () => {
    const f = fakeTool('get_item', { fresh: false });
    const { s } = speculator([f.tool]);
    s.consider(intent('get_item', { id: 'A1' }));
    await delay(2);
    assert.equal((await s.claim({ id: 'c1', name: 'get_item', arguments: '{"id":"A1"}' })).outcome, 'stale');
    assert.equal(s.end().stale, 1);
  });

  it('forgets everything when a tool that changes things runs', async () => {
    const f = fakeTool('get_item');
    const { s } = speculator([f.tool]);
    s.consider(intent('get_item', { id: 'A1' }));
    await delay(2);
    s.invalidate();
    assert.equal((await s.claim({ id: 'c1', name: 'get_item', arguments: '{"id":"A1"}' })).outcome, 'miss');
  });

  it('does not fire below the confidence threshold, past the budget or past the concurrency cap', async () => {
    const f = fakeTool('get_item', { ms: 100 });
    const low = speculator([f.tool], { minConfidence: 0.5 });
    low.s.consider(intent('get_item', { id: 'A' }, { confidence: 0.4 }));
    const capped = speculator([f.tool], { maxConcurrent: 1 });
    capped.s.consider(intent('get_item', { id: 'A' }));
    capped.s.consider(intent('get_item', { id: 'B' }));
    const broke = speculator([f.tool], { budgetMsPerTurn: 100 });
    broke.s.consider(intent('get_item', { id: 'A' }));
    const decisions = [low, capped, broke].flatMap((x) => x.events.filter((e) => e.type === 'intent').map((e) => (e.type === 'intent' ? e.decision : '')));
    assert.deepEqual(decisions, ['low-confidence', 'fired', 'concurrency', 'budget']);
    for (const x of [low, capped, broke]) x.s.end();
  });

  it('only warms a tool for a warm intent, once, and never runs it', async () => {
    const f = fakeTool('run_code');
    const { s } = speculator([f.tool]);
    const warm: Intent = { kind: 'warm', tool: 'run_code', args: {}, canonical: '', source: 'rule', ruleId: 'warm role:code-runner', confidence: 0.6, span: { start: 0, end: 1 }, at: 1 };
    s.consider(warm);
    s.consider({ ...warm, at: 5 });
    await delay(2);
    assert.equal(f.warms(), 1);
    assert.equal(f.runs.length, 0);
    assert.equal(s.end().warmups, 1);
  });

  it('stops every speculation when the turn is aborted', async () => {
    const f = fakeTool('get_item', { ms: 1000 });
    const controller = new AbortController();
    const { s } = speculator([f.tool], {}, controller.signal);
    s.consider(intent('get_item', { id: 'A1' }));
    await delay(5);
    controller.abort();
    assert.equal(f.runs[0]?.aborted, true);
  });

  it('learns from outcomes: a rule that keeps missing stops being fired', async () => {
    const calibration = new Calibration();
    const f = fakeTool('get_item');
    for (let i = 0; i < 6; i++) {
      const { s } = speculator([f.tool], { minConfidence: 0.3 }, new AbortController().signal, calibration);
      s.consider(intent('get_item', { id: `X${i}` }, { confidence: 0.6 }));
      await delay(1);
      s.end();
    }
    assert.ok(calibration.probability('tool x', 0.6) < 0.4, String(calibration.probability('tool x', 0.6)));
    const { s, events } = speculator([f.tool], { minConfidence: 0.3 }, new AbortController().signal, calibration);
    s.consider(intent('get_item', { id: 'Y' }, { confidence: 0.6 }));
    // The cost model declines it before it falls under the floor: a likely miss is not worth a run.
    assert.ok(events.some((e) => e.type === 'intent' && (e.decision === 'low-confidence' || e.decision === 'not-worth-it')));
    assert.equal(f.runs.length, 3);
    s.end();
  });
});

describe('TurnSpeculator gates on how the reasoning framed a call', () => {
  it('never fires a call the reasoning rules out', () => {
    const f = fakeTool('get_item');
    const { s, events } = speculator([f.tool]);
    assert.equal(s.consider(intent('get_item', { id: 'A1' }, { cue: 'negated' })), 'negated');
    assert.equal(f.runs.length, 0);
    assert.ok(events.some((e) => e.type === 'intent' && e.decision === 'negated'));
    s.end();
  });

  it('never fires a call the reasoning recounts as done', () => {
    const f = fakeTool('get_item');
    const { s } = speculator([f.tool]);
    assert.equal(s.consider(intent('get_item', { id: 'A1' }, { cue: 'past' })), 'recap');
    assert.equal(f.runs.length, 0);
    s.end();
  });

  it('fires a call made before again when the reasoning says it will repeat it', async () => {
    const f = fakeTool('get_item');
    const cache = new SpeculationCache();
    cache.markAnswered(intentKey('get_item', '{"id":"A1","limit":10}'));
    const s = new TurnSpeculator({ tools: new Map([[f.tool.name, f.tool]]), normalizer, policy: DEFAULT_POLICY, latency: new LatencyStats(500), signal: cache.signal, cache });
    assert.equal(s.consider(intent('get_item', { id: 'A1' })), 'recap');
    assert.equal(s.consider(intent('get_item', { id: 'A1' }, { cue: 'repeat' })), 'fired');
    assert.equal(f.runs.length, 1);
    s.closeSession();
    s.end();
  });

  it('weighs a hedged call at a fraction of its probability, so the policy declines it', () => {
    const f = fakeTool('get_item');
    const { s, events } = speculator([f.tool]);
    assert.ok(['low-confidence', 'not-worth-it'].includes(s.consider(intent('get_item', { id: 'A1' }, { confidence: 0.7, cue: 'hedged' }))));
    assert.equal(f.runs.length, 0);
    const e = events.find((x) => x.type === 'intent');
    assert.ok(e?.type === 'intent' && Math.abs(e.probability - 0.7 * HEDGED_PROBABILITY_FACTOR) < 1e-9);
    assert.equal(s.consider(intent('get_item', { id: 'B2' }, { confidence: 0.7 })), 'fired');
    s.end();
  });

  it('does not run a read-only tool that reaches outside unless allowed', () => {
    const f = fakeTool('fetch_page');
    const open = { ...f.tool, openWorld: true, run: f.tool.run };
    const cache = new SpeculationCache();
    const make = (allowed: boolean) => new TurnSpeculator({ tools: new Map([[open.name, open]]), normalizer, policy: DEFAULT_POLICY, latency: new LatencyStats(500), signal: cache.signal, openWorldAllowed: () => allowed });
    assert.equal(make(false).consider(intent('fetch_page', { id: 'A1' })), 'open-world');
    assert.equal(f.runs.length, 0);
    const allowed = make(true);
    assert.equal(allowed.consider(intent('fetch_page', { id: 'A1' })), 'fired');
    allowed.end();
  });
});
