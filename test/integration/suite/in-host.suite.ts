// Runs inside the extension host (loaded by the runner extension after mocha's pre-require),
// against the installed Foresight, through the `vscode` API only.
/// <reference types="mocha" />
// describe, it, before and after are the globals mocha's pre-require defines.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const ID = 'foresight-dev.foresight';

async function until<T>(fn: () => T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Foresight in the extension host', () => {
  let extension: vscode.Extension<unknown>;
  before(async () => {
    const found = vscode.extensions.getExtension(ID);
    assert.ok(found, `${ID} is not installed`);
    extension = found;
    await extension.activate();
  });

  it('activates and registers every command its manifest contributes', async () => {
    const declared = (extension.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands.map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(declared.filter((c) => !registered.has(c)), []);
  });

  it('opens the trace panel as a webview tab beside the editor, once however often it is asked', async () => {
    await vscode.commands.executeCommand('foresight.openTrace');
    await vscode.commands.executeCommand('foresight.openTrace');
    const tabs = await until(() => {
      const found = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('foresight.trace'));
      return found.length > 0 ? found : undefined;
    }, 'the trace panel tab');
    assert.equal(tabs.length, 1);
    assert.equal(tabs[0]?.label, 'Foresight Trace');
  });

  it('shows its views: the chat and the sessions', async () => {
    await vscode.commands.executeCommand('foresight.chat.focus');
    await vscode.commands.executeCommand('foresight.sessions.focus');
    await vscode.commands.executeCommand('foresight.sessions.refresh');
  });

  describe('settings', () => {
    const config = () => vscode.workspace.getConfiguration('foresight');
    after(() => config().update('speculation.minConfidence', undefined, vscode.ConfigurationTarget.Global));

    it('default as the manifest declares', () => {
      assert.equal(config().get('speculation.enabled'), true);
      assert.equal(config().get('speculation.minConfidence'), 0.3);
      assert.equal(config().get('baseUrl'), '');
    });

    it('take a change the user makes, and a new chat still starts afterwards', async () => {
      await config().update('speculation.minConfidence', 0.55, vscode.ConfigurationTarget.Global);
      assert.equal(config().get('speculation.minConfidence'), 0.55);
      await vscode.commands.executeCommand('foresight.newChat');
    });
  });

  it('clears the API key from SecretStorage without asking anything', async () => {
    await vscode.commands.executeCommand('foresight.clearApiKey');
  });
});
