import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { evaluate } from '../../../src/core/eval/evaluate.js';
import { LocalEndpoint } from '../../../src/core/endpoint/local-endpoint.js';
import { loadSessions } from '../../../src/core/session/load-sessions.js';
import { parseSessionText, readSessionFile } from '../../../src/core/session/session-reader.js';

const header = {
  kind: 'header',
  format: 'foresight-session',
  version: 1,
  id: 'orders-1',
  createdAt: '2026-01-01T00:00:00.000Z',
  model: 'test-reasoner',
  endpoint: '',
  tools: [{ type: 'function', function: { name: 'lookup_order', parameters: { type: 'object' } } }],
  versions: { foresight: 'test' },
};
const request = { kind: 'request', t: 0, turn: 0, messages: [{ role: 'user', content: 'Where is order 17?' }] };
const reasoning = { kind: 'chunk', t: 1, turn: 0, chunk: { choices: [{ index: 0, delta: { reasoning_content: 'I will call lookup_order with id 17.' } }] } };
const call = {
  kind: 'chunk',
  t: 2,
  turn: 0,
  chunk: { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'c1', function: { name: 'lookup_order', arguments: '{"id":17}' } }] }, finish_reason: 'tool_calls' }] },
};
const lines = (...records: unknown[]) => `${records.map((r) => JSON.stringify(r)).join('\n')}\n`;
const withChunk = (chunk: unknown) => ({ ...reasoning, chunk });

const dir = mkdtempSync(join(tmpdir(), 'foresight-reader-'));
const fifos: string[] = [];
after(() => {
  // Releases a reader stuck opening a FIFO (only a broken implementation gets there).
  for (const fifo of fifos) {
    try {
      closeSync(openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK));
    } catch {
      // Already gone.
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('the session reader checks records down to their inner fields', () => {
  const mistyped: [string, unknown, RegExp][] = [
    ['choices that are text', withChunk({ choices: 'oops' }), /chunk\.choices should be a list/],
    ['a choice that is a number', withChunk({ choices: [7] }), /chunk\.choices\[0\] should be an object/],
    ['a delta that is text', withChunk({ choices: [{ delta: 'hi' }] }), /delta should be an object/],
    ['reasoning that is a number', withChunk({ choices: [{ delta: { reasoning_content: 5 } }] }), /delta\.reasoning_content should be text/],
    ['tool_calls that are an object', withChunk({ choices: [{ delta: { tool_calls: { x: 1 } } }] }), /delta\.tool_calls should be a list/],
    ['a tool call that is text', withChunk({ choices: [{ delta: { tool_calls: ['call'] } }] }), /tool_calls\[0\] should be an object/],
    ['a tool call index that is text', withChunk({ choices: [{ delta: { tool_calls: [{ index: 'zero' }] } }] }), /tool_calls\[0\]\.index should be a whole number/],
    ['a tool call name that is a number', withChunk({ choices: [{ delta: { tool_calls: [{ index: 0, function: { name: 7 } }] } }] }), /function\.name should be text/],
    ['tool call arguments that are an object', withChunk({ choices: [{ delta: { tool_calls: [{ index: 0, function: { arguments: {} } }] } }] }), /function\.arguments should be text/],
    ['usage that is text', withChunk({ choices: [], usage: 'lots' }), /chunk\.usage should be an object/],
    ['a request whose tool_calls are text', { ...request, messages: [{ role: 'assistant', content: null, tool_calls: 'x' }] }, /messages\[0\]\.tool_calls should be a list/],
    ['a request whose tool call has no name', { ...request, messages: [{ role: 'assistant', content: null, tool_calls: [{ function: {} }] }] }, /tool_calls\[0\] needs function\.name/],
    ['a speculation event without its event', { kind: 'event', t: 3, turn: 0, event: { type: 'speculation', event: 'fired' } }, /speculation needs event/],
  ];
  for (const [what, record, pattern] of mistyped) {
    it(`skips a line with ${what}, naming the file and the line, and reads the rest`, () => {
      const records = (record as { kind: string }).kind === 'request' ? [header, record] : [header, request, record, call];
      const { sessions, problems } = parseSessionText(lines(...records), 'orders.jsonl');
      assert.equal(problems.length, 1, JSON.stringify(problems));
      assert.equal(problems[0]?.file, 'orders.jsonl');
      assert.ok((problems[0]?.line ?? 0) >= 2);
      assert.match(problems[0]?.message ?? '', pattern);
      assert.match(problems[0]?.message ?? '', /the line was skipped/);
      assert.equal(sessions.length, 1);
    });
  }

  it('leaves out header tools that are not tool declarations, with one warning each, and keeps the session', () => {
    const bad = { ...header, tools: [5, { function: 3 }, header.tools[0], { type: 'function', function: { name: 'x', parameters: 'none' } }] };
    const { sessions, problems } = parseSessionText(lines(bad, request, reasoning, call), 'orders.jsonl');
    assert.deepEqual(problems.map((p) => [p.line, /tools\[(\d)\]/.exec(p.message)?.[1]]), [[1, '0'], [1, '1'], [1, '3']]);
    assert.deepEqual(sessions[0]?.header.tools.map((t) => t.function.name), ['lookup_order']);
    assert.equal(sessions[0]?.turns[0]?.chunks.length, 2);
  });

  it('masks credentials in the endpoint of a header written elsewhere', () => {
    const { sessions } = parseSessionText(lines({ ...header, endpoint: 'https://me:hunter22@llm.example/v1?api_key=k-123' }, request), 'old.jsonl');
    assert.equal(sessions[0]?.header.endpoint, 'https://***@llm.example/v1?api_key=***');
  });

  it('says once that a file of session records has no header', () => {
    const { sessions, problems } = parseSessionText(lines(request, reasoning, call), 'cut.jsonl');
    assert.deepEqual(sessions, []);
    assert.equal(problems.length, 1);
    assert.match(problems[0]?.message ?? '', /no session header/);
  });

  it('says once that a header is unreadable, and skips its records quietly', () => {
    const { sessions, problems } = parseSessionText(lines({ ...header, tools: 'lookup_order' }, request, reasoning, call), 'bad-header.jsonl');
    assert.deepEqual(sessions, []);
    assert.equal(problems.length, 1, JSON.stringify(problems));
    assert.match(problems[0]?.message ?? '', /tools \(a list\).*up to the next header/);
  });

  it('reports a transcript whose tools or tool_calls are mistyped by file and line', () => {
    const transcript = (extra: Record<string, unknown>, message: Record<string, unknown> = {}) =>
      JSON.stringify({ messages: [{ role: 'user', content: 'Order 17?' }, { role: 'assistant', content: 'Shipped.', ...message }], ...extra });
    const text = [transcript({ tools: 5 }), transcript({}, { tool_calls: 'lookup_order' }), transcript({})].join('\n');
    const { sessions, problems } = parseSessionText(text, 'chats.jsonl');
    assert.equal(sessions.length, 1);
    assert.deepEqual(problems.map((p) => p.line), [1, 2]);
    assert.match(problems[0]?.message ?? '', /`tools` should be a list/);
    assert.match(problems[1]?.message ?? '', /tool_calls of message 2 should be a list/);
  });

  it('reports a rollout whose tools are mistyped', () => {
    const rollout = { responses_create_params: { tools: { name: 'lookup_order' } }, response: { output: [{ type: 'message', role: 'assistant', content: 'ok' }] } };
    const { sessions, problems } = parseSessionText(`${JSON.stringify(rollout)}\n`, 'rollouts.jsonl');
    assert.equal(sessions.length, 0);
    assert.match(problems[0]?.message ?? '', /responses_create_params\.tools` should be a list/);
  });

  it('feeds eval and the replay endpoint only records they can use', async () => {
    const file = join(dir, 'mixed.jsonl');
    writeFileSync(file, lines({ ...header, tools: [5, ...header.tools] }, request, withChunk({ choices: 'oops' }), reasoning, withChunk({ choices: [{ delta: { tool_calls: { x: 1 } } }] }), call));
    const { sessions, problems } = await loadSessions([file]);
    assert.equal(problems.length, 3);
    const report = await evaluate(sessions, { rules: [], readonly: ['lookup_*'], timing: { tokensPerSecond: 1000 }, schemaSniffing: true });
    assert.equal(report.calls, 1);
    const endpoint = await LocalEndpoint.start({ sessions, tokensPerSecond: null });
    try {
      const res = await fetch(`${endpoint.baseUrl}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'test-reasoner', messages: request.messages }) });
      assert.equal(res.status, 200);
      assert.match(await res.text(), /lookup_order/);
    } finally {
      await endpoint.close();
    }
  });
});

describe('loading sessions never opens a FIFO or a device', () => {
  it('skips a FIFO named as a sessions path, and one found in a folder, with a warning each', async () => {
    const folder = join(dir, 'sessions');
    mkdirSync(folder);
    writeFileSync(join(folder, 'a.jsonl'), lines(header, request, reasoning, call));
    const fifo = join(folder, 'b.jsonl');
    execFileSync('mkfifo', [fifo]);
    fifos.push(fifo);
    symlinkSync(fifo, join(folder, 'c.jsonl'));
    const fromFolder = await loadSessions([folder]);
    assert.equal(fromFolder.sessions.length, 1);
    assert.deepEqual(fromFolder.problems.map((p) => [p.file, /a FIFO/.test(p.message)]), [[fifo, true], [join(folder, 'c.jsonl'), true]]);
    const named = await loadSessions([fifo]);
    assert.equal(named.sessions.length, 0);
    assert.match(named.problems[0]?.message ?? '', /Not a regular file but a FIFO; it was skipped without being read/);
  });

  it('skips a device named as a sessions path', async () => {
    const { sessions, problems } = await loadSessions(['/dev/zero']);
    assert.equal(sessions.length, 0);
    assert.match(problems[0]?.message ?? '', /a device/);
  });

  it('refuses a FIFO given straight to readSessionFile without blocking on it', async () => {
    const fifo = join(dir, 'direct.jsonl');
    execFileSync('mkfifo', [fifo]);
    fifos.push(fifo);
    const { sessions, problems } = await readSessionFile(fifo);
    assert.equal(sessions.length, 0);
    assert.match(problems[0]?.message ?? '', /a FIFO/);
  });
});
