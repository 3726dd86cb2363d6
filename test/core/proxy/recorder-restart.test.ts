import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import OpenAI from 'openai';
import type { ChatMessage } from '../../../src/core/chat/types.js';
import { LocalEndpoint } from '../../../src/core/endpoint/local-endpoint.js';
import { evaluate } from '../../../src/core/eval/evaluate.js';
import { workerRecorder } from '../../../src/core/proxy/recorder-link.js';
import { RecordingProxy } from '../../../src/core/proxy/recording-proxy.js';
import { parseRules } from '../../../src/core/rules/rule-parser.js';
import { loadSessions } from '../../../src/core/session/load-sessions.js';
import { ORDER_PROMPT, ORDER_RESULT, ORDER_TOOLS, ORDER_TRANSCRIPT, orderSession } from './order-transcript.js';

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

  it('keeps a conversation that goes on after the restart in its session file, with every turn, and eval reads it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'foresight-proxy-restart-resume-'));
    const rules = parseRules(readFileSync(join(process.cwd(), 'media/rules/default.sniff'), 'utf8')).rules;
    const upstream = await LocalEndpoint.start({ sessions: [orderSession()], tokensPerSecond: null });
    const log: string[] = [];
    let sawFailure: () => void = () => {};
    const failure = new Promise<void>((resolve) => (sawFailure = resolve));
    // Nothing crosses until the proxy is asked to settle: the whole first turn then crosses as
    // one batch, is recorded, and the thread crashes after it (on its first input, once the batch is taken).
    const proxy = await RecordingProxy.start({
      upstream: upstream.baseUrl,
      sessionsDir: dir,
      shadow: { rules },
      recorder: workerRecorder({ crashAfterInputs: 1, restartDelayMs: 5, batchMs: 3_600_000 }),
      log: (line) => {
        log.push(line);
        if (/recording thread failed/.test(line)) sawFailure();
      },
    });
    try {
      const client = new OpenAI({ baseURL: proxy.baseUrl, apiKey: 'sk-none', maxRetries: 0 });
      const first = await client.chat.completions.create({ model: ORDER_TRANSCRIPT.model, messages: ORDER_PROMPT as never, tools: ORDER_TOOLS as never, stream: true });
      const calls: { id: string; name: string; arguments: string }[] = [];
      for await (const chunk of first) {
        for (const d of chunk.choices[0]?.delta.tool_calls ?? []) {
          if (d.id) calls.push({ id: d.id, name: d.function?.name ?? '', arguments: '' });
          const last = calls.at(-1);
          if (last && d.function?.arguments) last.arguments += d.function.arguments;
        }
      }
      await proxy.settled();
      await failure;
      assert.match(log.find((l) => /recording thread failed/.test(l))!, /no answer was being recorded/);
      assert.equal(readdirSync(dir).length, 1);

      const messages: ChatMessage[] = [...ORDER_PROMPT, { role: 'assistant', content: null, tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })) }, ORDER_RESULT];
      const second = await client.chat.completions.create({ model: ORDER_TRANSCRIPT.model, messages: messages as never, tools: ORDER_TOOLS as never, stream: true });
      let answer = '';
      for await (const chunk of second) answer += chunk.choices[0]?.delta.content ?? '';
      assert.match(answer, /Thursday/);
      await proxy.settled();

      const files = readdirSync(dir);
      assert.equal(files.length, 1, `one session file (${log.join('; ')})`);
      const { sessions, problems } = await loadSessions([join(dir, files[0]!)]);
      assert.deepEqual(problems, []);
      assert.equal(sessions.length, 1);
      const session = sessions[0]!;
      assert.deepEqual(session.turns.map((t) => t.index), [0, 1]);
      assert.equal(session.turns[0]!.toolResults[0]?.output, ORDER_RESULT.content);
      assert.match(readFileSync(join(dir, files[0]!), 'utf8'), /"shadowCall"/);
      const report = await evaluate(sessions, { rules, readonly: ['lookup_order'] });
      assert.equal(report.calls, 1);
      assert.equal(report.perCall[0]!.exact, true);
    } finally {
      await proxy.close();
      await upstream.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
