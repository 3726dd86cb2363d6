import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import type { AgentEvent } from '../../../src/core/agent/agent-events.js';
import { runAgent, type AgentOptions } from '../../../src/core/agent/agent-loop.js';
import { specReasonTurns } from '../../../src/core/chat-session/spec-reason-turns.js';
import { loadSpecReasonDemo, type SpecReasonDemo } from '../../../src/core/chat-session/specreason-demo.js';
import { LocalEndpoint } from '../../../src/core/endpoint/local-endpoint.js';
import { parseRules } from '../../../src/core/rules/rule-parser.js';
import { ArgumentNormalizer } from '../../../src/core/schema/argument-normalizer.js';
import { SessionWriter } from '../../../src/core/session/session-writer.js';
import type { RecordedSpecReasonTurn } from '../../../src/core/session/format.js';
import { LatencyStats } from '../../../src/core/speculation/latency-stats.js';
import { DEFAULT_POLICY } from '../../../src/core/speculation/speculation-policy.js';
import { normaliseSpecReasonSettings } from '../../../src/core/specreason/specreason-settings.js';

const PROMPT = "My order 48213 still hasn't arrived. Can you find out where it is?";

function clientOf(baseUrl: string): OpenAI {
  return new OpenAI({ baseURL: baseUrl, apiKey: 'local', maxRetries: 0 });
}

function tickingClock(): () => number {
  let t = 0;
  return () => (t += 10);
}

async function runAll(options: AgentOptions): Promise<AgentEvent[]> {
  const events: AgentEvent[] = [];
  for await (const e of runAgent(options)) events.push(e);
  return events;
}

/** The SpecReason summaries a recording holds, in order. */
async function recordedSummaries(path: string): Promise<RecordedSpecReasonTurn[]> {
  const lines = (await readFile(path, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { event?: { type?: string; turn?: RecordedSpecReasonTurn } });
  return lines.flatMap((l) => (l.event?.type === 'specReason' && l.event.turn ? [l.event.turn] : []));
}

function recorderAt(path: string): SessionWriter {
  return new SessionWriter({ path, id: 'specreason-test', model: 'foresight-demo', endpoint: 'http://127.0.0.1/v1', tools: [], foresightVersion: 'test' });
}

describe('the agent loop in SpecReason mode, against the local endpoint serving the hand-written demo for both roles', () => {
  let demo: SpecReasonDemo;
  let endpoint: LocalEndpoint;
  let dir: string;
  before(async () => {
    demo = await loadSpecReasonDemo(join(process.cwd(), 'media/specreason'));
    endpoint = await LocalEndpoint.start({ sessions: [], exchanges: demo.exchanges, tokensPerSecond: null });
    dir = await mkdtemp(join(tmpdir(), 'foresight-agent-specreason-'));
  });
  after(() => endpoint.close());

  it('loads both demo scripts, offers the opening prompt and a stand-in for the looked-up order', () => {
    assert.deepEqual(demo.problems, []);
    assert.deepEqual(demo.suggestions, [PROMPT]);
    assert.deepEqual(demo.models, { draft: 'foresight-demo-draft', base: 'foresight-demo' });
    assert.ok(demo.tools.some((t) => t.name === 'get_order_status' && t.recorded && t.readOnly));
  });

  it('runs two SpecReason turns to the answer: the call is sniffed from the kept steps, served early, and each summary is recorded', async () => {
    const client = clientOf(endpoint.baseUrl);
    const models = demo.models!;
    const path = join(dir, 'answer.jsonl');
    const recorder = recorderAt(path);
    const rules = parseRules(readFileSync(join(process.cwd(), 'media/rules/default.sniff'), 'utf8')).rules;
    const events = await runAll({
      client,
      model: models.base,
      messages: [{ role: 'user', content: PROMPT }],
      tools: demo.tools,
      recorder,
      speculation: { rules, normalizer: new ArgumentNormalizer(), policy: DEFAULT_POLICY, latency: new LatencyStats() },
      streamTurn: specReasonTurns({ draft: { client, model: models.draft }, base: { client, model: models.base }, settings: normaliseSpecReasonSettings({}), now: tickingClock() }, demo.toolSpecs),
    });
    recorder.dispose();
    const done = events.at(-1);
    assert.ok(done?.type === 'done');
    assert.equal(done.reason, 'answer', done.error?.message);
    const answer = done.messages.at(-1);
    assert.match(typeof answer?.content === 'string' ? answer.content : '', /Order 48213 is on its way/);

    const ends = events.filter((e) => e.type === 'toolEnd');
    assert.equal(ends.length, 1);
    assert.ok(ends[0]?.type === 'toolEnd' && ends[0].speculative, 'the lookup was run early and served the formal call');
    assert.ok(ends[0]?.type === 'toolEnd' && !ends[0].isError && ends[0].output.includes('PX-55120473'));

    const kept = events.flatMap((e) => (e.type === 'specReason' && e.event.type === 'stepKept' ? [`${e.turn}:${e.event.author}:${e.event.kind}:${e.event.score ?? '-'}`] : []));
    assert.deepEqual(kept, ['0:base:reserved:-', '0:draft:accepted:8', '0:base:rewritten:3', '0:draft:accepted:7', '1:base:reserved:-', '1:draft:accepted:9']);
    assert.ok(!events.some((e) => e.type === 'specReason' && e.event.type === 'fallback'));

    const summaries = await recordedSummaries(path);
    assert.equal(summaries.length, 2);
    assert.deepEqual(
      summaries.map((s) => [s.metrics.accepted, s.metrics.rejected, s.fallback ?? null]),
      [
        [2, 1, null],
        [1, 0, null],
      ],
    );
  });

  it('surfaces a fallback as an agent event and records it when the draft endpoint cannot be reached', async () => {
    const gone = await LocalEndpoint.start({ sessions: [], tokensPerSecond: null });
    const goneUrl = gone.baseUrl;
    await gone.close();
    const models = demo.models!;
    const base = clientOf(endpoint.baseUrl);
    const path = join(dir, 'fallback.jsonl');
    const recorder = recorderAt(path);
    const events = await runAll({
      client: base,
      model: models.base,
      messages: [{ role: 'user', content: PROMPT }],
      tools: demo.tools,
      recorder,
      maxSteps: 1,
      streamTurn: specReasonTurns({ draft: { client: clientOf(goneUrl), model: models.draft }, base: { client: base, model: models.base }, settings: normaliseSpecReasonSettings({}), now: tickingClock() }, demo.toolSpecs),
    });
    recorder.dispose();
    const fallbacks = events.flatMap((e) => (e.type === 'specReason' && e.event.type === 'fallback' ? [e.event] : []));
    assert.equal(fallbacks.length, 1);
    assert.equal(fallbacks[0]?.reason, 'draftUnavailable');
    assert.match(fallbacks[0]?.message ?? '', /foresight\.specReason\.draftBaseUrl/);
    const summaries = await recordedSummaries(path);
    assert.equal(summaries[0]?.fallback?.reason, 'draftUnavailable');
  });
});
