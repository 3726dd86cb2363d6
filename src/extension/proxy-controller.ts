import { basename } from 'node:path';
import * as vscode from 'vscode';
import { loadDemoSessions } from '../core/chat-session/demo-sessions.js';
import { LocalEndpoint } from '../core/endpoint/local-endpoint.js';
import { chooseProxyUpstream } from '../core/proxy/proxy-upstream.js';
import { RecordingProxy } from '../core/proxy/recording-proxy.js';
import type { Session } from '../core/session/format.js';
import { readSessionFile } from '../core/session/session-reader.js';
import { ProxyLiveTrace } from '../core/proxy/proxy-live-trace.js';
import type { ProxyLiveEvent } from '../core/proxy/recorder-messages.js';
import type { ShadowTurn } from '../core/proxy/shadow-speculation.js';
import type { TraceEvent } from '../shared/protocol.js';
import type { Ctx } from './ctx.js';

/** What the proxy tells the rest of the extension. */
export interface ProxyControllerHooks {
  /** A proxied session file was begun, got an answer or was closed: the Sessions view lists it, the rule figures count it. */
  sessionsChanged(): void;
  /** Opens a recorded session in the trace panel. */
  openSession(session: Session, file: string): Promise<void>;
  /** Has the trace panel follow a proxied session live: its trace so far, then what `proxiedEvents` brings. */
  followSession(file: string, title: string, sofar: () => readonly TraceEvent[]): void;
  /** New trace events of a proxied session, as its chunks arrive. */
  proxiedEvents(file: string, events: readonly TraceEvent[]): void;
  /** The proxied session the trace panel follows, if any. */
  followed(): string | undefined;
}

// Proxied sessions whose live trace is kept, newest last: enough for an agent's parallel conversations.
const LIVE_TRACES = 8;

/**
 * The recording proxy of the editor: started and stopped by command, shown in the status bar
 * while it runs (`Proxy :PORT`; a click copies the base URL to paste into the agent). It
 * forwards to foresight.baseUrl with the stored key for an agent that sends none, or to a demo
 * endpoint of its own when no base URL is set, and records into the chat's sessions folder.
 */
export class ProxyController implements vscode.Disposable {
  private running: { proxy: RecordingProxy; demo: LocalEndpoint | undefined } | undefined;
  private starting: Promise<void> | undefined;
  private readonly item: vscode.StatusBarItem;
  private lastFile: string | undefined;
  /** The live trace of each recent proxied session, by file, oldest first. */
  private readonly traces = new Map<string, { trace: ProxyLiveTrace; title: string }>();
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private waitingToFollow = false;

  constructor(
    private readonly ctx: Ctx,
    private readonly hooks: ProxyControllerHooks,
  ) {
    this.item = vscode.window.createStatusBarItem('foresight.proxy', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Foresight Recording Proxy';
    this.item.command = 'foresight.copyRecordingProxyUrl';
  }

  /** Starts the proxy, or says where the running one is. */
  start(): Promise<void> {
    if (this.running) return this.showUrl();
    this.starting ??= this.doStart().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  async stop(): Promise<void> {
    await this.starting;
    const running = this.running;
    if (!running) {
      void vscode.window.showInformationMessage('Foresight: the recording proxy is not running.');
      return;
    }
    this.running = undefined;
    this.item.hide();
    await running.proxy.close();
    running.demo?.dispose();
    this.ctx.log.info('recording proxy stopped');
    this.hooks.sessionsChanged();
  }

  /** Copies the base URL and offers the latest proxied session in the trace panel. */
  async showUrl(): Promise<void> {
    const running = this.running;
    if (!running) {
      void vscode.window.showInformationMessage('Foresight: the recording proxy is not running; start it with "Foresight: Start Recording Proxy".');
      return;
    }
    const url = running.proxy.baseUrl;
    await vscode.env.clipboard.writeText(url);
    const follow = 'Follow in Trace Panel';
    const choice = await vscode.window.showInformationMessage(`Foresight: copied ${url}; set it as your agent's base URL.`, follow);
    if (choice === follow) await this.followLatest();
  }

  /**
   * Has the trace panel follow the latest proxied session live (and each newer one as it
   * begins, while it follows); the latest recorded one replays when the proxy saw none live.
   */
  async followLatest(): Promise<void> {
    const file = [...this.traces.keys()].at(-1);
    if (file) {
      this.follow(file);
      return;
    }
    if (this.lastFile) {
      await this.openLatest(this.lastFile);
      return;
    }
    // Nothing yet: the panel waits on the next session the agent begins.
    this.waitingToFollow = true;
    void vscode.window.showInformationMessage('Foresight: the trace panel follows the next conversation through the proxy.');
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.item.dispose();
    const running = this.running;
    this.running = undefined;
    if (running) void running.proxy.close().finally(() => running.demo?.dispose());
  }

  private async doStart(): Promise<void> {
    const settings = this.ctx.config.settings;
    let demo: LocalEndpoint | undefined;
    try {
      if (!settings.baseUrl.trim()) {
        // A fresh machine has no endpoint: the demo sessions, served like the chat's embedded endpoint.
        const loaded = await loadDemoSessions(this.ctx.demoSessionsDir());
        demo = await LocalEndpoint.start({ sessions: loaded.sessions, port: 0, tokensPerSecond: null, log: (line) => this.ctx.log.debug(`proxy demo endpoint: ${line}`) });
      }
      const choice = chooseProxyUpstream({ baseUrl: settings.baseUrl, embeddedUrl: demo?.baseUrl, storedKey: await this.ctx.apiKey.get() });
      if (!choice.ok) throw new Error(choice.message);
      const setup = await this.ctx.speculation.setup(settings.speculation);
      const proxy = await RecordingProxy.start({
        upstream: choice.upstream,
        sessionsDir: this.ctx.sessionsDir(),
        ...(setup ? { shadow: { rules: setup.rules, openWorld: setup.openWorldTools ?? [], ...(setup.schemaSniffing !== undefined ? { schemaSniffing: setup.schemaSniffing } : {}) } } : {}),
        ...(choice.fallbackKey ? { fallbackKey: choice.fallbackKey } : {}),
        foresightVersion: this.ctx.version,
        onSession: (file, change) => this.sessionChanged(file, change),
        onLive: (file, events) => this.live(file, events),
        onShadow: (turn, file) => this.shadow(turn, file),
        log: (line) => this.ctx.log.info(this.ctx.redact(`proxy: ${line}`)),
      });
      this.running = { proxy, demo };
      this.item.text = `$(radio-tower) Proxy :${proxy.port}`;
      this.item.tooltip = `Foresight recording proxy: ${proxy.baseUrl} → ${this.ctx.redact(choice.upstream)}${choice.embedded ? ' (demo endpoint)' : ''}. Click to copy the base URL.`;
      this.item.show();
      this.ctx.log.info(this.ctx.redact(`recording proxy on ${proxy.baseUrl}, upstream ${choice.upstream}${choice.fallbackKey ? ', adding the stored key when the agent sends none' : ''}`));
      await this.showUrl();
    } catch (err) {
      demo?.dispose();
      const message = this.ctx.redact(err instanceof Error ? err.message : String(err));
      this.ctx.log.error(`could not start the recording proxy: ${message}`);
      void vscode.window.showErrorMessage(`Foresight: could not start the recording proxy: ${message}`);
    }
  }

  private follow(file: string): void {
    const entry = this.traces.get(file);
    if (!entry) return;
    this.waitingToFollow = false;
    this.hooks.followSession(file, `proxy · ${entry.title}`, () => entry.trace.events);
  }

  private traceOf(file: string): ProxyLiveTrace {
    let entry = this.traces.get(file);
    if (!entry) {
      entry = { trace: new ProxyLiveTrace(), title: basename(file, '.jsonl') };
      this.traces.set(file, entry);
      while (this.traces.size > LIVE_TRACES) this.traces.delete(this.traces.keys().next().value!);
    }
    return entry.trace;
  }

  private live(file: string, events: ProxyLiveEvent[]): void {
    const known = this.traces.has(file);
    const trace = this.traceOf(file);
    const entry = this.traces.get(file)!;
    const first = events.find((e): e is Extract<ProxyLiveEvent, { type: 'turnStart' }> => e.type === 'turnStart');
    if (!known && first) {
      const user = first.messages.find((m) => m.role === 'user');
      const text = typeof user?.content === 'string' ? user.content.trim() : '';
      if (text) entry.title = text.length > 60 ? `${text.slice(0, 59)}…` : text;
    }
    const mapped = trace.live(events);
    this.hooks.proxiedEvents(file, mapped);
    // A new conversation: a panel following the proxy moves on to it.
    const followed = this.hooks.followed();
    if (!known && (this.waitingToFollow || (followed !== undefined && followed !== file && this.traces.has(followed)))) this.follow(file);
  }

  private shadow(turn: ShadowTurn, file: string): void {
    if (!this.traces.has(file)) return;
    this.hooks.proxiedEvents(file, this.traceOf(file).shadow(turn));
  }

  private sessionChanged(file: string, _change: 'opened' | 'turn' | 'closed'): void {
    this.lastFile = file;
    // Many streams end at once under load: one refresh for the lot.
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.hooks.sessionsChanged();
    }, 500);
  }

  private async openLatest(file: string): Promise<void> {
    const read = await readSessionFile(file);
    const session = read.sessions[read.sessions.length - 1];
    if (!session) {
      void vscode.window.showWarningMessage('Foresight: the latest proxied session has nothing recorded yet.');
      return;
    }
    await this.hooks.openSession(session, file);
  }
}
