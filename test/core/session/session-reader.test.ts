import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSessionText, readSessionFile } from '../../../src/core/session/session-reader.js';

const chat = (title: string): Record<string, unknown> => ({
  title,
  messages: [
    { role: 'user', content: 'hi' },
    { role: 'assistant', content: 'hello' },
  ],
});
const rollout = { response: { output: [{ type: 'message', role: 'assistant', content: 'ok' }] } };

describe('parseSessionText', () => {
  it('reports a file that is no session at all as one clear problem instead of throwing', () => {
    const { sessions, problems } = parseSessionText('# Notes\nnothing to see\n', 'notes.md');
    assert.deepEqual(sessions, []);
    assert.equal(problems.length, 1);
    assert.match(problems[0]?.message ?? '', /neither a Foresight session, an OpenAI Responses rollout nor a Chat Completions transcript/);
  });

  it('reports JSON of an unknown shape, and an empty file', () => {
    assert.match(parseSessionText('{"hello":1}\n', 'x.jsonl').problems[0]?.message ?? '', /neither a Foresight session/);
    assert.match(parseSessionText('  \n', 'x.jsonl').problems[0]?.message ?? '', /empty/);
  });

  it('reads a pretty-printed transcript object, a list of them, and JSON Lines of them', () => {
    const one = parseSessionText(JSON.stringify(chat('one'), null, 2), 'one.json');
    assert.deepEqual(one.problems, []);
    assert.deepEqual(one.sessions.map((s) => s.header.title), ['one']);
    const list = parseSessionText(JSON.stringify([chat('a'), chat('b')], null, 2), 'list.json');
    assert.deepEqual(list.sessions.map((s) => s.header.title), ['a', 'b']);
    const lines = parseSessionText(`${JSON.stringify(chat('c'))}\n${JSON.stringify(chat('d'))}\n`, 'lines.jsonl');
    assert.deepEqual(lines.sessions.map((s) => [s.header.title, s.header.source?.line]), [['c', 1], ['d', 2]]);
  });

  it('reads rollout JSON Lines, reporting a bad line by number and importing the others', () => {
    const text = [JSON.stringify(rollout), '{"response": ', JSON.stringify({ response: {} }), JSON.stringify(rollout)].join('\n');
    const { sessions, problems } = parseSessionText(text, 'r.jsonl');
    assert.deepEqual(sessions.map((s) => s.header.source?.line), [1, 4]);
    assert.deepEqual(problems.map((p) => p.line), [2, 3]);
    assert.match(problems[1]?.message ?? '', /could not be imported: .*response\.output/);
  });

  it('reads a session whose only line is its header as a session without turns', () => {
    const header = {
      kind: 'header',
      format: 'foresight-session',
      version: 1,
      id: 'h',
      createdAt: '2025-01-01T00:00:00.000Z',
      model: 'm',
      endpoint: '',
      tools: [],
      versions: { foresight: '0.1.0' },
    };
    const { sessions, problems } = parseSessionText(JSON.stringify(header), 'h.jsonl');
    assert.deepEqual(problems, []);
    assert.deepEqual(sessions, [{ header, turns: [] }]);
  });
});

describe('readSessionFile', () => {
  it('reports a file it cannot read as a problem', async () => {
    const { sessions, problems } = await readSessionFile('/nonexistent/foresight/session.jsonl');
    assert.deepEqual(sessions, []);
    assert.match(problems[0]?.message ?? '', /Could not read the file/);
  });
});
