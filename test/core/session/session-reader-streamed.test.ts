import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseSessionText, readSessionFileInChunks } from '../../../src/core/session/session-reader.js';

const header = {
  kind: 'header',
  format: 'foresight-session',
  version: 1,
  id: 'tickets-1',
  createdAt: '2026-02-01T00:00:00.000Z',
  model: 'test-reasoner',
  endpoint: '',
  tools: [{ type: 'function', function: { name: 'open_ticket', parameters: { type: 'object', properties: { title: { type: 'string' } } } } }],
  versions: { foresight: 'test' },
};
const request = { kind: 'request', t: 0, turn: 0, messages: [{ role: 'user', content: 'Open a ticket for the broken café printer 🖨️' }] };
const reasoning = (text: string, t = 1) => ({ kind: 'chunk', t, turn: 0, chunk: { choices: [{ index: 0, delta: { reasoning_content: text } }] } });
const call = {
  kind: 'chunk',
  t: 9,
  turn: 0,
  chunk: { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 't1', function: { name: 'open_ticket', arguments: '{"title":"Printer"}' } }] }, finish_reason: 'tool_calls' }] },
};
const chat = (title: string) => ({ title, messages: [{ role: 'user', content: 'Is ticket 4 closed?' }, { role: 'assistant', content: 'Yes — closed on Monday.' }] });
const j = (v: unknown) => JSON.stringify(v);
const records = [header, request, reasoning('I will open a ticket titled "Printer" — the café one.'), reasoning('Then wait.', 2), call].map(j);

/** Texts of every shape the reader knows, well-formed or not. */
const texts: [string, string][] = [
  ['a recorded session', `${records.join('\n')}\n`],
  ['a session with CRLF endings, blank lines and a BOM', `\uFEFF\r\n${records.join('\r\n\r\n')}\r\n`],
  ['a session with a broken line in the middle', `${[...records.slice(0, 2), '{"kind": "chunk", "t": ', ...records.slice(2)].join('\n')}\n`],
  ['a session with CRLF endings and a broken line', `${[...records.slice(0, 2), '{"kind": oops', ...records.slice(2)].join('\r\n')}\r\n`],
  ['a session cut off mid-line', `${records.join('\n')}\n{"kind":"chunk","t":12,"tu`],
  ['a session whose last line is broken but ended', `${records.join('\n')}\n{"kind":"chunk","t":12,"tu\n  \n`],
  ['a session whose last line is whole but unended', records.join('\n')],
  ['a header alone without a newline', j(header)],
  ['a broken first line before a session', `{oops\n${records.join('\n')}\n`],
  ['records without a header', `${records.slice(1).join('\n')}\n`],
  ['JSON of an unknown shape first', `{"hello": 1}\n${records.join('\n')}\n`],
  ['transcripts as JSON Lines', `${j(chat('a'))}\n\n${j(chat('b'))}\n`],
  ['a pretty-printed transcript', JSON.stringify(chat('pretty'), null, 2)],
  ['a pretty-printed list of transcripts', JSON.stringify([chat('x'), chat('y')], null, 2)],
  ['a list of transcripts on one line', `${j([chat('x'), chat('y')])}\n`],
  ['a list on one line followed by more', `${j([chat('x')])}\n${j(chat('y'))}\n`],
  ['an empty file', ''],
  ['a file of blank lines', ' \n\t\n\r\n'],
  ['a file with no JSON at all', '# Tickets\nnothing here\n'],
  ['a BOM alone', '\uFEFF'],
];

const dir = mkdtempSync(join(tmpdir(), 'foresight-streamed-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('reading a session file as it streams in', () => {
  for (const [what, text] of texts) {
    it(`reads ${what} exactly as the whole text reads, however the bytes are cut`, async () => {
      const file = join(dir, 'f.jsonl');
      writeFileSync(file, text);
      const want = parseSessionText(text, file);
      for (const chunkBytes of [1, 2, 3, 5, 16, 97, 1 << 20]) {
        assert.deepEqual(await readSessionFileInChunks(file, {}, chunkBytes), want, `${chunkBytes}-byte reads`);
      }
    });
  }

  it('still finds the sessions, so the comparison above compares something', () => {
    assert.equal(parseSessionText(texts[0]![1], 'f.jsonl').sessions[0]?.turns[0]?.chunks.length, 3);
    assert.equal(parseSessionText(texts[3]![1], 'f.jsonl').problems.length, 1);
  });
});
