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

/** Like `until`, for a probe that must await (a provider command). */
async function untilAsync<T>(fn: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
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

  describe('the .sniff rule editor, through the language server it starts', function () {
    // The first rule file starts the server, which then loads the demo sessions: allow for a slow host.
    this.timeout(120_000);
    // Line 1 names a group "cty" that get_forecast (offered by the demo sessions) has no parameter for.
    const RULES = ['tool get_forecast', '  when /call get_forecast with city "(?<cty>[^"]+)"/', '', 'tool get_forecast', '  when /call get_forecast with city "(?<city>[^"]+)" and days (?<days>\\d+)/', ''].join('\n');
    let doc: vscode.TextDocument;
    before(async () => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      if (folder) {
        const uri = vscode.Uri.joinPath(folder.uri, 'in-host.sniff');
        await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(RULES));
        doc = await vscode.workspace.openTextDocument(uri);
      } else {
        doc = await vscode.workspace.openTextDocument({ language: 'sniff', content: RULES });
      }
      await vscode.window.showTextDocument(doc);
    });
    const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? d.code.value : d.code);

    it('opens a .sniff file as Foresight Rules and marks the unknown capture group at its exact columns', async () => {
      assert.equal(doc.languageId, 'sniff');
      const unknown = await until(() => vscode.languages.getDiagnostics(doc.uri).find((d) => codeOf(d) === 'unknown-parameter'), 'an unknown-parameter diagnostic', 90_000);
      assert.deepEqual([unknown.range.start.line, unknown.range.start.character, unknown.range.end.line, unknown.range.end.character], [1, 40, 1, 43]);
      assert.match(unknown.message, /"cty" is not a parameter of get_forecast/);
    });

    it("shows on hover the description of the demo sessions' get_forecast", async () => {
      const text = await untilAsync(async () => {
        const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(0, 7));
        const all = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
        return /Daily weather forecast/.test(all) ? all : undefined;
      }, 'a hover with the tool description', 90_000);
      assert.match(text, /"required": \[\s*"city"\s*\]/);
    });

    it('offers after "tool " the tools of the demo sessions and the built-in file tools', async () => {
      const labels = await untilAsync(async () => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(0, 5));
        const names = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
        return names.includes('get_forecast') ? names : undefined;
      }, 'get_forecast among the completions', 90_000);
      assert.ok(labels.includes('read_file') && labels.includes('role:file-reader'), `got ${labels.join(', ')}`);
    });

    it("puts the second rule's figures on the demo sessions in a code lens, with a Test rule command", async () => {
      const titles = await untilAsync(async () => {
        const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
        const onSecond = lenses.filter((l) => l.range.start.line === 3).map((l) => l.command?.title ?? '');
        return onSecond.some((t) => /hits? ·/.test(t)) ? onSecond : undefined;
      }, 'a code lens with figures', 90_000);
      assert.ok(titles.some((t) => /^1 hit · 0 misfires · lead \d+ chars on 5 sessions$/.test(t)), `got ${titles.join(' | ')}`);
      assert.ok(titles.includes('Test rule'), `got ${titles.join(' | ')}`);
    });
  });
});
