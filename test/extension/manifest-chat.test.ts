import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

interface Menu {
  command: string;
  when?: string;
  group?: string;
}
const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
  contributes: {
    configuration: { id: string; title: string; order: number; properties: Record<string, unknown> }[];
    views: Record<string, { id: string; visibility?: string }[]>;
    menus: Record<string, Menu[]>;
    commands: { command: string; title: string }[];
  };
};
const { configuration, views, menus, commands } = manifest.contributes;

describe('the manifest, as the chat and the Sessions view need it', () => {
  it('groups the settings in titled categories, speculation first, in the order they are listed', () => {
    assert.deepEqual(
      configuration.map((c) => c.title),
      ['Speculation', 'Endpoint', 'Tools and MCP servers', 'Rule files', 'SpecReason', 'Sessions and telemetry', 'Demo'],
    );
    assert.deepEqual(configuration.map((c) => c.order), configuration.map((_, i) => i + 1));
    assert.ok(Object.keys(configuration[0]?.properties ?? {}).includes('foresight.speculation.enabled'));
    assert.ok(Object.keys(configuration[1]?.properties ?? {}).includes('foresight.baseUrl'));
    const keys = configuration.flatMap((c) => Object.keys(c.properties));
    assert.equal(new Set(keys).size, keys.length, 'no setting is declared twice');
  });

  it('leaves the room to the chat: the Sessions view starts collapsed', () => {
    const sessions = Object.values(views).flat().find((v) => v.id === 'foresight.sessions');
    assert.equal(sessions?.visibility, 'collapsed');
  });

  it('offers Replay in a session’s context menu, not only as its inline button', () => {
    const replay = (menus['view/item/context'] ?? []).filter((m) => m.command === 'foresight.sessions.open');
    assert.ok(replay.some((m) => m.group === 'inline'));
    assert.ok(replay.some((m) => m.group !== 'inline' && (m.when ?? '').includes('viewItem')));
  });

  it('offers "Use This Rule File in Chat" on a .sniff editor’s title bar and context menu only', () => {
    assert.equal(commands.find((c) => c.command === 'foresight.useRuleFileInChat')?.title, 'Use This Rule File in Chat');
    for (const place of ['editor/title', 'editor/context']) {
      const entry = (menus[place] ?? []).find((m) => m.command === 'foresight.useRuleFileInChat');
      assert.equal(entry?.when, 'resourceLangId == sniff', place);
    }
  });
});
