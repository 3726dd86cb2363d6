import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { EvaluationWorker, type DeadlineTimers } from '../../src/server/worker/evaluation-worker.js';

// A stand-in worker: says it has the request, then loops forever on the text "hang", else answers at once.
const SCRIPT = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => {
  if (m.text === 'hang') for (;;) {}
  parentPort.postMessage({ id: m.id, type: 'evaluated', result: { tests: [], redos: {}, undecided: [], uncheckedPatterns: 0, figures: [], sessions: 0, text: m.text } });
});
`;

/** Deadlines that expire only when the test says so: a slow machine cannot make one pass early or late. */
class ManualTimers implements DeadlineTimers {
  readonly pending = new Map<number, () => void>();
  private next = 1;
  set(expire: () => void): unknown {
    const id = this.next++;
    this.pending.set(id, expire);
    return id;
  }
  clear(timer: unknown): void {
    this.pending.delete(timer as number);
  }
  expireAll(): void {
    const due = [...this.pending.values()];
    this.pending.clear();
    for (const expire of due) expire();
  }
}

test('a worker that misses its deadline is stopped, and the next evaluation gets a fresh one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'foresight-worker-'));
  const script = join(dir, 'worker.js');
  writeFileSync(script, SCRIPT);
  const timers = new ManualTimers();
  const worker = new EvaluationWorker(script, 300, timers);
  try {
    const hanging = worker.evaluate('hang', []);
    assert.equal(timers.pending.size, 1);
    timers.expireAll();
    const hung = await hanging;
    assert.equal(hung.ok, false);
    assert.match(hung.ok ? '' : hung.message, /took longer than/);
    // The old worker still spins; only a fresh one can answer this, however long it takes to start.
    const next = await worker.evaluate('fine', []);
    assert.equal(next.ok, true);
    assert.equal(timers.pending.size, 0, 'the answered request left its deadline behind');
  } finally {
    worker.dispose();
  }
});
