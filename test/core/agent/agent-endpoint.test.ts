import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import type { AgentEvent } from '../../../src/core/agent/agent-events.js';
import { runAgent, type AgentOptions } from '../../../src/core/agent/agent-loop.js';
import type { Tool } from '../../../src/core/chat/tool.js';
import { LocalEndpoint } from '../../../src/core/endpoint/local-endpoint.js';
import type { ReasoningField } from '../../../src/core/endpoint/reasoning-shape.js';
import { SessionWriter } from '../../../src/core/session/session-writer.js';
import { readSessionFile } from '../../../src/core/session/session-reader.js';
import { createRecordedTools } from '../../../src/core/tools/recorded-tools.js';
import { WEATHER_PROMPT, weatherSession } from '../../fixtures/weather-transcript.js';

async function runAll(options: AgentOptions): Promise<AgentEvent[]> {
  const events: AgentEvent[] = [];
  for await (const e of runAgent(options)) events.push(e);
  return events;
}

function lastDone(events: AgentEvent[]) {
  const done = events[events.length - 1];
  assert.ok(done && done.type === 'done', 'the last event is done');
  return done;
}

function textOf(events: AgentEvent[], turn: number, kind: 'reasoning' | 'content'): string {
  let text = '';
  for (const e of events) {
    if (e.type !== 'stream' || e.turn !== turn) continue;
    if (e.event.type === kind) text += e.event.text;
    if (e.event.type === 'contentWasReasoning') text = kind === 'reasoning' ? text + e.event.text : '';
  }
  return text;
}

describe('agent loop against the replay endpoint (real HTTP, real openai SDK)', () => {
  let endpoint: LocalEndpoint;
  let client: OpenAI;
  const session = weatherSession();

  before(async () => {
    endpoint = await LocalEndpoint.start({ sessions: [session], tokensPerSecond: 5000, allowFaults: true });
    client = new OpenAI({ baseURL: endpoint.baseUrl, apiKey: 'unused', maxRetries: 0 });
  });
  after(async () => endpoint.close());

  it('runs both parallel recorded tool calls and reaches the recorded answer', async () => {
    const events = await runAll({ client, model: 'test-reasoner', messages: [...WEATHER_PROMPT], tools: createRecordedTools([session]) });
    const done = lastDone(events);
    assert.equal(done.reason, 'answer');
    const ends = events.filter((e) => e.type === 'toolEnd');
    assert.deepEqual(
      ends.map((e) => (e.type === 'toolEnd' ? e.output : '')).sort(),
      ['{"city":"Lisbon","high_c":19}', '{"city":"Oslo","high_c":3}'],
    );
    assert.ok(ends.every((e) => e.type === 'toolEnd' && e.recorded && !e.isError));
    const final = done.messages[done.messages.length - 1];
    assert.equal(final?.role, 'assistant');
    assert.equal(final?.content, 'Lisbon will be **19 °C**, Oslo **3 °C**: 16 degrees warmer in Lisbon.');
    assert.match(textOf(events, 0, 'reasoning'), /call get_forecast with city "Lisbon"/);
  });

  it('runs parallel calls concurrently: the second starts before the first ends', async () => {
    const events = await runAll({ client, model: 'test-reasoner', messages: [...WEATHER_PROMPT], tools: createRecordedTools([session]) });
    const order = events.filter((e) => e.type === 'toolStart' || e.type === 'toolEnd').map((e) => e.type);
    assert.deepEqual(order.slice(0, 2), ['toolStart', 'toolStart']);
  });

  for (const field of ['reasoning_content', 'reasoning', 'think-tags'] as ReasoningField[]) {
    it(`reads the same reasoning and answer when the endpoint sends reasoning as ${field}`, async () => {
      const shaped = await LocalEndpoint.start({ sessions: [session], tokensPerSecond: 5000, reasoningField: field });
      try {
        const c = new OpenAI({ baseURL: shaped.baseUrl, apiKey: 'unused', maxRetries: 0 });
        const events = await runAll({ client: c, model: 'test-reasoner', messages: [...WEATHER_PROMPT], tools: createRecordedTools([session]) });
        assert.equal(lastDone(events).reason, 'answer');
        assert.equal(textOf(events, 1, 'reasoning'), 'Lisbon 19, Oslo 3: a difference of 16 degrees.');
        assert.equal(textOf(events, 1, 'content'), 'Lisbon will be **19 °C**, Oslo **3 °C**: 16 degrees warmer in Lisbon.');
      } finally {
        await shaped.close();
      }
    });
  }

  it('answers a non-streamed request with the whole recorded message', async () => {
    const res = await client.chat.completions.create({ model: 'test-reasoner', messages: [...WEATHER_PROMPT] });
    const message = res.choices[0]?.message as unknown as { tool_calls: { function: { name: string; arguments: string } }[]; reasoning_content: string };
    assert.equal(res.choices[0]?.finish_reason, 'tool_calls');
    assert.equal(message.tool_calls.length, 2);
    assert.equal(message.tool_calls[1]?.function.arguments, '{"days":1,"city":"Oslo"}');
    assert.match(message.reasoning_content, /two forecasts/);
  });

  it('lists the served models', async () => {
    const models = await client.models.list();
    assert.deepEqual(models.data.map((m) => m.id), ['test-reasoner']);
  });

  it('answers an unknown model with 404 and says which models it serves', async () => {
    await assert.rejects(client.chat.completions.create({ model: 'gpt-5', messages: [...WEATHER_PROMPT] }), (err: unknown) => {
      assert.ok(err instanceof OpenAI.NotFoundError);
      assert.match(err.message, /test-reasoner/);
      return true;
    });
  });

  it('answers a conversation it has no recording of with a clear 404', async () => {
    const events = await runAll({ client, model: 'test-reasoner', messages: [{ role: 'user', content: 'Something else entirely' }], tools: [] });
    const done = lastDone(events);
    assert.equal(done.reason, 'error');
    assert.equal(done.error?.status, 404);
    assert.match(done.error?.message ?? '', /No recorded turn matches/);
  });

  it('answers a malformed body with 400 in the OpenAI error shape', async () => {
    const res = await fetch(`${endpoint.baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model": "test-reasoner", "messages": [' });
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error: { type: string; message: string } };
    assert.equal(body.error.type, 'invalid_request_error');
    assert.match(body.error.message, /not valid JSON/);
    const noMessages = await fetch(`${endpoint.baseUrl}/chat/completions`, { method: 'POST', body: '{"model":"test-reasoner"}' });
    assert.equal(noMessages.status, 400);
  });

  it('ends the run with a rate-limit error the user can act on when the endpoint answers 429', async () => {
    endpoint.setFaults({ failStatus: 429, failCount: 1 });
    try {
      const events = await runAll({ client, model: 'test-reasoner', messages: [...WEATHER_PROMPT], tools: createRecordedTools([session]) });
      const done = lastDone(events);
      assert.equal(done.reason, 'error');
      assert.equal(done.error?.status, 429);
      assert.match(done.error?.message ?? '', /rate limiting/);
    } finally {
      endpoint.setFaults({});
    }
  });

  it('recovers through the SDK retry when a 500 happens once', async () => {
    endpoint.setFaults({ failStatus: 500, failCount: 1 });
    try {
      const retrying = new OpenAI({ baseURL: endpoint.baseUrl, apiKey: 'unused', maxRetries: 2 });
      const events = await runAll({ client: retrying, model: 'test-reasoner', messages: [...WEATHER_PROMPT], tools: createRecordedTools([session]) });
      assert.equal(lastDone(events).reason, 'answer');
    } finally {
      endpoint.setFaults({});
    }
  });

  it('reports a stream cut at any chunk and never runs a call that changes things', async () => {
    const raw = await fetch(`${endpoint.baseUrl}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'test-reasoner', messages: WEATHER_PROMPT, stream: true }) });
    const total = (await raw.text()).split('\n').filter((l) => l.startsWith('data: {')).length;
    assert.ok(total > 10);
    let ran = 0;
    const mutating: Tool = { ...createRecordedTools([session])[0]!, readOnly: false, run: async () => ((ran += 1), { output: 'x', isError: false }) };
    for (let cut = 1; cut < total; cut += 3) {
      endpoint.setFaults({ cutAfterChunks: cut });
      const events = await runAll({ client, model: 'test-reasoner', messages: [...WEATHER_PROMPT], tools: [mutating] });
      const done = lastDone(events);
      assert.equal(done.reason, 'error', `cut after ${cut} of ${total}`);
      assert.match(done.error?.message ?? '', /closed the stream|terminated|socket|network|reach/i, `cut after ${cut}: ${done.error?.message}`);
    }
    endpoint.setFaults({});
    assert.equal(ran, 0);
  });

  it('stops promptly when aborted mid-stream and reports stopped', async () => {
    const slow = await LocalEndpoint.start({ sessions: [session], tokensPerSecond: 20 });
    try {
      const c = new OpenAI({ baseURL: slow.baseUrl, apiKey: 'unused', maxRetries: 0 });
      const controller = new AbortController();
      const events: AgentEvent[] = [];
      for await (const e of runAgent({ client: c, model: 'test-reasoner', messages: [...WEATHER_PROMPT], tools: [], signal: controller.signal })) {
        events.push(e);
        if (e.type === 'stream' && e.event.type === 'reasoning') controller.abort();
      }
      assert.equal(lastDone(events).reason, 'stopped');
      assert.equal(events.filter((e) => e.type === 'toolStart').length, 0);
    } finally {
      await slow.close();
    }
  });

  it('stops after the step limit', async () => {
    const events = await runAll({ client, model: 'test-reasoner', messages: [...WEATHER_PROMPT], tools: createRecordedTools([session]), maxSteps: 1 });
    assert.equal(lastDone(events).reason, 'maxSteps');
  });

  it('paces the stream at the stated tokens per second', async () => {
    const paced = await LocalEndpoint.start({ sessions: [session], tokensPerSecond: 100 });
    try {
      const c = new OpenAI({ baseURL: paced.baseUrl, apiKey: 'unused', maxRetries: 0 });
      const started = performance.now();
      const events = await runAll({ client: c, model: 'test-reasoner', messages: [...WEATHER_PROMPT], tools: [], maxSteps: 1 });
      const elapsed = performance.now() - started;
      const words = textOf(events, 0, 'reasoning').split(/\s+/).length;
      // Pacing is a lower bound: the reasoning alone is `words` tokens at 100 per second.
      assert.ok(elapsed >= (words / 100) * 1000 * 0.9, `took ${elapsed} ms for ${words} words`);
    } finally {
      await paced.close();
    }
  });

  it('records the run as a session the endpoint can serve again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'foresight-rec-'));
    const path = join(dir, 'run.jsonl');
    const writer = new SessionWriter({ path, id: 'r1', model: 'test-reasoner', endpoint: `${endpoint.baseUrl}?api_key=sk-secret`, tools: session.header.tools, foresightVersion: 'test' });
    await runAll({ client, model: 'test-reasoner', messages: [...WEATHER_PROMPT], tools: createRecordedTools([session]), recorder: writer });
    writer.dispose();
    const text = await readFile(path, 'utf8');
    assert.ok(!text.includes('sk-secret'));
    const { sessions, problems } = await readSessionFile(path);
    assert.deepEqual(problems, []);
    assert.equal(sessions[0]?.turns.length, 2);
    assert.equal(sessions[0]?.turns[0]?.toolResults.length, 2);
    // The recording replays: served again, it drives the agent to the same answer.
    const again = await LocalEndpoint.start({ sessions, tokensPerSecond: null });
    try {
      const c = new OpenAI({ baseURL: again.baseUrl, apiKey: 'unused', maxRetries: 0 });
      const events = await runAll({ client: c, model: 'test-reasoner', messages: [...WEATHER_PROMPT], tools: createRecordedTools(sessions) });
      const done = lastDone(events);
      assert.equal(done.reason, 'answer');
      assert.match(String(done.messages[done.messages.length - 1]?.content), /16 degrees warmer/);
    } finally {
      await again.close();
    }
  });
});
