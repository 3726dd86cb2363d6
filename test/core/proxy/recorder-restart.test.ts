import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import OpenAI from 'openai';
import { workerRecorder } from '../../../src/core/proxy/recorder-link.js';
import { RecordingProxy } from '../../../src/core/proxy/recording-proxy.js';

const sse = (delta: object, finish: string | null) => `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

async function content(client: OpenAI, question: string): Promise<string> {
  const stream = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: question }], stream: true });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  return text;
}

describe('a recording thread that crashes', () => {
  it('costs only the recording: the stream goes on whole, one line is logged, the turn is marked incomplete and a new thread records the next request', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'foresight-proxy-restart-'));
    const log: string[] = [];
    let sawFailure: () => void = () => {};
    const failure = new Promise<void>((resolve) => (sawFailure = resolve));
    // An upstream that holds the rest of its answer until the proxy has seen its recorder fail,
    // so the crash is sure to happen mid-stream.
    const upstream = createServer((req, res) => {
      req.resume();
      req.once('end', () => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(sse({ role: 'assistant', content: 'The ticket ' }, null));
        void failure.then(() => {
          res.write(sse({ content: 'is closed.' }, 'stop'));
          res.end('data: [DONE]\n\n');
        });
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    // The first thread crashes on its third input: the first bytes of the first answer.
    const proxy = await RecordingProxy.start({
      upstream: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`,
      sessionsDir: dir,
      recorder: workerRecorder({ crashAfterInputs: 3, restartDelayMs: 5 }),
      log: (line) => {
        log.push(line);
        if (/recording thread failed/.test(line)) sawFailure();
      },
    });
    try {
      // The thread is up (it answered) before the first request.
      await proxy.settled();
      const client = new OpenAI({ baseURL: proxy.baseUrl, apiKey: 'sk-none', maxRetries: 0 });
      assert.equal(await content(client, 'Is ticket T-12 closed?'), 'The ticket is closed.');
      await proxy.settled();
      const failures = log.filter((l) => /recording thread failed/.test(l));
      assert.equal(failures.length, 1);
      assert.match(failures[0]!, /injected fault/);
      assert.match(failures[0]!, /forwarding goes on; 1 answer\(s\) being recorded marked incomplete; starting a new recording thread in 5 ms/);
      const [first] = readdirSync(dir);
      const lines = readFileSync(join(dir, first!), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; turn?: number; event?: { type: string; message: string } });
      const last = lines.at(-1)!;
      assert.equal(last.kind, 'event');
      assert.equal(last.turn, 0);
      assert.equal(last.event?.type, 'error');
      assert.match(last.event?.message ?? '', /recording of this turn is incomplete/);
      assert.equal(lines.filter((l) => l.event?.type === 'turnEnd').length, 0);

      assert.equal(await content(client, 'Is ticket T-13 closed?'), 'The ticket is closed.');
      await proxy.settled();
      const files = readdirSync(dir);
      assert.equal(files.length, 2);
      const second = files.find((f) => f !== first)!;
      assert.match(readFileSync(join(dir, second), 'utf8'), /"turnEnd"/);
    } finally {
      await proxy.close();
      await new Promise<void>((resolve) => upstream.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
