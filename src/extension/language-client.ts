import { join } from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { toToolSpec } from '../core/chat/tool.js';
import { createFileTools } from '../core/tools/file-tools.js';
import {
  EvaluatedNotification,
  RunRuleTestsRequest,
  SessionsLoadedNotification,
  SetSessionsNotification,
  type RunRuleTestsResult,
  type SniffInitializationOptions,
} from '../shared/lsp-protocol.js';
import type { Ctx } from './ctx.js';
import { TestMatchDecorations } from './test-match-decorations.js';

/** workspaceState key of the session folders the user chose for rule tuning. */
const CHOSEN_SESSIONS_KEY = 'foresight.ruleTuning.sessions';

/**
 * The `.sniff` language client: starts the server (out/server.js, over IPC) the first time a
 * rule file is open (or the Test Explorer runs rule tests), points it at the sessions to tune
 * against and the built-in tools, highlights what each test line matched, and stops it with the
 * extension.
 */
export class SniffLanguageClient implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private readonly listener: vscode.Disposable;
  private readonly matches = new TestMatchDecorations();
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly ctx: Ctx) {
    this.listener = vscode.workspace.onDidOpenTextDocument((doc) => {
      if (doc.languageId === 'sniff') this.start();
    });
    if (vscode.workspace.textDocuments.some((d) => d.languageId === 'sniff')) this.start();
  }

  /** The session folders in use: the user's choice for this workspace, else recorded and demo sessions. */
  sessionPaths(): string[] {
    const chosen = this.ctx.extension.workspaceState.get<string[]>(CHOSEN_SESSIONS_KEY);
    if (chosen && chosen.length > 0) return chosen;
    return [this.ctx.sessionsDir(), this.ctx.demoSessionsDir()];
  }

  /**
   * Session files were added or grew (the recording proxy, the chat): a running server loads
   * the folders in use again, so the rule figures count them; at most once every few seconds.
   */
  sessionsChanged(): void {
    if (this.reloadTimer) return;
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = undefined;
      const client = this.client;
      if (client?.isRunning()) void client.sendNotification(SetSessionsNotification, { paths: this.sessionPaths() });
    }, 5000);
  }

  /** Asks for folders of recorded sessions, remembers them for this workspace and re-tunes against them. */
  async chooseSessions(): Promise<void> {
    const picked = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: true,
      canSelectMany: true,
      filters: { Sessions: ['jsonl', 'json'] },
      openLabel: 'Tune Rules Against These',
      title: 'Foresight: sessions to tune rules against',
    });
    if (!picked || picked.length === 0) return;
    const paths = picked.map((u) => u.fsPath);
    await this.ctx.extension.workspaceState.update(CHOSEN_SESSIONS_KEY, paths);
    const client = this.start();
    await client.start();
    await client.sendNotification(SetSessionsNotification, { paths });
  }

  /** Runs every inline test of a rule file's text in the server's evaluation worker (bounded by its deadline), starting the server if need be. */
  async runTests(uri: vscode.Uri, text: string): Promise<RunRuleTestsResult> {
    const client = this.start();
    await client.start();
    return client.sendRequest(RunRuleTestsRequest, { uri: uri.toString(), text });
  }

  private start(): LanguageClient {
    if (this.client) return this.client;
    const module = join(this.ctx.extension.extensionUri.fsPath, 'out', 'server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const initializationOptions: SniffInitializationOptions = {
      sessionPaths: this.sessionPaths(),
      // The tool specs do not depend on the root; the catalog needs only names and schemas.
      tools: createFileTools('.').map(toToolSpec),
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ language: 'sniff' }],
      synchronize: { configurationSection: 'foresight.ruleEditor' },
      initializationOptions,
      outputChannel: this.ctx.log,
    };
    const client = new LanguageClient('foresight.sniff', 'Foresight Rules', serverOptions, clientOptions);
    this.client = client;
    client.onNotification(SessionsLoadedNotification, (p) => {
      this.ctx.log.info(`rule tuning: ${p.sessions} sessions offering ${p.tools} tools`);
      for (const problem of p.problems.slice(0, 20)) this.ctx.log.warn(`rule tuning: ${problem}`);
    });
    client.onNotification(EvaluatedNotification, (p) => this.matches.evaluated(p));
    client.start().catch((err: unknown) => {
      this.ctx.log.error(`the .sniff language server did not start: ${err instanceof Error ? err.message : String(err)}`);
      void vscode.window.showErrorMessage('Foresight: the rule-file language server did not start. See "Foresight: Show Log" for why.');
    });
    return client;
  }

  dispose(): void {
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.listener.dispose();
    this.matches.dispose();
    void this.client?.stop();
    this.client = undefined;
  }
}
