import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

// commands.ts needs the editor to load; its table is read as text, as the manifest is.
const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { contributes: { commands: { command: string; title: string; category?: string }[] } };
const table = readFileSync('src/extension/commands.ts', 'utf8');

describe('the recording proxy commands', () => {
  it('are contributed with their palette titles and registered in the command table', () => {
    const wanted = new Map([
      ['foresight.startRecordingProxy', 'Start Recording Proxy'],
      ['foresight.stopRecordingProxy', 'Stop Recording Proxy'],
      ['foresight.copyRecordingProxyUrl', 'Copy Recording Proxy URL'],
    ]);
    for (const [id, title] of wanted) {
      const found = manifest.contributes.commands.find((c) => c.command === id);
      assert.equal(found?.title, title, `${id} is contributed`);
      assert.equal(found?.category, 'Foresight');
      assert.ok(table.includes(`'${id}':`), `${id} is registered`);
    }
  });
});
