// The proxy benchmark's upstream, in a process of its own (run with tsx): two local endpoints,
// one paced like a model (400 tokens/s) and one as fast as it can, serving a long hand-written
// answer. The benchmark's client reaches it directly and through the proxies alike, so every
// way crosses at least one process boundary, as an agent and its endpoint do. It reports when
// it wrote each SSE event of a request (asked by the request's bench id) on CLOCK_MONOTONIC
// (`process.hrtime`), the one clock every process of the machine shares.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { LocalEndpoint } from '../../src/core/endpoint/local-endpoint.js';
import { importChatTranscript } from '../../src/core/session/import-chat.js';

export const BENCH_MODEL = 'bench-reasoner';
export const BENCH_HEADER = 'x-bench-id';

/** What the upstream process tells the benchmark. */
export type UpstreamReport = { type: 'ready'; paced: number; burst: number } | { type: 'times'; id: string; times: number[] };

/** Milliseconds on CLOCK_MONOTONIC: comparable between processes of one machine. */
export const monotonicMs = () => Number(process.hrtime.bigint()) / 1e6;

function benchSession(words: number) {
  const vocabulary = ['the', 'parcel', 'left', 'the', 'depot', 'on', 'monday', 'and', 'should', 'reach', 'the', 'customer', 'soon', 'so', 'I', 'check', 'its', 'route'];
  const reasoning = Array.from({ length: words }, (_, i) => vocabulary[i % vocabulary.length]).join(' ');
  return importChatTranscript(
    {
      model: BENCH_MODEL,
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

/** Times every write of the endpoint's server as it is made, by the request's bench id. */
function timeWrites(endpoint: LocalEndpoint, byId: Map<string, number[]>): void {
  const server = (endpoint as unknown as { server: Server }).server;
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const id = req.headers[BENCH_HEADER];
    if (typeof id !== 'string') return;
    const times: number[] = [];
    byId.set(id, times);
    const stamp = (chunk: unknown) => {
      if (typeof chunk !== 'string' && !Buffer.isBuffer(chunk)) return;
      const t = monotonicMs();
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

async function main(): Promise<void> {
  const concurrent = Number(process.argv[2] ?? 50);
  const paced = await LocalEndpoint.start({ sessions: [benchSession(150)], tokensPerSecond: 400, maxConcurrentRequests: 4 * concurrent });
  const burst = await LocalEndpoint.start({ sessions: [benchSession(4000)], tokensPerSecond: 1e9, maxConcurrentRequests: 4 * concurrent });
  const byId = new Map<string, number[]>();
  timeWrites(paced, byId);
  const send = (m: UpstreamReport) => process.send!(m);
  process.on('message', (m: { type: 'times'; id: string }) => {
    send({ type: 'times', id: m.id, times: byId.get(m.id) ?? [] });
    byId.delete(m.id);
  });
  process.once('disconnect', () => {
    void Promise.all([paced.close(), burst.close()]).then(() => process.exit(0));
  });
  send({ type: 'ready', paced: paced.port, burst: burst.port });
}

// Only when started as the upstream: the benchmark itself imports this file's names.
if (process.env.FORESIGHT_PROXY_BENCH_UPSTREAM === '1') void main();
