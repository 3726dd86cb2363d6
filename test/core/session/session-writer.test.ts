import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ChatMessage } from '../../../src/core/chat/types.js';
import type { SessionEvent } from '../../../src/core/session/format.js';
import type { RawChunk } from '../../../src/core/stream/raw-chunk.js';
import { readSessionFile } from '../../../src/core/session/session-reader.js';
import { SessionWriter, sanitizeEndpointUrl } from '../../../src/core/session/session-writer.js';
import type { SessionWriterOptions } from '../../../src/core/session/session-writer.js';

const dir = mkdtempSync(join(tmpdir(), 'foresight-session-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;

/** A writer on a fresh file whose clock is advanced by hand. */
function newWriter(overrides: Partial<SessionWriterOptions> = {}): { writer: SessionWriter; clock: { ms: number } } {
  const clock = { ms: 1000 };
  const writer = new SessionWriter({
    path: join(dir, `nested/s${fileCount++}.jsonl`),
    id: 'test-session',
    model: 'deepseek-ai/deepseek-r1',
    endpoint: 'https://integrate.api.nvidia.com/v1',
    tools: [{ type: 'function', function: { name: 'read_file', parameters: { type: 'object' } } }],
    foresightVersion: '0.1.0',
    now: () => clock.ms,
    ...overrides,
  });
  return { writer, clock };
}

const delta = (d: Record<string, unknown>, finish: string | null = null): RawChunk => ({
  id: 'c1',
  object: 'chat.completion.chunk',
  choices: [{ index: 0, delta: d, finish_reason: finish }],
});

const user: ChatMessage = { role: 'user', content: 'What is in a.ts?' };
const callMessage: ChatMessage = {
  role: 'assistant',
  content: null,
  tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } }],
};
const result: Extract<SessionEvent, { type: 'toolResult' }> = {
  type: 'toolResult',
  callId: 'call_1',
  name: 'read_file',
  arguments: '{"path":"a.ts"}',
  output: 'export {}',
  isError: false,
  durationMs: 12,
};

/** Writes a two-turn session: a tool call, its result, then an answer. Returns the file. */
function writeTwoTurns(): string {
  const { writer, clock } = newWriter();
  writer.request(0, [user]);
  clock.ms += 50;
  writer.chunk(0, delta({ role: 'assistant' }));
  clock.ms += 20;
  writer.chunk(0, delta({ reasoning_content: 'I should read a.ts' }));
  writer.chunk(0, delta({ tool_calls: [{ index: 0, id: 'call_1', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } }] }));
  writer.chunk(0, delta({}, 'tool_calls'));
  writer.event(0, { type: 'toolStart', callId: 'call_1', name: 'read_file', arguments: '{"path":"a.ts"}' });
  clock.ms += 12;
  writer.event(0, result);
  writer.request(1, [user, callMessage, { role: 'tool', tool_call_id: 'call_1', content: 'export {}' }]);
  clock.ms += 30;
  writer.chunk(1, delta({ content: 'It exports nothing.' }));
  writer.chunk(1, delta({}, 'stop'));
  writer.dispose();
  return writer.path;
}

describe('SessionWriter and readSessionFile', () => {
  it('reads back what was written, grouped into turns with chunk times relative to each request', async () => {
    const path = writeTwoTurns();
    const { sessions, problems } = await readSessionFile(path);
    assert.deepEqual(problems, []);
    assert.equal(sessions.length, 1);
    const [session] = sessions;
    assert.ok(session);
    assert.equal(session.header.id, 'test-session');
    assert.equal(session.header.model, 'deepseek-ai/deepseek-r1');
    assert.equal(session.header.versions.foresight, '0.1.0');
    assert.equal(session.header.versions.node, process.version);
    assert.equal(session.header.timing, 'recorded');
    assert.equal(session.turns.length, 2);
    const [first, second] = session.turns;
    assert.ok(first && second);
    assert.deepEqual(first.request, [user]);
    assert.deepEqual(first.chunks.map((c) => c.t), [50, 70, 70, 70]);
    assert.deepEqual(first.toolResults, [result]);
    assert.equal(second.index, 1);
    assert.equal(second.request.length, 3);
    assert.deepEqual(second.chunks.map((c) => c.t), [30, 30]);
    assert.deepEqual(second.chunks[0]?.chunk, delta({ content: 'It exports nothing.' }));
  });

  it('reports a corrupted middle line by its number and still reads the rest', async () => {
    const path = writeTwoTurns();
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[3] = '{"kind":"chunk","t":70,"turn":0,"chu'; // line 4: the reasoning chunk
    writeFileSync(path, lines.join('\n'));
    const { sessions, problems } = await readSessionFile(path);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.line, 4);
    assert.match(problems[0]?.message ?? '', /Not valid JSON/);
    assert.equal(sessions[0]?.turns.length, 2);
    assert.equal(sessions[0]?.turns[0]?.chunks.length, 3);
    assert.equal(sessions[0]?.turns[1]?.chunks.length, 2);
  });

  it('reports a record of the wrong shape and what it lacks', async () => {
    const path = writeTwoTurns();
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[2] = JSON.stringify({ kind: 'chunk', t: 'soon', turn: 0, chunk: {} });
    lines[6] = JSON.stringify({ kind: 'note', t: 1, turn: 0 });
    writeFileSync(path, lines.join('\n'));
    const { sessions, problems } = await readSessionFile(path);
    assert.deepEqual(
      problems.map((p) => p.line),
      [3, 7],
    );
    assert.match(problems[0]?.message ?? '', /chunk record needs t \(a number\)/);
    assert.match(problems[1]?.message ?? '', /Unknown record kind "note"/);
    assert.equal(sessions[0]?.turns[0]?.chunks.length, 3);
  });

  it('loses only the line being written when the file is cut short by a crash', async () => {
    const path = writeTwoTurns();
    const size = readFileSync(path).length;
    truncateSync(path, size - 10);
    const { sessions, problems } = await readSessionFile(path);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.line, readFileSync(path, 'utf8').split('\n').length);
    assert.match(problems[0]?.message ?? '', /last line is incomplete/);
    assert.equal(sessions[0]?.turns[1]?.chunks.length, 1);
    assert.equal(sessions[0]?.turns[0]?.chunks.length, 4);
  });

  it('reports a chunk for a turn that has no request', async () => {
    const { writer } = newWriter();
    writer.chunk(3, delta({ content: 'x' }));
    writer.dispose();
    const { sessions, problems } = await readSessionFile(writer.path);
    assert.equal(sessions.length, 1);
    assert.equal(problems[0]?.line, 2);
    assert.match(problems[0]?.message ?? '', /turn 3, which has no request/);
  });

  it('ignores records after dispose and tolerates a second dispose', () => {
    const { writer } = newWriter();
    writer.request(0, [user]);
    writer.dispose();
    writer.chunk(0, delta({ content: 'late' }));
    writer.dispose();
    assert.equal(readFileSync(writer.path, 'utf8').trim().split('\n').length, 2);
  });

  it('never writes the API key that was part of the endpoint URL', () => {
    const { writer } = newWriter({ endpoint: 'https://bob:s3cret-pass@llm.example.com/v1?api-key=nvapi-SECRET123&region=eu' });
    writer.dispose();
    const text = readFileSync(writer.path, 'utf8');
    assert.doesNotMatch(text, /nvapi-SECRET123|s3cret-pass|bob/);
    assert.equal(writer.header.endpoint, 'https://***@llm.example.com/v1?api-key=***&region=eu');
  });

  it('removes the endpoint URL\'s credentials from a recorded error, however the error quotes them', () => {
    const { writer } = newWriter({ endpoint: 'https://bob:s3cret-pass@llm.example.com/v1?api-key=nvapi-SECRET123' });
    writer.event(0, { type: 'error', message: 'fetch refused https://bob:s3cret-pass@llm.example.com/v1/chat/completions (key nvapi-SECRET123)' });
    writer.dispose();
    const text = readFileSync(writer.path, 'utf8');
    assert.doesNotMatch(text, /nvapi-SECRET123|s3cret-pass/);
    assert.match(text, /fetch refused https:\/\/\*\*\*@llm\.example\.com\/v1\/chat\/completions/);
  });
});

describe('sanitizeEndpointUrl', () => {
  it('masks user name, password and every credential-like query parameter', () => {
    assert.equal(
      sanitizeEndpointUrl('https://u:p@host.example/v1?key=1&token=2&apikey=3&API_KEY=4&Authorization=5&access_token=6&x=7#frag'),
      'https://***@host.example/v1?key=***&token=***&apikey=***&API_KEY=***&Authorization=***&access_token=***&x=7#frag',
    );
  });

  it('leaves a clean URL unchanged', () => {
    assert.equal(sanitizeEndpointUrl('http://127.0.0.1:8123/v1'), 'http://127.0.0.1:8123/v1');
  });

  it('masks the user part and credential parameters of text that is not a URL', () => {
    assert.equal(sanitizeEndpointUrl('user:pw@host/v1?key=abc'), '***@host/v1?key=***');
  });
});
