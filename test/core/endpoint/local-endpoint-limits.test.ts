import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_MAX_BODY_BYTES, LocalEndpoint } from '../../../src/core/endpoint/local-endpoint.js';
import { faultsFromHeader } from '../../../src/core/endpoint/endpoint-faults.js';
import { WEATHER_PROMPT, weatherSession } from '../../fixtures/weather-transcript.js';

const body = (extra: Record<string, unknown> = {}) => JSON.stringify({ model: 'test-reasoner', messages: WEATHER_PROMPT, ...extra });

async function post(endpoint: LocalEndpoint, init: RequestInit): Promise<{ status: number; text: string }> {
  const res = await fetch(`${endpoint.baseUrl}/chat/completions`, { method: 'POST', ...init });
  return { status: res.status, text: await res.text() };
}

describe('the embedded default endpoint (fault switches off)', () => {
  let endpoint: LocalEndpoint;
  const logged: string[] = [];
  before(async () => {
    endpoint = await LocalEndpoint.start({ sessions: [weatherSession()], tokensPerSecond: null, log: (l) => logged.push(l) });
  });
  after(() => endpoint.close());

  it('ignores the x-foresight-fault header and serves the recorded turn', async () => {
    const res = await post(endpoint, { body: body(), headers: { 'x-foresight-fault': 'status=500' } });
    assert.equal(res.status, 200);
    assert.match(res.text, /get_forecast/);
    assert.ok(!logged.some((l) => l.includes('fault')), logged.join('\n'));
  });

  it('refuses setFaults, and refuses to start with faults', async () => {
    assert.throws(() => endpoint.setFaults({ failStatus: 500 }), /allowFaults/);
    await assert.rejects(LocalEndpoint.start({ sessions: [weatherSession()], faults: { failStatus: 500 } }), /allowFaults/);
  });

  it('quotes at most a short, cut excerpt of an unmatched conversation in its 404 and its log', async () => {
    const huge = `${'x'.repeat(50_000)} and more words after it`;
    const res = await post(endpoint, { body: JSON.stringify({ model: 'test-reasoner', messages: [{ role: 'user', content: huge }] }) });
    assert.equal(res.status, 404);
    const message = (JSON.parse(res.text) as { error: { message: string } }).error.message;
    assert.match(message, /No recorded turn matches/);
    assert.ok(message.length < 500, `the message is ${message.length} characters`);
    assert.match(message, /…/);
    const line = logged.find((l) => l.startsWith('no recorded turn'));
    assert.ok(line && line.length < 200, `the log line is ${line?.length} characters`);
  });

  it('quotes an unknown model and an unknown route only in short', async () => {
    const model = await post(endpoint, { body: JSON.stringify({ model: 'm'.repeat(20_000), messages: WEATHER_PROMPT }) });
    assert.equal(model.status, 404);
    assert.ok(model.text.length < 600, `${model.text.length} characters`);
    const route = await fetch(`${endpoint.baseUrl}/${'p'.repeat(5000)}`);
    assert.equal(route.status, 404);
    assert.ok((await route.text()).length < 600);
  });

  it('answers a body over the cap (announced by its length) with 413 without reading it', async () => {
    assert.equal(DEFAULT_MAX_BODY_BYTES, 32 * 1024 * 1024);
    const res = await post(endpoint, { body: Buffer.alloc(DEFAULT_MAX_BODY_BYTES + 1, 0x20) });
    assert.equal(res.status, 413);
    assert.match(res.text, /body_too_large/);
  });
});

describe('an endpoint with small caps', () => {
  let endpoint: LocalEndpoint;
  before(async () => {
    endpoint = await LocalEndpoint.start({ sessions: [weatherSession()], tokensPerSecond: 2, maxBodyBytes: 4096, maxConcurrentRequests: 1 });
  });
  after(() => endpoint.close());

  it('answers a streamed (chunked) body that grows past the cap with 413', async () => {
    const chunk = new TextEncoder().encode(' '.repeat(1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Far more than the cap, but finite, in case the server read on.
        if (sent++ < 64) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await post(endpoint, { body: stream, duplex: "half" } as RequestInit);
    assert.equal(res.status, 413);
  });

  it('answers 503 to a request beyond the concurrency cap while one is streaming', async () => {
    const controller = new AbortController();
    const first = await fetch(`${endpoint.baseUrl}/chat/completions`, { method: 'POST', body: body({ stream: true }), signal: controller.signal });
    assert.equal(first.status, 200);
    const reader = first.body!.getReader();
    await reader.read(); // the first chunk: the stream is under way
    try {
      const second = await post(endpoint, { body: body() });
      assert.equal(second.status, 503);
      assert.match(second.text, /overloaded/);
    } finally {
      controller.abort();
      await reader.cancel().catch(() => {});
    }
  });
});

describe('an endpoint started for tests (allowFaults)', () => {
  let endpoint: LocalEndpoint;
  const logged: string[] = [];
  before(async () => {
    endpoint = await LocalEndpoint.start({ sessions: [weatherSession()], tokensPerSecond: null, allowFaults: true, log: (l) => logged.push(l) });
  });
  after(() => endpoint.close());

  it('answers with the status the fault header asks for', async () => {
    const res = await post(endpoint, { body: body(), headers: { 'x-foresight-fault': 'status=503' } });
    assert.equal(res.status, 503);
    assert.match(res.text, /injected_fault/);
  });

  for (const value of ['status=abc', 'status=99', 'status=1e9', 'status=', 'status', 'cut-after=-1', 'cut-after=1.5', 'bogus=1', `status=${'9'.repeat(400)}`]) {
    it(`answers a malformed fault header ${JSON.stringify(value.slice(0, 20))} with 400, not 500`, async () => {
      const res = await post(endpoint, { body: body(), headers: { 'x-foresight-fault': value } });
      assert.equal(res.status, 400, res.text);
      const error = (JSON.parse(res.text) as { error: { type: string; code: string; message: string } }).error;
      assert.equal(error.type, 'invalid_request_error');
      assert.equal(error.code, 'invalid_fault');
      assert.ok(error.message.length < 200);
      assert.ok(!logged.some((l) => l.startsWith('internal error')), logged.join('\n'));
    });
  }

  it('refuses fault switches out of range in code', () => {
    assert.throws(() => endpoint.setFaults({ failStatus: 99 }), /400 to 599/);
    assert.throws(() => endpoint.setFaults({ cutAfterChunks: -1 }), /whole number/);
  });
});

describe('faultsFromHeader', () => {
  it('reads both switches, comma-separated, with spaces', () => {
    assert.deepEqual(faultsFromHeader(' status = 429 , cut-after=3 '), { faults: { failStatus: 429, cutAfterChunks: 3 } });
    assert.deepEqual(faultsFromHeader(undefined), { faults: {} });
  });
});
