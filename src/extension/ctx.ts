import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import { DisposableStore, type Disposable } from '../core/disposable.js';
import { redactorFor } from '../core/util/redact-url.js';
import { openBackend, type OpenBackend } from './backend.js';
import { Config } from './config.js';
import { Speculation } from './speculation.js';
import { ApiKeyStore } from './secrets.js';

/**
 * What every part of the extension needs, and ownership: the log, settings, key store and
 * speculation state live as long as the extension; the backend (endpoint, client, tools) lives
 * in a session scope that a settings or key change replaces. The views are not here:
 * `extension.ts` builds them and hands each the others it talks to.
 */
export class Ctx implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  readonly config: Config;
  readonly apiKey: ApiKeyStore;
  /** SpecReason's draft endpoint key. */
  readonly draftApiKey: ApiKeyStore;
  readonly speculation: Speculation;

  private readonly extensionScope = new DisposableStore();
  private sessionScope = new DisposableStore();
  private opening: Promise<OpenBackend> | undefined;
  private readonly restarted = new vscode.EventEmitter<void>();
  /** Fires after the backend was dropped; the next `backend()` opens a new one. */
  readonly onDidRestartBackend = this.restarted.event;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.log = this.own(vscode.window.createOutputChannel('Foresight', { log: true }));
    this.config = this.own(new Config(this.log));
    this.speculation = new Speculation(extension, this.log);
    this.apiKey = new ApiKeyStore(extension.secrets);
    this.draftApiKey = ApiKeyStore.draft(extension.secrets);
    this.own(this.restarted);
    this.own(
      this.config.onDidChange((change) => {
        if (change.backendChanged) this.restartBackend('settings changed');
      }),
    );
    this.own(
      this.apiKey.onDidChange(() => {
        if (this.config.settings.baseUrl) this.restartBackend('API key changed');
      }),
    );
    this.own(
      this.draftApiKey.onDidChange(() => {
        if (this.config.settings.specReason.enabled && this.config.settings.baseUrl) this.restartBackend('draft model API key changed');
      }),
    );
    // Restricted Mode offers no tools; trusting the workspace brings them, and its .vscode/mcp.json.
    this.own(vscode.workspace.onDidGrantWorkspaceTrust(() => this.restartBackend('the workspace is trusted now')));
    const mcpJson = this.own(vscode.workspace.createFileSystemWatcher('**/.vscode/mcp.json'));
    const mcpJsonChanged = () => this.restartBackend('.vscode/mcp.json changed');
    this.own(mcpJson.onDidCreate(mcpJsonChanged));
    this.own(mcpJson.onDidChange(mcpJsonChanged));
    this.own(mcpJson.onDidDelete(mcpJsonChanged));
    this.own(
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        // The workspace tools and .vscode/mcp.json follow the first folder, for the demo too.
        if (!isAbsolute(this.config.settings.toolRoot)) this.restartBackend('workspace folders changed');
      }),
    );
  }

  /** Keeps `item` until the extension deactivates. */
  own<T extends Disposable>(item: T): T {
    return this.extensionScope.add(item);
  }

  /** The current backend, opened on first use; a failed opening is retried on the next call. */
  backend(): Promise<OpenBackend> {
    if (!this.opening) {
      const scope = this.sessionScope;
      const opening = (async () =>
        scope.add(
          await openBackend({
            settings: this.config.settings,
            apiKey: await this.apiKey.get(),
            draftApiKey: await this.draftApiKey.get(),
            demoSessionsDir: this.demoSessionsDir(),
            specReasonDemoDir: join(this.extension.extensionUri.fsPath, 'media', 'specreason'),
            log: this.log,
          }),
        ))();
      opening.catch((err: unknown) => {
        this.log.error(this.redact(`could not open the chat backend: ${err instanceof Error ? err.message : String(err)}`));
        if (this.opening === opening) this.opening = undefined;
      });
      this.opening = opening;
    }
    return this.opening;
  }

  /** `text` without any credential, those of the configured foresight.baseUrl included: for the log and the views. */
  redact(text: string): string {
    return redactorFor(this.config.settings.specReason.draftBaseUrl)(redactorFor(this.config.settings.baseUrl)(text));
  }

  /** Drops the backend and everything in the session scope. */
  restartBackend(why: string): void {
    this.log.info(`restarting the chat backend: ${why}`);
    this.opening = undefined;
    this.sessionScope.dispose();
    this.sessionScope = new DisposableStore();
    this.restarted.fire();
  }

  /** Where runs are recorded: foresight.sessionsDir (relative to the first workspace folder) or global storage. */
  sessionsDir(): string {
    const configured = this.config.settings.sessionsDir;
    const storage = join(this.extension.globalStorageUri.fsPath, 'sessions');
    if (!configured) return storage;
    if (isAbsolute(configured)) return configured;
    const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath;
    return join(folder ?? storage, configured);
  }

  /** The sessions the embedded endpoint serves: foresight.demo.sessionsDir, else the shipped demos. */
  demoSessionsDir(): string {
    return this.config.settings.demoSessionsDir || join(this.extension.extensionUri.fsPath, 'media', 'demo-sessions');
  }

  get version(): string {
    const version: unknown = this.extension.extension.packageJSON?.version;
    return typeof version === 'string' ? version : 'unknown';
  }

  dispose(): void {
    this.sessionScope.dispose();
    this.extensionScope.dispose();
  }
}
