import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ChatMessage } from '../../../src/core/chat/types.js';
import { evaluate } from '../../../src/core/eval/evaluate.js';
import { ProxyRecorder } from '../../../src/core/proxy/proxy-recorder.js';
import type { RecorderOutput, RecorderSetup } from '../../../src/core/proxy/recorder-messages.js';
import { parseRules } from '../../../src/core/rules/rule-parser.js';
import { loadSessions } from '../../../src/core/session/load-sessions.js';
import { ORDER_PROMPT, ORDER_RESULT, ORDER_TRANSCRIPT, orderSession } from './order-transcript.js';

const rules = parseRules(readFileSync(join(process.cwd(), 'media/rules/default.sniff'), 'utf8')).rules;
const served = orderSession();
const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

/** Feeds request `id` with `messages` and the recorded answer of the order transcript's turn `turn`, as SSE, at times from `at`. */
function feed(recorder: ProxyRecorder, id: number, messages: ChatMessage[], turn: number, at: number): void {
  recorder.take({ type: 'request', id, body: bytes(JSON.stringify({ model: ORDER_TRANSCRIPT.model, messages, tools: ORDER_TRANSCRIPT.tools, stream: true })), at });
  recorder.take({ type: 'begin', id, status: 200, contentType: 'text/event-stream', at: at + 1 });
  served.turns[turn]!.chunks.forEach(({ chunk }, i) => recorder.take({ type: 'bytes', id, bytes: bytes(`data: ${JSON.stringify(chunk)}\n\n`), at: at + 2 + i }));
  recorder.take({ type: 'end', id, at: at + 100 });
}

const secondRequest: ChatMessage[] = [...(ORDER_TRANSCRIPT.messages.slice(0, 3) as ChatMessage[]), ORDER_RESULT];

describe('a recorder started again after the one before it stopped', () => {
  it('goes on with a conversation that one recorded in the same file: the next turn index, the earlier call\'s result and its shadow outcome', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'foresight-proxy-resume-'));
    try {
      const setup: RecorderSetup = { sessionsDir: dir, upstream: 'http://127.0.0.1:9/v1', shadow: { rules } };
      const turns: Extract<RecorderOutput, { type: 'turn' }>[] = [];
      const first = new ProxyRecorder(setup, (o) => void (o.type === 'turn' && turns.push(o)));
      feed(first, 1, ORDER_PROMPT, 0, 1000);
      await first.settled();
      // The first recorder is never closed: it died with its thread.
      const [file] = readdirSync(dir);
      assert.ok(file);
      const path = join(dir, file);
      assert.equal(turns[0]!.startedAt, 1000);

      const shadows: number[] = [];
      const logs: string[] = [];
      const second = new ProxyRecorder({ ...setup, resume: [{ file: path, startedAt: turns[0]!.startedAt }] }, (o) => {
        if (o.type === 'turn') turns.push(o);
        if (o.type === 'shadow') shadows.push(o.turn.turn);
        if (o.type === 'log') logs.push(o.line);
      });
      feed(second, 1, secondRequest, 1, 1500);
      await second.close();

      assert.deepEqual(readdirSync(dir), [file], 'one session file');
      assert.deepEqual(turns.map((t) => [t.file, t.turn, t.startedAt]), [
        [path, 0, 1000],
        [path, 1, 1000],
      ]);
      assert.deepEqual(shadows, [0, 1]);
      assert.ok(logs.some((l) => /goes on in .* at turn 1/.test(l)), logs.join('\n'));
      const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; t: number; turn?: number; event?: { type: string; durationMs?: number } });
      assert.equal(lines.filter((l) => l.kind === 'header').length, 1, 'the header is written once');
      assert.deepEqual(lines.filter((l) => l.kind === 'request').map((l) => [l.turn, l.t]), [
        [0, 0],
        [1, 500],
      ]);
      const result = lines.find((l) => l.event?.type === 'toolResult')!;
      assert.equal(result.turn, 0);
      // From the end of the first answer (its last chunk, at 1000 + 2 + n - 1) to the next request.
      assert.equal(result.event?.durationMs, 1500 - (1000 + 2 + served.turns[0]!.chunks.length - 1));
      assert.equal(lines.filter((l) => l.event?.type === 'shadowCall').length, 1);

      const { sessions, problems } = await loadSessions([path]);
      assert.deepEqual(problems, []);
      assert.equal(sessions.length, 1);
      assert.equal(sessions[0]!.turns.length, 2);
      assert.equal(sessions[0]!.turns[0]!.toolResults[0]!.output, ORDER_RESULT.content);
      const report = await evaluate(sessions, { rules, readonly: ['lookup_order'] });
      assert.equal(report.calls, 1);
      assert.equal(report.perCall[0]!.exact, true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('begins a new file for a request that continues none of the sessions it was told of', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'foresight-proxy-resume-other-'));
    try {
      const setup: RecorderSetup = { sessionsDir: dir, upstream: 'http://127.0.0.1:9/v1' };
      const first = new ProxyRecorder(setup, () => {});
      feed(first, 1, ORDER_PROMPT, 0, 0);
      await first.settled();
      const [file] = readdirSync(dir);
      const second = new ProxyRecorder({ ...setup, resume: [{ file: join(dir, file!), startedAt: 0 }] }, () => {});
      feed(second, 1, [{ role: 'user', content: 'Where is my order B-7?' }], 0, 10);
      await second.close();
      assert.equal(readdirSync(dir).length, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('goes on from the request of a turn the stopped recorder was in the middle of, as after a failure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'foresight-proxy-resume-cut-'));
    try {
      const setup: RecorderSetup = { sessionsDir: dir, upstream: 'http://127.0.0.1:9/v1' };
      const first = new ProxyRecorder(setup, () => {});
      const id = 1;
      first.take({ type: 'request', id, body: bytes(JSON.stringify({ model: 'm', messages: ORDER_PROMPT, stream: true })), at: 0 });
      first.take({ type: 'begin', id, status: 200, contentType: 'text/event-stream', at: 1 });
      // Recorded as it is taken; the answer never ends, so this recorder never settles.
      first.take({ type: 'bytes', id, bytes: bytes(`data: ${JSON.stringify(served.turns[0]!.chunks[0]!.chunk)}\n\n`), at: 2 });
      const [file] = readdirSync(dir);
      const path = join(dir, file!);
      const second = new ProxyRecorder({ ...setup, resume: [{ file: path, startedAt: 0 }] }, () => {});
      second.take({ type: 'incomplete', file: path, turn: 0, startedAt: 0, at: 5, message: 'The recorder stopped.' });
      feed(second, 2, secondRequest, 1, 10);
      await second.close();
      assert.deepEqual(readdirSync(dir), [file]);
      const { sessions } = await loadSessions([path]);
      assert.deepEqual(sessions[0]!.turns.map((t) => t.index), [0, 1]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
