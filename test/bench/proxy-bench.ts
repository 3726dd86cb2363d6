import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inlineRecorder, workerRecorder } from '../../src/core/proxy/recorder-link.js';
import { RecordingProxy } from '../../src/core/proxy/recording-proxy.js';
import { RecordingScheduler } from '../../src/core/proxy/recording-scheduler.js';
import type { Rule } from '../../src/core/rules/rule-ast.js';
import { fmt, printTable } from './bench-table.js';
import { BENCH_HEADER, BENCH_MODEL, monotonicMs, type UpstreamReport } from './proxy-bench-upstream.js';

/**
 * The ways a stream is sent: straight to the upstream, through a bare Node pipe in a process of
 * its own (the floor: what one more process hop costs here), or through one of the proxy set-ups
 * (`recording, no worker`: the recorder on the forwarding thread, as before the worker, for
 * comparison; `own process`: `foresight proxy` as it is used, forwarding only or recording).
 */
export const VIAS = ['direct', 'bare pipe, own process', 'forwarding only', 'recording', 'recording, no worker', 'own process, forwarding only', 'own process, recording'] as const;
export type Via = (typeof VIAS)[number];

/** What the proxy benchmark measured; every figure has its direct counterpart from the same run. */
export interface ProxyBenchResult {
  /** From the request's start to its first chunk, at the client. */
  ttfc: Record<Via, Quantiles>;
  /** From the upstream's write of a chunk to the client's read of it. */
  perChunk: Record<Via, Quantiles>;
  /**
   * What the proxy adds per chunk: its latency through the proxy minus the same chunk's
   * (same index) latency direct in the same round, over all chunks; and the p99 of that in
   * each block of rounds, whose least is the figure least inflated by the machine's other load.
   */
  added: Record<Via, Quantiles & { blockP99: { min: number; median: number } }>;
  chunks: number;
  rounds: number;
  blocks: number;
  load: { start: number; end: number; cores: number };
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

/** One streamed request with a plain HTTP client: the request's start and each SSE event's arrival (CLOCK_MONOTONIC ms), and the bytes. */
function stream(port: number, id: string): Promise<{ started: number; arrivals: number[]; bytes: number }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ model: BENCH_MODEL, messages: [{ role: 'user', content: 'Track parcel P-1.' }], stream: true });
    const started = monotonicMs();
    const req = httpRequest(
      { host: '127.0.0.1', port, method: 'POST', path: '/v1/chat/completions', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-bench', [BENCH_HEADER]: id } },
      (res) => {
        res.socket.setNoDelay(true);
        const arrivals: number[] = [];
        let tail = '';
        let bytes = 0;
        res.on('data', (d: Buffer) => {
          const t = monotonicMs();
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

const median = (values: number[]) => quantiles(values).p50;

/** The upstream process (two endpoints), ready; asked for write times by bench id. */
async function startUpstream(concurrent: number): Promise<{ paced: number; burst: number; times: (id: string) => Promise<number[]>; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve('test/bench/proxy-bench-upstream.ts'), String(concurrent)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, FORESIGHT_PROXY_BENCH_UPSTREAM: '1' },
  });
  const waiting = new Map<string, (times: number[]) => void>();
  const ready = await new Promise<{ paced: number; burst: number }>((done, fail) => {
    child.on('message', (m: UpstreamReport) => {
      if (m.type === 'ready') done(m);
      else waiting.get(m.id)?.(m.times);
    });
    child.once('exit', (code) => fail(new Error(`the bench upstream exited with ${code}`)));
  });
  const times = (id: string) =>
    new Promise<number[]>((done) => {
      waiting.set(id, (t) => {
        waiting.delete(id);
        done(t);
      });
      child.send({ type: 'times', id });
    });
  return { ...ready, times, child };
}

/** The bare pipe (see bare-pipe-proxy.ts) in a process of its own, listening. */
function startBarePipe(upstreamOrigin: string): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve('test/bench/bare-pipe-proxy.ts'), upstreamOrigin], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((done, fail) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) done({ port: Number(m[1]), child });
    });
    child.once('exit', (code) => fail(new Error(`the bare pipe exited with ${code} before listening`)));
  });
}

function startCliProxy(cli: string, upstream: string, sessionsDir: string | undefined): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, [cli, 'proxy', '--upstream', upstream, ...(sessionsDir ? ['--sessions-dir', sessionsDir] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
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
 * Time to first chunk and per-chunk latency (from the upstream's write to the client's read,
 * both on CLOCK_MONOTONIC) direct to an upstream in a process of its own and through the
 * proxy five ways: in this process forwarding only; in this process recording with shadow
 * speculation (the default rules) in the proxy's worker thread; the same with the recorder on
 * the forwarding thread; and as `foresight proxy` in its own process, forwarding only and
 * recording. Rounds send one request each way, in turn, so load hits all alike; what a way
 * adds is each chunk's latency minus that of the same chunk direct in the same round. One
 * unmeasured round first warms connections and code. Then `concurrent` unpaced streams each way.
 */
export async function proxyBench(cli: string, rules: readonly Rule[], rounds = 40, concurrent = 50, blocks = 10): Promise<ProxyBenchResult> {
  const loadStart = loadavg()[0]!;
  const dir = mkdtempSync(join(tmpdir(), 'foresight-proxy-bench-'));
  const upstream = await startUpstream(concurrent);
  const pacedUrl = `http://127.0.0.1:${upstream.paced}/v1`;
  const burstUrl = `http://127.0.0.1:${upstream.burst}/v1`;
  const inProcess = async (target: string, record: string | undefined, inline = false) =>
    RecordingProxy.start({
      upstream: target,
      ...(record ? { sessionsDir: join(dir, record), shadow: { rules } } : {}),
      maxConversations: 4 * concurrent,
      // A recorder that fails would make the figures look better than they are: say so.
      log: (line: string) => console.error(`proxy: ${line}`),
      // This bench runs as a bundle in out/bench/: the worker's script is the product's, in out/.
      recorder: inline ? inlineRecorder(new RecordingScheduler()) : workerRecorder({ scriptPath: resolve('out/proxy-recorder-worker.js') }),
    });
  const proxies = {
    forwardPaced: await inProcess(pacedUrl, undefined),
    forwardBurst: await inProcess(burstUrl, undefined),
    recordPaced: await inProcess(pacedUrl, 'paced'),
    recordBurst: await inProcess(burstUrl, 'burst'),
    inlinePaced: await inProcess(pacedUrl, 'inline-paced', true),
    inlineBurst: await inProcess(burstUrl, 'inline-burst', true),
  };
  const cliPath = resolve(cli);
  const own = {
    forwardPaced: await startCliProxy(cliPath, pacedUrl, undefined),
    forwardBurst: await startCliProxy(cliPath, burstUrl, undefined),
    recordPaced: await startCliProxy(cliPath, pacedUrl, join(dir, 'cli-paced')),
    recordBurst: await startCliProxy(cliPath, burstUrl, join(dir, 'cli-burst')),
    barePaced: await startBarePipe(`http://127.0.0.1:${upstream.paced}`),
    bareBurst: await startBarePipe(`http://127.0.0.1:${upstream.burst}`),
  };
  const pacedPort: Record<Via, number> = {
    direct: upstream.paced,
    'bare pipe, own process': own.barePaced.port,
    'forwarding only': proxies.forwardPaced.port,
    recording: proxies.recordPaced.port,
    'recording, no worker': proxies.inlinePaced.port,
    'own process, forwarding only': own.forwardPaced.port,
    'own process, recording': own.recordPaced.port,
  };
  const burstPort: Record<Via, number> = {
    direct: upstream.burst,
    'bare pipe, own process': own.bareBurst.port,
    'forwarding only': proxies.forwardBurst.port,
    recording: proxies.recordBurst.port,
    'recording, no worker': proxies.inlineBurst.port,
    'own process, forwarding only': own.forwardBurst.port,
    'own process, recording': own.recordBurst.port,
  };
  const each = <T>(f: (via: Via) => T) => Object.fromEntries(VIAS.map((v) => [v, f(v)])) as Record<Via, T>;
  try {
    const ttfc = each((): number[] => []);
    const chunk = each((): number[] => []);
    const added = each((): number[][] => Array.from({ length: blocks }, () => []));
    let n = 0;
    for (let round = -1; round < rounds; round++) {
      const latencies = {} as Record<Via, number[]>;
      for (const via of VIAS) {
        const id = String(n++);
        const got = await stream(pacedPort[via], id);
        const written = await upstream.times(id);
        latencies[via] = got.arrivals.map((t, i) => t - (written[i] ?? Number.NaN));
        if (round < 0) continue;
        ttfc[via].push(got.arrivals[0]! - got.started);
        for (const l of latencies[via]) if (Number.isFinite(l)) chunk[via].push(l);
      }
      if (round < 0) continue;
      const block = Math.floor((round * blocks) / rounds);
      for (const via of VIAS) {
        latencies[via].forEach((l, i) => {
          const d = latencies.direct[i];
          if (d !== undefined && Number.isFinite(l) && Number.isFinite(d)) added[via][block]!.push(l - d);
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
      await proxies.recordBurst.settled();
      await proxies.inlineBurst.settled();
    }
    const result: ProxyBenchResult = {
      ttfc: each((v) => quantiles(ttfc[v])),
      perChunk: each((v) => quantiles(chunk[v])),
      added: each((v) => {
        const blockP99 = added[v].map((b) => quantiles(b).p99);
        return { ...quantiles(added[v].flat()), blockP99: { min: Math.min(...blockP99), median: median(blockP99) } };
      }),
      chunks: chunk.direct.length,
      rounds,
      blocks,
      load: { start: loadStart, end: loadavg()[0]!, cores: cpus().length },
      concurrent: { streams: concurrent, by },
    };
    printProxyBench(result);
    return result;
  } finally {
    const children = Object.values(own).map((c) => c.child);
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
    for (const p of Object.values(proxies)) await p.close();
    upstream.child.disconnect();
    await new Promise((r) => (upstream.child.exitCode !== null ? r(null) : upstream.child.once('exit', r)));
    rmSync(dir, { recursive: true, force: true });
  }
}

function printProxyBench(r: ProxyBenchResult): void {
  const ms = (n: number) => fmt(n, 3);
  const ways = VIAS.filter((v) => v !== 'direct');
  printTable(
    `proxy overhead, ms: ${r.rounds} paced streams each way (400 tokens/s, ${r.chunks} chunks each way), the upstream in its own process; load average ${r.load.start.toFixed(1)} at the start, ${r.load.end.toFixed(1)} at the end, on ${r.load.cores} cores`,
    ['latency (ms)', ...VIAS],
    [
      ['time to first chunk p50', ...VIAS.map((v) => ms(r.ttfc[v].p50))],
      ['time to first chunk p99', ...VIAS.map((v) => ms(r.ttfc[v].p99))],
      ['per chunk (upstream write to client read) p50', ...VIAS.map((v) => ms(r.perChunk[v].p50))],
      ['per chunk (upstream write to client read) p99', ...VIAS.map((v) => ms(r.perChunk[v].p99))],
    ],
  );
  printTable(
    `added per chunk, ms: each chunk through the proxy minus the same chunk direct in the same round; p99 also per block of ${r.rounds / r.blocks} rounds (${r.blocks} blocks), the least block the least inflated by other load`,
    ['added (ms)', ...ways],
    [
      ['added per chunk p50', ...ways.map((v) => ms(r.added[v].p50))],
      ['added per chunk p99', ...ways.map((v) => ms(r.added[v].p99))],
      ['added per chunk p99, median of blocks', ...ways.map((v) => ms(r.added[v].blockP99.median))],
      ['added per chunk p99, least block', ...ways.map((v) => ms(r.added[v].blockP99.min))],
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
