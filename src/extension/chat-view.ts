import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { AgentEvent } from '../core/agent/agent-events.js';
import type { ChatMessage } from '../core/chat/types.js';
import { ChatSession } from '../core/chat-session/chat-session.js';
import { Readiness } from '../core/chat-session/readiness.js';
import { endpointLabel } from '../shared/endpoint-label.js';
import { DisposableStore } from '../core/disposable.js';
import { Messenger, parseWebviewMessage, type HostToWebview, type WebviewToHost } from '../shared/protocol.js';
import type { Ctx } from './ctx.js';
import { webviewOptions, webviewPage } from './webview-host.js';

type EndpointState = Pick<HostToWebview['chat/state'], 'endpoint' | 'problem' | 'suggestions' | 'notices'>;

/** The sidebar chat: the webview, its messages, and the conversation it drives. */
export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewType = 'foresight.chat';

  private readonly session: ChatSession;
  private messenger: Messenger<HostToWebview, WebviewToHost> | undefined;
  private viewScope = new DisposableStore();
  private readonly readiness = new Readiness((readiness) => this.messenger?.send('chat/readiness', { readiness }));
  /** Stops the tool listing of a backend being replaced. */
  private preparing: AbortController | undefined;
  /** The latest refusal of a rule file's text, shown until the next change of the rule files. */
  private rulesProblem: string | undefined;

  constructor(
    private readonly ctx: Ctx,
    /** Sees every step of the chat's runs (the trace panel follows them). */
    onAgentEvent: (conversationId: string, runId: number, event: AgentEvent) => void,
    /** A run's recording was closed (the Sessions view shows it; a collector may want it). */
    onRecorded: (path: string) => void = () => undefined,
  ) {
    this.session = new ChatSession({ log: (line) => ctx.log.warn(ctx.redact(line)), onAgentEvent, onRecorded });
    ctx.own(
      ctx.onDidRestartBackend(() => {
        // The old endpoint is going away; a run still using it could only fail confusingly.
        if (this.session.running) ctx.log.info('stopping the running chat: its backend was replaced');
        this.session.stop();
        void this.pushEndpoint();
        // Not ready again until the new backend says so; prepared now if the chat is on screen, else when it opens.
        if (this.messenger) this.prepare();
        else {
          this.preparing?.abort();
          this.preparing = undefined;
          this.readiness.begin();
        }
      }),
    );
    ctx.own(
      ctx.speculation.onDidChangeRuleFiles(({ problem }) => {
        this.rulesProblem = problem;
        this.pushRules();
      }),
    );
    ctx.own(ctx.config.onDidChange(() => this.pushRules()));
    ctx.own(vscode.workspace.onDidSaveTextDocument((doc) => ctx.speculation.saved(doc.fileName, doc.getText())));
  }

  /**
   * Lets the chat's speculation use the rule file `uri` (its current text), from the editor's
   * "Use This Rule File in Chat"; a malformed file is refused with the line at fault, in the
   * chat and in a message, and the rules in use stay.
   */
  async useRuleFile(uri: vscode.Uri): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(uri);
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Foresight: in Restricted Mode the chat uses only the shipped rules. Trust this workspace to use its rule files.');
      return;
    }
    const outcome = this.ctx.speculation.useInChat(doc.fileName, doc.getText());
    const name = basename(doc.fileName);
    if (!outcome.ok) {
      void vscode.window.showErrorMessage(`Foresight: ${name} was not used in the chat: ${outcome.problem}. Its previous rules, if any, are kept.`);
    } else {
      this.ctx.log.info(`the chat uses ${doc.fileName} (${outcome.rules} rule${outcome.rules === 1 ? '' : 's'}); it reloads when saved`);
      void vscode.window.showInformationMessage(`Foresight: the chat now uses ${name} (${outcome.rules} rule${outcome.rules === 1 ? '' : 's'}); saving it reloads them.`);
    }
    await vscode.commands.executeCommand(`${ChatViewProvider.viewType}.focus`);
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.viewScope.dispose();
    const scope = (this.viewScope = new DisposableStore());
    const { extensionUri } = this.ctx.extension;
    const webview = view.webview;
    webview.options = webviewOptions(extensionUri);
    webview.html = webviewPage(webview, extensionUri, 'chat');

    const messenger = new Messenger<HostToWebview, WebviewToHost>(
      (message) => void webview.postMessage(message),
      (type, err) => this.ctx.log.error(this.ctx.redact(`handling ${type} from the chat view failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`)),
    );
    this.messenger = messenger;
    scope.add(
      webview.onDidReceiveMessage((raw: unknown) => {
        const parsed = parseWebviewMessage(raw);
        if (parsed.ok) messenger.receive(parsed.message);
        else this.ctx.log.warn(`ignored a message from the chat view: ${parsed.problem}`);
      }),
    );
    scope.add(
      messenger.on('chat/ready', () => {
        void this.pushState();
        messenger.send('chat/readiness', { readiness: this.readiness.current });
        this.pushRules();
        if (!this.preparing && this.readiness.current.kind !== 'ready') this.prepare();
      }),
    );
    scope.add(
      messenger.on('chat/openRuleFile', ({ path }) => {
        // The webview is untrusted: it may only open a file the header listed.
        if (!this.ctx.speculation.activeRuleFiles(this.ctx.config.settings.speculation).some((f) => f.path === path)) {
          this.ctx.log.warn('the chat view asked to open a file it did not list; ignored');
          return;
        }
        void vscode.window.showTextDocument(vscode.Uri.file(path), { preview: true });
      }),
    );
    scope.add(messenger.on('chat/send', ({ text }) => void this.send(text)));
    scope.add(messenger.on('chat/stop', () => this.session.stop()));
    scope.add(messenger.on('chat/new', () => this.newChat()));
    scope.add(
      messenger.on('chat/configure', ({ what }) => {
        if (what === 'apiKey') void vscode.commands.executeCommand('foresight.setApiKey');
        else if (what === 'model') void this.pickModel();
        else void vscode.commands.executeCommand('workbench.action.openSettings', 'foresight.baseUrl');
      }),
    );
    scope.add(
      view.onDidDispose(() => {
        if (this.messenger === messenger) this.messenger = undefined;
        scope.dispose();
      }),
    );
  }

  /** Stops any run and starts an empty conversation. */
  newChat(): void {
    this.session.reset();
    void this.pushState();
  }

  /**
   * Starts a conversation continuing `messages` (see ChatSession.fork) and shows it; false,
   * with nothing changed, while a run is going on.
   */
  fork(messages: readonly ChatMessage[], origin: { title: string; turn: number }): boolean {
    const outcome = this.session.fork(messages, origin, (conversationId, event) => this.messenger?.send('chat/event', { conversationId, event }));
    if (outcome === 'busy') return false;
    void this.pushState();
    return true;
  }

  dispose(): void {
    this.preparing?.abort();
    this.session.dispose();
    this.viewScope.dispose();
  }

  private async send(text: string): Promise<void> {
    const settings = this.ctx.config.settings;
    const speculation = await this.ctx.speculation.setup(settings.speculation);
    const outcome = await this.session.send(
      text,
      async (signal) => {
        const open = await this.ctx.backend();
        const run = await open.forRun(signal);
        // The header names the tools of this run, and any server that did not answer.
        void this.pushEndpoint();
        return run;
      },
      {
        maxSteps: settings.maxSteps,
        temperature: settings.temperature,
        extraBody: settings.extraBody,
        recordDir: this.ctx.sessionsDir(),
        versions: { foresight: this.ctx.version, vscode: vscode.version },
        ...(speculation ? { speculation } : {}),
        readOnlyTools: settings.speculation.readOnlyTools,
      },
      (conversationId, event) => this.messenger?.send('chat/event', { conversationId, event }),
    );
    if (outcome === 'busy') {
      this.ctx.log.warn('a chat message arrived while a run was going on; ignored');
      return;
    }
    await this.ctx.speculation.save();
    // The run may have learnt the model from the endpoint's listing.
    await this.pushEndpoint();
    // A backend that failed to open may have opened for this run (a retry): say so.
    if (this.readiness.current.kind === 'failed' && !this.preparing) this.prepare();
  }

  /**
   * Opens the backend and lists its tools now, reporting each step, so the status says
   * "ready" only when a message would really be taken. A newer attempt (the backend was
   * replaced) makes this one's reports void.
   */
  private prepare(): void {
    this.preparing?.abort();
    const controller = (this.preparing = new AbortController());
    const attempt = this.readiness.begin();
    void (async () => {
      try {
        const open = await this.ctx.backend();
        this.readiness.opened(attempt);
        await open.prepare(controller.signal);
        this.readiness.toolsListed(attempt);
        // The header names the tools now listed, and any server that did not answer.
        await this.pushEndpoint();
      } catch (err) {
        if (!controller.signal.aborted) this.readiness.failed(attempt, this.ctx.redact(err instanceof Error ? err.message : String(err)));
      } finally {
        if (this.preparing === controller) this.preparing = undefined;
      }
    })();
  }

  /** Lets the user pick one of the models the endpoint lists (GET /models), written to foresight.model. */
  private async pickModel(): Promise<void> {
    let open;
    try {
      open = await this.ctx.backend();
    } catch {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'foresight.baseUrl');
      return;
    }
    const { endpoint, client } = open.backend;
    const configure = 'Configure Endpoint…';
    if (endpoint.kind === 'demo') {
      const answer = await vscode.window.showInformationMessage('Foresight: the demo endpoint has one model, the one its sessions were recorded with. Configure an endpoint (foresight.baseUrl) to choose among its models.', configure);
      if (answer === configure) await vscode.commands.executeCommand('workbench.action.openSettings', 'foresight.baseUrl');
      return;
    }
    const current = this.ctx.config.settings.model || endpoint.model || '';
    const listing = (async () => {
      const page = await client.models.list({ signal: AbortSignal.timeout(15_000) });
      return page.data.map((m) => ({ label: m.id, ...(m.id === current ? { description: 'current', picked: true } : {}) }));
    })();
    let picked: vscode.QuickPickItem | undefined;
    try {
      picked = await vscode.window.showQuickPick(listing, { title: `Models of ${endpointLabel(endpoint).label}`, placeHolder: 'The model the chat asks for (foresight.model)', matchOnDescription: true });
    } catch (err) {
      const message = this.ctx.redact(err instanceof Error ? err.message : String(err));
      this.ctx.log.warn(`listing the endpoint's models failed: ${message}`);
      const settings = 'Open Settings';
      if ((await vscode.window.showErrorMessage(`Foresight: the endpoint did not list its models (${message}). Set foresight.model by hand.`, settings)) === settings) {
        await vscode.commands.executeCommand('workbench.action.openSettings', 'foresight.model');
      }
      return;
    }
    if (picked && picked.label !== this.ctx.config.settings.model) await this.ctx.config.setUserValue('model', picked.label);
  }

  private pushRules(): void {
    this.messenger?.send('chat/rules', { files: this.ctx.speculation.activeRuleFiles(this.ctx.config.settings.speculation), ...(this.rulesProblem ? { problem: this.rulesProblem } : {}) });
  }

  private async pushState(): Promise<void> {
    const state = await this.endpointState();
    const forked = this.session.forked;
    this.messenger?.send('chat/state', { conversationId: this.session.conversationId, running: this.session.running, ...state, ...(forked ? { forked } : {}) });
  }

  private async pushEndpoint(): Promise<void> {
    if (!this.messenger) return;
    this.messenger.send('config/changed', await this.endpointState());
  }

  private async endpointState(): Promise<EndpointState> {
    try {
      const open = await this.ctx.backend();
      const notices = [...open.tools.notices, ...open.toolProblems].map((n) => this.ctx.redact(n));
      return { endpoint: { ...open.backend.endpoint, tools: [...open.backend.endpoint.tools] }, suggestions: open.suggestions, ...(notices.length > 0 ? { notices } : {}) };
    } catch (err) {
      return { endpoint: null, problem: this.ctx.redact(err instanceof Error ? err.message : String(err)), suggestions: [] };
    }
  }
}
