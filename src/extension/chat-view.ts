import * as vscode from 'vscode';
import type { AgentEvent } from '../core/agent/agent-events.js';
import type { ChatMessage } from '../core/chat/types.js';
import { ChatSession } from '../core/chat-session/chat-session.js';
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
      }),
    );
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
    scope.add(messenger.on('chat/ready', () => void this.pushState()));
    scope.add(messenger.on('chat/send', ({ text }) => void this.send(text)));
    scope.add(messenger.on('chat/stop', () => this.session.stop()));
    scope.add(messenger.on('chat/new', () => this.newChat()));
    scope.add(
      messenger.on('chat/configure', ({ what }) => {
        if (what === 'apiKey') void vscode.commands.executeCommand('foresight.setApiKey');
        else void vscode.commands.executeCommand('workbench.action.openSettings', 'foresight.');
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
