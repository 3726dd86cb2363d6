import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LocalEndpoint } from '../../src/core/endpoint/local-endpoint.js';
import { inlineRecorder, workerRecorder } from '../../src/core/proxy/recorder-link.js';
import { RecordingProxy } from '../../src/core/proxy/recording-proxy.js';
import { RecordingScheduler } from '../../src/core/proxy/recording-scheduler.js';
import type { Rule } from '../../src/core/rules/rule-ast.js';
import { importChatTranscript } from '../../src/core/session/import-chat.js';
import { fmt, printTable } from './bench-table.js';

/**
 * The ways a stream is sent: straight to the upstream, or through one of four proxy set-ups
 * (`recording, no worker`: the recorder on the forwarding thread, as before the worker, for comparison).
 */
export const VIAS = ['direct', 'forwarding only', 'recording', 'recording, no worker', 'recording, own process'] as const;
export type Via = (typeof VIAS)[number];

/** What the proxy benchmark measured; every figure has its direct counterpart from the same run. */
export interface ProxyBenchResult {
  ttfc: Record<Via, Quantiles>;
  perChunk: Record<Via, Quantiles>;
  chunks: number;
  concurrent: { streams: number; by: Record<Via, Throughput> };
}

interface Quantiles {
  p50: number;
  p99: number;
}

interface Throughput {
  seconds: number;
  chunksPerSecond: number;
  mbPerSecond: number;
}

const MODEL = 'bench-reasoner';
const BENCH_HEADER = 'x-bench-id';

/** A long hand-written answer: reasoning of `words` words, then a call. */
function benchSession(words: number) {
  const vocabulary = ['the', 'parcel', 'left', 'the', 'depot', 'on', 'monday', 'and', 'should', 'reach', 'the', 'customer', 'soon', 'so', 'I', 'check', 'its', 'route'];
  const reasoning = Array.from({ length: words }, (_, i) => vocabulary[i % vocabulary.length]).join(' ');
  return importChatTranscript(
    {
      model: MODEL,
      tools: [{ type: 'function', function: { name: 'track_parcel', parameters: { type: 'object', properties: { id: { type: 'string' } } } } }],
      messages: [
        { role: 'user', content: 'Track parcel P-1.' },
        { role: 'assistant', reasoning_content: `${reasoning}. I will call track_parcel with id "P-1".`, content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'track_parcel', arguments: '{"id":"P-1"}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: '{"at":"depot"}' },
        { role: 'assistant', content: 'It is at the depot.' },
      ],
    },
    { file: 'proxy-bench' },
  );
}

/** When the upstream wrote each SSE event of each request, by the request's bench id. */
class WriteTimes {
  readonly byId = new Map<string, number[]>();

  /** Hooks the endpoint's server (in this process) so every write is timed as it is made. */
  attach(endpoint: LocalEndpoint): void {
    const server = (endpoint as unknown as { server: Server }).server;
    server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
      const id = req.headers[BENCH_HEADER];
      if (typeof id !== 'string') return;
      const times: number[] = [];
      this.byId.set(id, times);
      const stamp = (chunk: unknown) => {
        if (typeof chunk !== 'string' && !Buffer.isBuffer(chunk)) return;
        const t = performance.now();
        const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
        for (let i = text.indexOf('data: '); i >= 0; i = text.indexOf('data: ', i + 6)) times.push(t);
      };
      const write = res.write.bind(res) as (...args: unknown[]) => boolean;
      const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
      res.write = ((...args: unknown[]) => {
        stamp(args[0]);
        return write(...args);
      }) as typeof res.write;
      res.end = ((...args: unknown[]) => {
        stamp(args[0]);
        return end(...args);
      }) as typeof res.end;
    });
  }
}

/** One streamed request with a plain HTTP client; the arrival time of each SSE event, and the request's start. */
function stream(port: number, id: string): Promise<{ started: number; arrivals: number[]; bytes: number }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'Track parcel P-1.' }], stream: true });
    const started = performance.now();
    const req = httpRequest(
      { host: '127.0.0.1', port, method: 'POST', path: '/v1/chat/completions', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench', [BENCH_HEADER]: id } },
      (res) => {
        const arrivals: number[] = [];
        let tail = '';
        let bytes = 0;
        res.on('data', (d: Buffer) => {
          const t = performance.now();
          bytes += d.length;
          tail += d.toString('latin1');
          for (let i = tail.indexOf('\n\n'); i >= 0; i = tail.indexOf('\n\n')) {
            arrivals.push(t);
            tail = tail.slice(i + 2);
          }
        });
        res.on('end', () => resolve({ started, arrivals, bytes }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function quantiles(values: number[]): Quantiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99) };
}

function startProxy(cli: string, upstream: string, sessionsDir: string): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, [cli, 'proxy', '--upstream', upstream, '--sessions-dir', sessionsDir], { stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve({ port: Number(m[1]), child });
    });
    child.once('exit', (code) => reject(new Error(`the proxy exited with ${code} before listening`)));
  });
}

/**
 * Time to first chunk and per-chunk latency (from the upstream's write to the client's read)
 * direct to the local endpoint and through the proxy four ways: in this process forwarding
 * only, in this process recording with shadow speculation (the default rules) in the proxy's
 * worker thread, the same with the recorder on the forwarding thread, and as
 * `foresight proxy` in its own process recording, as it is used. Requests alternate between
 * the ways so load hits all alike; then `concurrent` unpaced streams each way.
 */
export async function proxyBench(cli: string, rules: readonly Rule[], rounds = 30, concurrent = 50): Promise<ProxyBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'foresight-proxy-bench-'));
  const paced = await LocalEndpoint.start({ sessions: [benchSession(150)], tokensPerSecond: 400, maxConcurrentRequests: 4 * concurrent });
  const burst = await LocalEndpoint.start({ sessions: [benchSession(4000)], tokensPerSecond: 1e9, maxConcurrentRequests: 4 * concurrent });
  const writes = new WriteTimes();
  writes.attach(paced);
  const inProcess = async (upstream: string, record: string | undefined, inline = false) =>
    RecordingProxy.start({
      upstream,
      ...(record ? { sessionsDir: join(dir, record), shadow: { rules } } : {}),
      maxConversations: 4 * concurrent,
      // A recorder that fails would make the figures look better than they are: say so.
      log: (line: string) => console.error(`proxy: ${line}`),
      // This bench runs as a bundle in out/bench/: the worker's script is the product's, in out/.
      recorder: inline ? inlineRecorder(new RecordingScheduler()) : workerRecorder({ scriptPath: resolve('out/proxy-recorder-worker.js') }),
    });
  const forwardPaced = await inProcess(paced.baseUrl, undefined);
  const forwardBurst = await inProcess(burst.baseUrl, undefined);
  const recordPaced = await inProcess(paced.baseUrl, 'paced');
  const recordBurst = await inProcess(burst.baseUrl, 'burst');
  const inlinePaced = await inProcess(paced.baseUrl, 'inline-paced', true);
  const inlineBurst = await inProcess(burst.baseUrl, 'inline-burst', true);
  const cliPaced = await startProxy(cli, paced.baseUrl, join(dir, 'cli-paced'));
  const cliBurst = await startProxy(cli, burst.baseUrl, join(dir, 'cli-burst'));
  const pacedPort: Record<Via, number> = { direct: paced.port, 'forwarding only': forwardPaced.port, recording: recordPaced.port, 'recording, no worker': inlinePaced.port, 'recording, own process': cliPaced.port };
  const burstPort: Record<Via, number> = { direct: burst.port, 'forwarding only': forwardBurst.port, recording: recordBurst.port, 'recording, no worker': inlineBurst.port, 'recording, own process': cliBurst.port };
  const each = <T>(f: (via: Via) => T) => Object.fromEntries(VIAS.map((v) => [v, f(v)])) as Record<Via, T>;
  try {
    const ttfc = each((): number[] => []);
    const chunk = each((): number[] => []);
    let n = 0;
    for (let round = 0; round < rounds; round++) {
      for (const via of VIAS) {
        const id = String(n++);
        const got = await stream(pacedPort[via], id);
        const written = writes.byId.get(id) ?? [];
        ttfc[via].push(got.arrivals[0]! - got.started);
        got.arrivals.forEach((t, i) => {
          const w = written[i];
          if (w !== undefined) chunk[via].push(t - w);
        });
      }
    }
    const throughput = async (port: number): Promise<Throughput> => {
      const started = performance.now();
      const all = await Promise.all(Array.from({ length: concurrent }, (_, i) => stream(port, `c${i}`)));
      const seconds = (performance.now() - started) / 1000;
      const chunks = all.reduce((s, r) => s + r.arrivals.length, 0);
      const bytes = all.reduce((s, r) => s + r.bytes, 0);
      return { seconds, chunksPerSecond: chunks / seconds, mbPerSecond: bytes / 1e6 / seconds };
    };
    const by = {} as Record<Via, Throughput>;
    for (const via of VIAS) {
      // Once to warm up connections and code, then measured.
      await throughput(burstPort[via]);
      by[via] = await throughput(burstPort[via]);
      await recordBurst.settled();
      await inlineBurst.settled();
    }
    const result: ProxyBenchResult = {
      ttfc: each((v) => quantiles(ttfc[v])),
      perChunk: each((v) => quantiles(chunk[v])),
      chunks: chunk.direct.length,
      concurrent: { streams: concurrent, by },
    };
    printProxyBench(result, rounds);
    return result;
  } finally {
    for (const c of [cliPaced.child, cliBurst.child]) c.kill('SIGTERM');
    await Promise.all([cliPaced.child, cliBurst.child].map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
    for (const p of [forwardPaced, forwardBurst, recordPaced, recordBurst, inlinePaced, inlineBurst]) await p.close();
    await paced.close();
    await burst.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function printProxyBench(r: ProxyBenchResult, rounds: number): void {
  const ms = (n: number) => fmt(n, 3);
  const vs = (v: Via, get: (x: Via) => number) => (v === 'direct' ? ms(get(v)) : `${ms(get(v))} (+${ms(get(v) - get('direct'))})`);
  printTable(
    `proxy overhead, ms (added over direct in brackets): ${rounds} paced streams each way (400 tokens/s, ${r.chunks} chunks each way); the in-process set-ups share this process's event loop with the client and the upstream`,
    ['latency (ms)', ...VIAS],
    [
      ['time to first chunk p50', ...VIAS.map((v) => vs(v, (x) => r.ttfc[x].p50))],
      ['time to first chunk p99', ...VIAS.map((v) => vs(v, (x) => r.ttfc[x].p99))],
      ['per chunk (upstream write to client read) p50', ...VIAS.map((v) => vs(v, (x) => r.perChunk[x].p50))],
      ['per chunk (upstream write to client read) p99', ...VIAS.map((v) => vs(v, (x) => r.perChunk[x].p99))],
    ],
  );
  const c = r.concurrent.by;
  const ratio = (v: Via, get: (x: Via) => number) => (v === 'direct' ? '' : ` (${(get(v) / get('direct')).toFixed(2)}x)`);
  printTable(
    `proxy throughput: ${r.concurrent.streams} concurrent unpaced streams of a 4000-word reasoning, until the last client has its last byte (recording may finish later; ratio to direct in brackets)`,
    ['throughput', ...VIAS],
    [
      ['wall time (s)', ...VIAS.map((v) => `${fmt(c[v].seconds, 2)}${ratio(v, (x) => c[x].seconds)}`)],
      ['chunks per second', ...VIAS.map((v) => `${fmt(c[v].chunksPerSecond, 0)}${ratio(v, (x) => c[x].chunksPerSecond)}`)],
      ['MB per second', ...VIAS.map((v) => `${fmt(c[v].mbPerSecond, 1)}${ratio(v, (x) => c[x].mbPerSecond)}`)],
    ],
  );
}
