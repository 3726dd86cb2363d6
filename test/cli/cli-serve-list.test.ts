import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { formatServableSessions, servableTurns } from '../../src/cli/serve-list.js';
import { importChatTranscript } from '../../src/core/session/import-chat.js';
import { WEATHER_TRANSCRIPT } from '../fixtures/weather-transcript.js';

// A ticket desk conversation: a prompt, a tool round, an answer, then a follow-up prompt.
const TICKETS = {
  model: 'desk-reasoner',
  title: 'ticket desk',
  tools: [{ type: 'function', function: { name: 'find_ticket', parameters: { type: 'object', properties: { id: { type: 'string' } } } } }],
  messages: [
    { role: 'user', content: 'What is the state of ticket T-88?' },
    { role: 'assistant', reasoning_content: 'Look up T-88.', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'find_ticket', arguments: '{"id":"T-88"}' } }] },
    { role: 'tool', tool_call_id: 'c1', content: '{"state":"open"}' },
    { role: 'assistant', reasoning_content: 'It is open.', content: 'T-88 is open.' },
    { role: 'user', content: '  Who is it assigned to?  ' },
    { role: 'assistant', reasoning_content: 'Not in the result.', content: 'The ticket does not say.' },
  ],
};

const dir = mkdtempSync(join(tmpdir(), 'foresight-serve-list-'));
const weatherFile = join(dir, 'weather.json');
writeFileSync(weatherFile, JSON.stringify(WEATHER_TRANSCRIPT));
after(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', ...args], { encoding: 'utf8', timeout: 60_000 });
}

describe('foresight serve --list', () => {
  it('names each turn\'s prompt, the follow-up after an answer, and the turns that follow tool results', () => {
    const listed = servableTurns(importChatTranscript(structuredClone(TICKETS), { file: '/tmp/desk/tickets.json' }));
    assert.equal(listed.where, 'tickets.json');
    assert.deepEqual(listed.turns, [
      { index: 0, kind: 'prompt', prompt: 'What is the state of ticket T-88?', system: false, follows: undefined },
      { index: 1, kind: 'afterTools', after: 0 },
      { index: 2, kind: 'prompt', prompt: 'Who is it assigned to?', system: false, follows: 1 },
    ]);
    const text = formatServableSessions([listed]);
    assert.match(text, /turn 2: prompt "Who is it assigned to\?" \(after turn 1's answer\)/);
  });

  it('prints the prompts of the given files, says a system message is part of the request, and exits without listening', () => {
    const run = cli(['--list', weatherFile]);
    assert.equal(run.status, 0, run.stderr);
    assert.doesNotMatch(run.stdout, /listening/);
    assert.match(run.stdout, /^weather\.json "weather test" \(model test-reasoner\)$/m);
    assert.match(run.stdout, /turn 0: prompt "Compare tomorrow in Lisbon and Oslo\." \(with its recorded system message\)/);
    assert.match(run.stdout, /turn 1: answered after the tool results of turn 0/);
  });

  it('with no files, lists the shipped demo sessions the embedded endpoint serves, marked as hand-written', () => {
    const run = cli(['--list']);
    assert.equal(run.status, 0, run.stderr);
    const headings = run.stdout.split('\n').filter((l) => l.length > 0 && !l.startsWith(' '));
    assert.ok(headings.length >= 1);
    for (const h of headings) assert.match(h, /a hand-written demo\)$/);
    assert.match(run.stdout, /turn 0: prompt "/);
  });

  it('fails with a usage error when nothing could be read', () => {
    const run = cli(['--list', join(dir, 'missing.json')]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /no sessions could be read/);
  });
});
