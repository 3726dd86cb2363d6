import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { workerRecorder } from '../../../src/core/proxy/recorder-link.js';
import type { RecorderOutput } from '../../../src/core/proxy/recorder-messages.js';

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

describe('workerRecorder', () => {
  it('records in its worker thread and flushes everything sent when closed, without being asked to settle', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'foresight-recorder-'));
    const out: RecorderOutput[] = [];
    const link = workerRecorder()({ sessionsDir: dir, upstream: 'http://127.0.0.1:9/v1' }, (o) => out.push(o));
    try {
      const request = { model: 'm', messages: [{ role: 'user', content: 'Is ticket T-7 still open?' }] };
      link.send({ type: 'request', id: 1, body: bytes(JSON.stringify(request)), at: 10 });
      link.send({ type: 'begin', id: 1, status: 200, contentType: 'text/event-stream', at: 12 });
      const chunk = (delta: object, finish: string | null) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
      // Split inside an event: the worker decodes across chunk boundaries.
      const sse = chunk({ role: 'assistant', content: 'It is ' }, null) + chunk({ content: 'still open.' }, 'stop') + 'data: [DONE]\n\n';
      link.send({ type: 'bytes', id: 1, bytes: bytes(sse.slice(0, 40)), at: 13 });
      link.send({ type: 'bytes', id: 1, bytes: bytes(sse.slice(40)), at: 14 });
      link.send({ type: 'end', id: 1, at: 15 });
      await link.close();
      const files = readdirSync(dir);
      assert.equal(files.length, 1);
      const text = readFileSync(join(dir, files[0]!), 'utf8');
      assert.match(text, /still open\./);
      assert.match(text, /"turnEnd"/);
      assert.deepEqual(
        out.filter((o) => o.type === 'session').map((o) => (o.type === 'session' ? o.change : '')),
        ['opened', 'turn', 'closed'],
      );
      // Ended: a late input is dropped, not an error.
      link.send({ type: 'end', id: 1, at: 16 });
      await link.settled();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('logs a worker that cannot start and keeps taking input without throwing', async () => {
    const out: RecorderOutput[] = [];
    const link = workerRecorder({ scriptPath: join(tmpdir(), 'no-such-recorder-worker.js'), maxRestarts: 0 })({ sessionsDir: tmpdir(), upstream: 'http://127.0.0.1:9/v1' }, (o) => out.push(o));
    link.send({ type: 'request', id: 1, body: bytes('{}'), at: 0 });
    await link.settled();
    await link.close();
    link.send({ type: 'end', id: 1, at: 1 });
    assert.ok(out.some((o) => o.type === 'log' && /recording thread failed/.test(o.line)));
  });
});
