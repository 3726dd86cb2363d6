import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import OpenAI, { APIError } from 'openai';
import type { ChatMessage } from '../../../src/core/chat/types.js';
import { LocalEndpoint } from '../../../src/core/endpoint/local-endpoint.js';
import { evaluate } from '../../../src/core/eval/evaluate.js';
import { RecordingProxy, type RecordingProxyOptions } from '../../../src/core/proxy/recording-proxy.js';
import { RecordingScheduler } from '../../../src/core/proxy/recording-scheduler.js';
import type { ShadowTurn } from '../../../src/core/proxy/shadow-speculation.js';
import { parseRules } from '../../../src/core/rules/rule-parser.js';
import type { Session } from '../../../src/core/session/format.js';
import { loadSessions } from '../../../src/core/session/load-sessions.js';
import { ORDER_PROMPT, ORDER_RESULT, ORDER_TOOLS, orderSession } from './order-transcript.js';

const KEY = 'sk-test-proxy-5a1f9c3e7d2b4a6f';
const MODEL = 'desk-reasoner';
const rules = parseRules(readFileSync(join(process.cwd(), 'media/rules/default.sniff'), 'utf8')).rules;

type Chunk = OpenAI.Chat.Completions.ChatCompletionChunk;

/** A stream's chunks without what differs per request (the random id and the time). */
function comparable(chunks: Chunk[]): unknown[] {
  return chunks.map(({ id: _id, created: _created, ...rest }) => rest);
}

async function collect(client: OpenAI, headers: Record<string, string> = {}): Promise<{ chunks: Chunk[]; error?: unknown }> {
  const chunks: Chunk[] = [];
  try {
    const stream = await client.chat.completions.create({ model: MODEL, messages: ORDER_PROMPT as never, tools: ORDER_TOOLS as never, stream: true }, { headers });
    for await (const chunk of stream) chunks.push(chunk);
    return { chunks };
  } catch (error) {
    return { chunks, error };
  }
}

async function sessionsIn(dir: string): Promise<Session[]> {
  return (await loadSessions(readdirSync(dir).map((f) => join(dir, f)))).sessions;
}

function errorsOf(session: Session): { message: string; status?: number }[] {
  const file = readdirSync(dirOf(session)).find((f) => f.includes(session.header.id.slice(0, 8)))!;
  return readFileSync(join(dirOf(session), file), 'utf8')
    .split('\n')
    .filter((l) => l.includes('"type":"error"'))
    .map((l) => (JSON.parse(l) as { event: { message: string; status?: number } }).event);
}
const dirs = new Map<string, string>();
const dirOf = (s: Session) => dirs.get(s.header.id)!;

describe('the recording proxy in front of the local endpoint', () => {
  let upstream: LocalEndpoint;
  let proxy: RecordingProxy;
  let dir: string;
  const upstreamLog: string[] = [];
  const shadows: ShadowTurn[] = [];
  const proxyLog: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'foresight-proxy-'));
    upstream = await LocalEndpoint.start({
      sessions: [orderSession()],
      tokensPerSecond: 400,
      allowFaults: true,
      log: (line) => upstreamLog.push(line),
    });
    proxy = await RecordingProxy.start({ upstream: upstream.baseUrl, sessionsDir: dir, shadow: { rules }, onShadow: (t) => shadows.push(t), log: (l) => proxyLog.push(l) });
  });
  after(async () => {
    await proxy.close();
    await upstream.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const direct = () => new OpenAI({ baseURL: upstream.baseUrl, apiKey: KEY, maxRetries: 0 });
  const proxied = () => new OpenAI({ baseURL: proxy.baseUrl, apiKey: KEY, maxRetries: 0 });

  it('gives the openai SDK the same stream as going direct, tool call included', async () => {
    const a = await collect(direct());
    const b = await collect(proxied());
    assert.equal(a.error, undefined);
    assert.equal(b.error, undefined);
    assert.deepEqual(comparable(b.chunks), comparable(a.chunks));
    const args = b.chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []).map((t) => t.function?.arguments ?? '').join('');
    assert.equal(args, '{"order_id":"A-1042"}');
  });

  it('gives the same whole (non-streamed) answer as going direct', async () => {
    const ask = (client: OpenAI) => client.chat.completions.create({ model: MODEL, messages: ORDER_PROMPT as never, tools: ORDER_TOOLS as never });
    const { id: _a, created: _ac, ...a } = await ask(direct());
    const { id: _b, created: _bc, ...b } = await ask(proxied());
    assert.deepEqual(b, a);
    assert.equal(b.choices[0]?.message.tool_calls?.[0]?.type === 'function' && b.choices[0].message.tool_calls[0].function.name, 'lookup_order');
  });

  for (const status of [401, 429, 500]) {
    it(`passes an upstream ${status} to the client unchanged and records it`, async () => {
      const headers = { 'x-foresight-fault': `status=${status}` };
      const a = await collect(direct(), headers);
      const b = await collect(proxied(), headers);
      assert.ok(a.error instanceof APIError && b.error instanceof APIError);
      assert.equal(b.error.status, status);
      assert.deepEqual(b.error.error, a.error.error);
      assert.equal(b.error.headers.get('retry-after-ms'), a.error.headers.get('retry-after-ms'));
      await proxy.settled();
      const recorded = (await sessionsIn(dir)).flatMap((s) => (dirs.set(s.header.id, dir), errorsOf(s)));
      assert.ok(recorded.some((e) => e.status === status && /Injected failure/.test(e.message)), JSON.stringify(recorded));
    });
  }

  it('cuts the stream where the upstream cut it, and records the cut', async () => {
    const headers = { 'x-foresight-fault': 'cut-after=5' };
    const a = await collect(direct(), headers);
    const b = await collect(proxied(), headers);
    assert.ok(a.error && b.error, 'both streams fail');
    assert.deepEqual(comparable(b.chunks), comparable(a.chunks));
    await proxy.settled();
    const recorded = (await sessionsIn(dir)).flatMap((s) => (dirs.set(s.header.id, dir), errorsOf(s)));
    assert.ok(recorded.some((e) => /closed the stream/.test(e.message)), JSON.stringify(recorded));
  });

  it('aborts the upstream request when the client goes away', async () => {
    let stopped: () => void = () => {};
    const gone = new Promise<void>((resolve) => (stopped = resolve));
    // Two tokens a second: the answer would take far longer than the test.
    const slow = await LocalEndpoint.start({ sessions: [orderSession()], tokensPerSecond: 2, log: (line) => /client went away/.test(line) && stopped() });
    const slowProxy = await RecordingProxy.start({ upstream: slow.baseUrl, sessionsDir: dir });
    try {
      const stop = new AbortController();
      const client = new OpenAI({ baseURL: slowProxy.baseUrl, apiKey: KEY, maxRetries: 0 });
      const stream = await client.chat.completions.create({ model: MODEL, messages: ORDER_PROMPT as never, stream: true }, { signal: stop.signal });
      let seen = 0;
      try {
        for await (const _chunk of stream) {
          seen++;
          stop.abort();
        }
      } catch {
        // The SDK reports the abort as an error or just ends; either way the client is gone.
      }
      assert.equal(seen, 1);
      await gone;
      await slowProxy.settled();
      const recorded = (await sessionsIn(dir)).flatMap((s) => (dirs.set(s.header.id, dir), errorsOf(s)));
      assert.ok(recorded.some((e) => /client closed the connection/.test(e.message)), JSON.stringify(recorded));
    } finally {
      await slowProxy.close();
      await slow.close();
    }
  });

  it('records a two-turn conversation as one session, and eval finds the call the reasoning stated', () => twoTurns({}));

  it('keeps the conversation one session when recording lags behind the forwarding', () =>
    // A scheduler that never gets round to the work: only catching up on the next request records the answer.
    twoTurns({ scheduler: new (class extends RecordingScheduler {
      override add(): void {}
    })() }));

  async function twoTurns(extra: Partial<RecordingProxyOptions>): Promise<void> {
    const own = mkdtempSync(join(tmpdir(), 'foresight-proxy-two-'));
    const p = await RecordingProxy.start({ upstream: upstream.baseUrl, sessionsDir: own, shadow: { rules }, onShadow: (t) => shadows.push(t), ...extra });
    try {
      const client = new OpenAI({ baseURL: p.baseUrl, apiKey: KEY, maxRetries: 0 });
      const first = await client.chat.completions.create({ model: MODEL, messages: ORDER_PROMPT as never, tools: ORDER_TOOLS as never, stream: true });
      const calls: { id: string; name: string; arguments: string }[] = [];
      for await (const chunk of first) {
        for (const d of chunk.choices[0]?.delta.tool_calls ?? []) {
          if (d.id) calls.push({ id: d.id, name: d.function?.name ?? '', arguments: '' });
          const last = calls[calls.length - 1];
          if (last && d.function?.arguments) last.arguments += d.function.arguments;
        }
      }
      assert.equal(calls.length, 1);
      const messages: ChatMessage[] = [
        ...ORDER_PROMPT,
        { role: 'assistant', content: null, tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })) },
        ORDER_RESULT,
      ];
      const second = await client.chat.completions.create({ model: MODEL, messages: messages as never, tools: ORDER_TOOLS as never, stream: true });
      let answer = '';
      for await (const chunk of second) answer += chunk.choices[0]?.delta.content ?? '';
      assert.match(answer, /Thursday/);
      await p.settled();
      const files = readdirSync(own);
      assert.equal(files.length, 1, 'one session file');
      const text = readFileSync(join(own, files[0]!), 'utf8');
      assert.ok(!text.includes(KEY), 'the key is not in the recording');
      assert.ok(!text.includes(KEY.slice(3, 20)), 'no part of the key is in the recording');
      const sessions = await sessionsIn(own);
      assert.equal(sessions.length, 1);
      const session = sessions[0]!;
      assert.equal(session.turns.length, 2);
      assert.equal(session.turns[0]!.toolResults.length, 1);
      assert.equal(session.turns[0]!.toolResults[0]!.output, ORDER_RESULT.content);
      assert.ok(session.turns[1]!.chunks.length > 0);
      const shadowCall = text.split('\n').find((l) => l.includes('"shadowCall"'));
      assert.ok(shadowCall, 'the shadow outcome of the call is recorded');
      const outcome = (JSON.parse(shadowCall) as { event: { exact: boolean; name: string; toolLatencyMs: number } }).event;
      assert.equal(outcome.name, 'lookup_order');
      assert.equal(outcome.exact, true);
      assert.ok(outcome.toolLatencyMs >= 0);
      const report = await evaluate(sessions, { rules, readonly: ['lookup_order'] });
      assert.equal(report.calls, 1);
      assert.equal(report.perCall[0]!.tool, 'lookup_order');
      assert.equal(report.perCall[0]!.exact, true);
    } finally {
      await p.close();
      rmSync(own, { recursive: true, force: true });
    }
  }

  it('serves a plain node:http client, streamed and GET /v1/models, as the upstream does', async () => {
    const raw = (port: number, method: string, path: string, body?: string) =>
      new Promise<{ status: number; text: string; type: string }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' } }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text, type: String(res.headers['content-type']) }));
        });
        req.on('error', reject);
        req.end(body);
      });
    const models = await raw(proxy.port, 'GET', '/v1/models');
    assert.deepEqual(models, await raw(upstream.port, 'GET', '/v1/models'));
    const streamed = await raw(proxy.port, 'POST', '/v1/chat/completions', JSON.stringify({ model: MODEL, messages: ORDER_PROMPT, stream: true }));
    assert.equal(streamed.status, 200);
    assert.match(streamed.type, /text\/event-stream/);
    assert.match(streamed.text, /lookup_order/);
    assert.match(streamed.text, /data: \[DONE\]\n\n$/);
    const unknown = await raw(proxy.port, 'GET', '/v1/nothing-here');
    assert.deepEqual(unknown, await raw(upstream.port, 'GET', '/v1/nothing-here'));
  });

  it('answers 502 in the OpenAI error shape when the upstream cannot be reached, and records it', async () => {
    const gone = await LocalEndpoint.start({ sessions: [orderSession()] });
    const port = gone.port;
    await gone.close();
    const own = mkdtempSync(join(tmpdir(), 'foresight-proxy-502-'));
    const p = await RecordingProxy.start({ upstream: `http://127.0.0.1:${port}/v1`, sessionsDir: own });
    try {
      const b = await collect(new OpenAI({ baseURL: p.baseUrl, apiKey: KEY, maxRetries: 0 }));
      assert.ok(b.error instanceof APIError);
      assert.equal(b.error.status, 502);
      assert.equal((b.error.error as { code?: string }).code, 'upstream_unreachable');
      await p.settled();
      const recorded = (await sessionsIn(own)).flatMap((s) => (dirs.set(s.header.id, own), errorsOf(s)));
      assert.deepEqual(recorded.map((e) => e.status), [502]);
    } finally {
      await p.close();
      rmSync(own, { recursive: true, force: true });
    }
  });

  it('never logs the key', () => {
    assert.ok(!proxyLog.some((l) => l.includes(KEY)));
    assert.ok(shadows.length > 0, 'shadow speculation ran');
  });
});
