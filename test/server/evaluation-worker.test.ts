import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { EvaluationWorker } from '../../src/server/worker/evaluation-worker.js';

// A stand-in worker: loops forever on the text "hang", else answers at once.
const SCRIPT = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => {
  if (m.text === 'hang') for (;;) {}
  parentPort.postMessage({ id: m.id, type: 'evaluated', result: { tests: [], redos: {}, undecided: [], uncheckedPatterns: 0, figures: [], sessions: 0, text: m.text } });
});
`;

test('a worker that misses its deadline is stopped, and the next evaluation gets a fresh one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'foresight-worker-'));
  const script = join(dir, 'worker.js');
  writeFileSync(script, SCRIPT);
  // Deadline long enough for a fresh worker to start on a busy machine.
  const worker = new EvaluationWorker(script, 2_000);
  try {
    const hung = await worker.evaluate('hang', []);
    assert.equal(hung.ok, false);
    assert.match(hung.ok ? '' : hung.message, /took longer than/);
    const next = await worker.evaluate('fine', []);
    assert.equal(next.ok, true);
  } finally {
    worker.dispose();
  }
});
