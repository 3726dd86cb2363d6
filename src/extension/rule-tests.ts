import * as vscode from 'vscode';
import { listRuleTests } from '../core/rules/rule-test-list.js';
import type { TestOutcome } from '../shared/lsp-protocol.js';
import type { Ctx } from './ctx.js';
import type { SniffLanguageClient } from './language-client.js';

const SNIFF_GLOB = '**/*.sniff';
const EXCLUDE_GLOB = '**/node_modules/**';
const MAX_FILES = 2000;
const RELIST_DELAY_MS = 300;

/**
 * The inline tests of `.sniff` files in VS Code's Test Explorer: one item per file, per rule
 * with tests, and per `test` line, found in the workspace and in open files. Running them sends
 * the file's text to the language server, which runs them in its evaluation worker (the logic
 * of `foresight test`, bounded by the worker's deadline), so a catastrophic pattern cannot hang
 * the extension host.
 */
export class RuleTestController implements vscode.Disposable {
  private readonly controller = vscode.tests.createTestController('foresight.ruleTests', 'Foresight rule tests');
  private readonly disposables: vscode.Disposable[] = [];
  private readonly relists = new Map<string, ReturnType<typeof setTimeout>>();
  /** Test lines of each listed file by test id, as of the last listing. */
  private readonly lines = new Map<string, Map<string, number>>();

  constructor(
    private readonly ctx: Ctx,
    private readonly sniff: SniffLanguageClient,
  ) {
    this.controller.resolveHandler = async (item) => {
      if (!item) await this.discoverWorkspace();
    };
    this.controller.refreshHandler = () => this.discoverWorkspace();
    this.controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, (request, token) => this.run(request, token), true);
    const watcher = vscode.workspace.createFileSystemWatcher(SNIFF_GLOB);
    this.disposables.push(
      this.controller,
      watcher,
      watcher.onDidCreate((uri) => void this.listFile(uri)),
      watcher.onDidChange((uri) => {
        if (!this.openDocument(uri)) void this.listFile(uri);
      }),
      watcher.onDidDelete((uri) => this.forget(uri)),
      vscode.workspace.onDidOpenTextDocument((doc) => this.isRuleFile(doc) && this.list(doc.uri, doc.getText())),
      vscode.workspace.onDidChangeTextDocument((e) => this.isRuleFile(e.document) && e.contentChanges.length > 0 && this.relistSoon(e.document)),
    );
    for (const doc of vscode.workspace.textDocuments) if (this.isRuleFile(doc)) this.list(doc.uri, doc.getText());
  }

  private isRuleFile(doc: vscode.TextDocument): boolean {
    return doc.languageId === 'sniff' && doc.uri.scheme !== 'output';
  }

  private openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  }

  private async discoverWorkspace(): Promise<void> {
    const uris = await vscode.workspace.findFiles(SNIFF_GLOB, EXCLUDE_GLOB, MAX_FILES);
    await Promise.all(uris.map((uri) => this.listFile(uri)));
  }

  private async listFile(uri: vscode.Uri): Promise<void> {
    const open = this.openDocument(uri);
    if (open) return this.list(uri, open.getText());
    try {
      this.list(uri, await this.readText(uri));
    } catch (err) {
      this.ctx.log.warn(`rule tests: cannot read ${uri.fsPath}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private async readText(uri: vscode.Uri): Promise<string> {
    const open = this.openDocument(uri);
    if (open) return open.getText();
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    return text.startsWith('\uFEFF') ? text.slice(1) : text;
  }

  private relistSoon(doc: vscode.TextDocument): void {
    const key = doc.uri.toString();
    clearTimeout(this.relists.get(key));
    this.relists.set(
      key,
      setTimeout(() => {
        this.relists.delete(key);
        this.list(doc.uri, doc.getText());
      }, RELIST_DELAY_MS),
    );
  }

  /** Replaces the file's items by those of `text`; a file without tests is not listed. */
  private list(uri: vscode.Uri, text: string): void {
    const rules = listRuleTests(text);
    const key = uri.toString();
    if (rules.length === 0) {
      this.forget(uri);
      return;
    }
    let file = this.controller.items.get(key);
    if (!file) {
      file = this.controller.createTestItem(key, vscode.workspace.asRelativePath(uri, true), uri);
      this.controller.items.add(file);
    }
    const lines = new Map<string, number>();
    file.children.replace(
      rules.map((rule) => {
        const ruleItem = this.controller.createTestItem(`${key}#${rule.ruleId}`, rule.ruleId, uri);
        ruleItem.range = toRange(rule.header);
        ruleItem.children.replace(
          rule.tests.map((test) => {
            const item = this.controller.createTestItem(`${key}#${test.id}`, test.label, uri);
            item.range = toRange(test.range);
            lines.set(item.id, test.line);
            return item;
          }),
        );
        return ruleItem;
      }),
    );
    this.lines.set(key, lines);
  }

  private forget(uri: vscode.Uri): void {
    this.controller.items.delete(uri.toString());
    this.lines.delete(uri.toString());
  }

  private async run(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const run = this.controller.createTestRun(request);
    try {
      const roots: vscode.TestItem[] = request.include ? [...request.include] : [];
      if (!request.include) this.controller.items.forEach((item) => void roots.push(item));
      const excluded = new Set((request.exclude ?? []).map((i) => i.id));
      const byFile = new Map<string, { uri: vscode.Uri; ids: Set<string> }>();
      for (const root of roots) {
        if (!root.uri) continue;
        const entry = byFile.get(root.uri.toString()) ?? { uri: root.uri, ids: new Set<string>() };
        for (const leaf of leaves(root, excluded)) entry.ids.add(leaf.id);
        byFile.set(root.uri.toString(), entry);
      }
      for (const { uri, ids } of byFile.values()) {
        if (token.isCancellationRequested) break;
        await this.runFile(run, uri, ids);
      }
    } finally {
      run.end();
    }
  }

  private async runFile(run: vscode.TestRun, uri: vscode.Uri, ids: ReadonlySet<string>): Promise<void> {
    const text = await this.readText(uri);
    // The file may have changed since it was listed: list it from the text that runs.
    this.list(uri, text);
    const file = this.controller.items.get(uri.toString());
    const items = file ? [...leaves(file)].filter((i) => ids.has(i.id)) : [];
    for (const item of items) run.started(item);
    let outcomes: TestOutcome[];
    let failure: string | undefined;
    try {
      const result = await this.sniff.runTests(uri, text);
      outcomes = result.tests;
      failure = result.failure;
    } catch (err) {
      outcomes = [];
      failure = `the rule-file language server did not answer: ${err instanceof Error ? err.message : String(err)}`;
    }
    const byLine = new Map(outcomes.map((o) => [o.line, o]));
    const lines = this.lines.get(uri.toString());
    for (const item of items) {
      const line = lines?.get(item.id);
      const o = line === undefined ? undefined : byLine.get(line);
      const location = item.range ? new vscode.Location(uri, item.range) : undefined;
      if (failure !== undefined) {
        run.errored(item, located(new vscode.TestMessage(`Not run: ${failure}.`), location));
      } else if (!o) {
        run.errored(item, located(new vscode.TestMessage('Not run: a pattern of this rule could backtrack catastrophically, or could not be checked in time. See the Problems view.'), location));
      } else if (o.passed) {
        run.passed(item);
      } else {
        const message = vscode.TestMessage.diff(`Expected ${o.expected}, got ${o.actual}${o.message ? `: ${o.message}` : ''}`, o.expected, o.actual);
        run.failed(item, located(message, location));
      }
    }
  }

  dispose(): void {
    for (const t of this.relists.values()) clearTimeout(t);
    this.relists.clear();
    for (const d of this.disposables) d.dispose();
  }
}

/** The test-line items at or under `item`, leaving out excluded ones and those under them. */
function* leaves(item: vscode.TestItem, excluded: ReadonlySet<string> = new Set()): Generator<vscode.TestItem> {
  if (excluded.has(item.id)) return;
  if (item.children.size === 0) {
    yield item;
    return;
  }
  const children: vscode.TestItem[] = [];
  item.children.forEach((c) => void children.push(c));
  for (const c of children) yield* leaves(c, excluded);
}

function located(message: vscode.TestMessage, location: vscode.Location | undefined): vscode.TestMessage {
  if (location) message.location = location;
  return message;
}

function toRange(r: { start: { line: number; character: number }; end: { line: number; character: number } }): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}
