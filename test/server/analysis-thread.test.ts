import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { AnalysisCancelled, AnalysisThread } from '../../src/server/analysis-thread.js';
import { ensureServerBuilt } from './lsp-session.js';

const FORECAST = { type: 'function' as const, function: { name: 'get_forecast', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } };

test('a stale analysis of a large file is stopped, and the next one runs on a fresh thread', async () => {
  ensureServerBuilt();
  const thread = new AnalysisThread(join(process.cwd(), 'out/server.js'));
  try {
    let big = '';
    for (let i = 0; big.length < 2_000_000; i++) big += `tool get_forecast\n  when /number ${i} for (?<city>\\w+)/\n\n`;
    const stale = thread.analyse({ text: big, tools: [FORECAST] }, 'file:///big.sniff');
    assert.equal(thread.cancelIfBusyWith('file:///other.sniff', 1_000_000), false, 'another file is not stopped for');
    assert.equal(thread.cancelIfBusyWith('file:///big.sniff', 1_000_000), true);
    await assert.rejects(stale, AnalysisCancelled);
    const fresh = await thread.analyse({ text: 'tool get_forcast\n  when /for (?<city>\\w+)/\n', tools: [FORECAST] }, 'file:///small.sniff');
    assert.deepEqual(fresh.map((d) => d.code), ['unknown-tool']);
  } finally {
    thread.dispose();
  }
});

test('a small file in flight is left to finish', async () => {
  ensureServerBuilt();
  const thread = new AnalysisThread(join(process.cwd(), 'out/server.js'));
  try {
    const running = thread.analyse({ text: 'tool get_forecast\n  when /for (?<cty>\\w+)/\n', tools: [FORECAST] }, 'file:///a.sniff');
    assert.equal(thread.cancelIfBusyWith('file:///a.sniff', 1_000_000), false);
    assert.ok((await running).some((d) => d.code === 'unknown-parameter'));
  } finally {
    thread.dispose();
  }
});
