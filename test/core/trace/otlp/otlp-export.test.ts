import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Ajv from 'ajv';
import { replayBackend } from '../../../../src/core/chat-session/backends.js';
import { ChatSession } from '../../../../src/core/chat-session/chat-session.js';
import { loadDemoSessions } from '../../../../src/core/chat-session/demo-sessions.js';
import { LocalEndpoint } from '../../../../src/core/endpoint/local-endpoint.js';
import { readSessionFile } from '../../../../src/core/session/session-reader.js';
import type { Session } from '../../../../src/core/session/format.js';
import { otlpJson } from '../../../../src/core/trace/otlp/otlp-json.js';
import { sendOtlp } from '../../../../src/core/trace/otlp/otlp-send.js';
import { readableSpans } from '../../../../src/core/trace/otlp/readable-spans.js';
import { resniffedSession } from '../../../../src/core/trace/otlp/resniffed-session.js';
import { sessionSpans } from '../../../../src/core/trace/otlp/session-spans.js';
import { defaultSetup, demoSession } from '../trace-fixtures.js';

const schema = JSON.parse(readFileSync(join(process.cwd(), 'test/fixtures/otlp-trace-request.schema.json'), 'utf8')) as object;
const validate = new Ajv({ allErrors: true }).compile(schema);

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: { key: string; value: Record<string, unknown> }[];
  links?: { traceId: string; spanId: string }[];
}
interface OtlpRequest {
  resourceSpans: { resource: { attributes: { key: string; value: Record<string, unknown> }[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
}

const spansOf = (request: OtlpRequest): OtlpSpan[] => request.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
const attr = (span: OtlpSpan, key: string): unknown => {
  const value = span.attributes.find((a) => a.key === key)?.value;
  return value === undefined ? undefined : Object.values(value)[0];
};

/** Checks what the schema cannot: unique ids, parents and links that exist, children that start inside their parents. */
function assertWellFormed(request: OtlpRequest): void {
  assert.ok(validate(request), JSON.stringify(validate.errors, null, 1));
  const spans = spansOf(request);
  const ids = new Set(spans.map((s) => s.spanId));
  assert.equal(ids.size, spans.length, 'span ids are unique');
  for (const s of spans) {
    assert.ok(BigInt(s.endTimeUnixNano) >= BigInt(s.startTimeUnixNano), `${s.name} ends before it starts`);
    if (s.parentSpanId !== undefined) {
      const parent = spans.find((p) => p.spanId === s.parentSpanId);
      assert.ok(parent, `${s.name} has a parent that is not in the export`);
      assert.equal(parent.traceId, s.traceId);
      // A child starts inside its parent; an early tool run may outlast the reasoning that started it.
      assert.ok(BigInt(s.startTimeUnixNano) >= BigInt(parent.startTimeUnixNano) && BigInt(s.startTimeUnixNano) <= BigInt(parent.endTimeUnixNano), `${s.name} starts outside its parent ${parent.name}`);
    }
    for (const l of s.links ?? []) assert.ok(ids.has(l.spanId), `${s.name} links to a span that is not in the export`);
  }
}

describe('OTLP/JSON export of sessions', () => {
  it('encodes a re-sniffed demo session as a valid ExportTraceServiceRequest whose served call links to its early run', async () => {
    const session = await resniffedSession(await demoSession('01-weather-umbrella.json'), defaultSetup(), []);
    const request = JSON.parse(otlpJson(readableSpans([sessionSpans(session)]))) as OtlpRequest;
    assertWellFormed(request);
    const spans = spansOf(request);
    const early = spans.filter((s) => attr(s, 'foresight.speculative') === true);
    assert.ok(early.length > 0, 'the demo reasoning names its call, so something ran early');
    const served = spans.filter((s) => (s.links ?? []).some((l) => early.some((e) => e.spanId === l.spanId)));
    assert.ok(served.length > 0);
    for (const s of served) {
      assert.ok(['hit', 'partial'].includes(String(attr(s, 'foresight.speculation.outcome'))));
      const p = Number(attr(s, 'foresight.speculation.probability'));
      assert.ok(p > 0 && p <= 1, `probability ${p}`);
      assert.ok(Number(attr(s, 'foresight.speculation.lead_ms')) > 0);
    }
    assert.equal(new Set(spans.map((s) => s.traceId)).size, 1, 'one session, one trace');
  });

  it('gives the same ids when a session is exported twice, and different traces to different sessions', async () => {
    const a = await demoSession('01-weather-umbrella.json');
    const b = await demoSession('03-order-status.json');
    const once = spansOf(JSON.parse(otlpJson(readableSpans([sessionSpans(a), sessionSpans(b)]))) as OtlpRequest);
    const twice = spansOf(JSON.parse(otlpJson(readableSpans([sessionSpans(a), sessionSpans(b)]))) as OtlpRequest);
    assert.deepEqual(once.map((s) => s.spanId), twice.map((s) => s.spanId));
    assert.equal(new Set(once.map((s) => s.traceId)).size, 2);
  });

  it('exports a run the chat recorded against the local endpoint with its recorded speculation and real times', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'foresight-otlp-'));
    const demo = await loadDemoSessions(join(process.cwd(), 'media/demo-sessions'));
    const endpoint = await LocalEndpoint.start({ sessions: demo.sessions, tokensPerSecond: 20_000 });
    try {
      const backend = replayBackend(endpoint, demo.sessions, { toolLatencyMs: 1 });
      const chat = new ChatSession();
      await chat.send('Do I need an umbrella in Lisbon tomorrow?', async () => backend, { maxSteps: 6, temperature: null, extraBody: {}, versions: { foresight: 'test-1' }, recordDir: dir, speculation: defaultSetup() }, () => undefined);
      const [file] = await readdir(dir);
      assert.ok(file);
      const read = await readSessionFile(join(dir, file));
      const session = read.sessions[0] as Session;
      assert.equal(session.header.timing, 'recorded');
      const request = JSON.parse(otlpJson(readableSpans([sessionSpans(session, { captureContent: true })]))) as OtlpRequest;
      assertWellFormed(request);
      const spans = spansOf(request);
      assert.ok(spans.some((s) => s.name.startsWith('chat ')));
      assert.ok(spans.some((s) => s.name === 'execute_tool get_forecast' && attr(s, 'foresight.speculative') === undefined), 'the formal call has its span');
      assert.ok(spans.some((s) => attr(s, 'foresight.speculative') === true), 'the recorded early run has its span');
      const resource = request.resourceSpans[0]?.resource.attributes.find((a) => a.key === 'service.version')?.value;
      assert.deepEqual(resource, { stringValue: 'test-1' });
      const root = spans.find((s) => s.parentSpanId === undefined);
      assert.ok(root);
      const created = BigInt(Date.parse(session.header.createdAt)) * 1_000_000n;
      assert.equal(BigInt(root.startTimeUnixNano), created, 'the trace starts when the session did');
      const output = String(attr(spans.find((s) => s.name.startsWith('chat '))!, 'gen_ai.output.messages'));
      assert.match(output, /"type":"reasoning"/);
    } finally {
      await endpoint.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('sending to an OTLP/HTTP receiver', () => {
  let server: Server;
  let url: string;
  const received: { path: string; type: string | undefined; auth: string | undefined; body: string }[] = [];
  let refuse = false;

  before(async () => {
    server = createServer((req: IncomingMessage, res) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => {
        received.push({ path: req.url ?? '', type: req.headers['content-type'], auth: req.headers.authorization, body: Buffer.concat(parts).toString('utf8') });
        res.writeHead(refuse ? 500 : 200, { 'content-type': 'application/json' });
        res.end(refuse ? '{"code":13,"message":"receiver broke"}' : '{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('posts the spans as OTLP/JSON that the receiver can read back', async () => {
    received.length = 0;
    const spans = readableSpans([sessionSpans(await demoSession('02-docs-retries.json'))]);
    await sendOtlp(spans, url, { headers: { authorization: 'Bearer otlp-key-123' } });
    assert.equal(received.length, 1);
    assert.equal(received[0]?.path, '/v1/traces');
    assert.match(received[0]?.type ?? '', /application\/json/);
    assert.equal(received[0]?.auth, 'Bearer otlp-key-123');
    const request = JSON.parse(received[0]?.body ?? '') as OtlpRequest;
    assertWellFormed(request);
    assert.equal(spansOf(request).length, spans.length);
  });

  it('rejects with a sentence naming the receiver, without its credentials, when it refuses', async () => {
    refuse = true;
    try {
      const spans = readableSpans([sessionSpans(await demoSession('02-docs-retries.json'))]);
      await assert.rejects(sendOtlp(spans, `${url}?api_key=k-SECRET-77`, { headers: { authorization: 'Bearer h-SECRET-88' }, timeoutMillis: 5000 }), (error: Error) => {
        assert.match(error.message, /OTLP receiver at http:\/\/127\.0\.0\.1/);
        assert.ok(!error.message.includes('SECRET'), error.message);
        return true;
      });
    } finally {
      refuse = false;
    }
  });
});
