import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { USER_ONLY_SETTINGS } from '../../src/core/chat-session/settings.js';

interface Manifest {
  capabilities?: { untrustedWorkspaces?: { supported: unknown; description?: string; restrictedConfigurations?: string[] } };
  contributes: { commands: { command: string; title: string }[] };
}

const manifest = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as Manifest;

describe('the manifest in Restricted Mode', () => {
  it('runs limited in an untrusted workspace and says what is left out', () => {
    const untrusted = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(untrusted?.supported, 'limited');
    assert.match(untrusted?.description ?? '', /no tools/);
  });

  it('keeps every user-only setting and the rule files out of a workspace VS Code does not trust', () => {
    const restricted = new Set(manifest.capabilities?.untrustedWorkspaces?.restrictedConfigurations ?? []);
    for (const key of [...USER_ONLY_SETTINGS, 'speculation.ruleFiles']) assert.ok(restricted.has(`foresight.${key}`), key);
  });

  it('contributes the trust and untrust commands for MCP servers', () => {
    const titles = new Map(manifest.contributes.commands.map((c) => [c.command, c.title]));
    assert.equal(titles.get('foresight.mcp.trustServer'), 'Trust MCP Server…');
    assert.equal(titles.get('foresight.mcp.untrustServer'), 'Untrust MCP Server…');
  });
});
