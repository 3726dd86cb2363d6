import * as vscode from 'vscode';
import type { AgentEvent } from '../core/agent/agent-events.js';
import type { SpeculationSetup } from '../core/agent/agent-loop.js';
import { DisposableStore } from '../core/disposable.js';
import type { Session } from '../core/session/format.js';
import type { SpeculationPolicy } from '../core/speculation/speculation-policy.js';
import { EventBatcher } from '../core/trace/event-batcher.js';
import { LiveTraceMapper } from '../core/trace/live-trace.js';
import { ReplayPlayer } from '../core/trace/replay-player.js';
import { demoReplayTiming, sessionTrace, type TraceMode } from '../core/trace/session-trace.js';
import { Messenger, parseTraceMessage, type HostToTrace, type ReplayState, type TraceEvent, type TraceSource, type TraceToHost } from '../shared/protocol.js';
import type { Ctx } from './ctx.js';
import { webviewOptions, webviewPage } from './webview-host.js';

interface Replay {
  session: Session;
  file: string;
  player: ReplayPlayer;
}

const timer = {
  now: () => performance.now(),
  set: (callback: () => void, ms: number) => setTimeout(callback, ms),
  clear: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * The trace panel beside the editor: follows the live chat (its think stream, intents,
 * speculation and figures) or replays a recorded session. Every update to the webview goes
 * through one batcher, so the panel receives at most 60 messages a second.
 */
export class TracePanel implements vscode.Disposable {
  static readonly viewType = 'foresight.trace';

  private panel: vscode.WebviewPanel | undefined;
  private messenger: Messenger<HostToTrace, TraceToHost> | undefined;
  private panelScope = new DisposableStore();
  private readonly batcher = new EventBatcher<TraceEvent>((events) => this.flush(events));
  private pendingState: ReplayState | undefined;
  private source: TraceSource = { kind: 'live', title: 'no chat yet' };
  private live: { conversationId: string; mapper: LiveTraceMapper; events: TraceEvent[] } | undefined;
  private replay: Replay | undefined;
  /** The proxied session followed live, when the panel follows one rather than the chat. */
  private proxied: { file: string; sofar: () => readonly TraceEvent[] } | undefined;
  /** The chat's policy as last read, for explaining live decisions. */
  private policy: SpeculationPolicy | undefined;

  constructor(
    private readonly ctx: Ctx,
    /** The current rules and policy, or undefined when speculation is off. */
    private readonly speculationSetup: () => Promise<SpeculationSetup | undefined>,
    /** Continues a replayed session live in the chat from a turn (asks first). */
    private readonly forkIntoChat: (session: Session, turn: number) => void,
  ) {}

  /** Shows the panel beside the editor, creating it if needed. */
  open(): void {
    if (this.panel) {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(TracePanel.viewType, 'Foresight Trace', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      ...webviewOptions(this.ctx.extension.extensionUri),
      retainContextWhenHidden: true,
    });
    this.attach(panel);
  }

  /** Takes over a panel VS Code restored after a reload. */
  revive(panel: vscode.WebviewPanel): void {
    this.panel?.dispose();
    panel.webview.options = webviewOptions(this.ctx.extension.extensionUri);
    this.attach(panel);
  }

  /**
   * Follows the proxied session in `file` live: shows its trace so far (`sofar`, asked again
   * when the panel reloads), then what `proxiedEvents` brings for that file, until a replay or
   * a chat run takes the panel.
   */
  followProxied(file: string, title: string, sofar: () => readonly TraceEvent[]): void {
    this.open();
    this.replay?.player.dispose();
    this.replay = undefined;
    this.proxied = { file, sofar };
    this.reset({ kind: 'live', title, file });
    this.batcher.push([...sofar()]);
  }

  /** New trace events of the proxied session in `file`; shown when the panel follows it. */
  proxiedEvents(file: string, events: readonly TraceEvent[]): void {
    if (this.proxied?.file === file && this.source.kind === 'live' && events.length > 0) this.batcher.push([...events]);
  }

  /** The proxied session the panel follows, if any. */
  get followedProxied(): string | undefined {
    return this.proxied?.file;
  }

  /** Sees an agent event of the chat; a run switches the panel back to the live chat. */
  onAgentEvent(conversationId: string, runId: number, event: AgentEvent): void {
    if (!this.live || this.live.conversationId !== conversationId) {
      this.live = { conversationId, mapper: new LiveTraceMapper(undefined, () => this.policy), events: [] };
      if (this.source.kind === 'live' && !this.proxied) this.reset({ kind: 'live', title: 'chat' });
    }
    if (event.type === 'turnStart') this.refreshPolicy();
    if (event.type === 'turnStart' && event.turn === 0 && (this.source.kind !== 'live' || this.proxied)) this.showLive();
    const mapped = this.live.mapper.map(runId, event);
    if (mapped.length === 0) return;
    for (const e of mapped) this.live.events.push(e);
    if (this.source.kind === 'live' && !this.proxied) this.batcher.push(mapped);
  }

  /** Replays `session` in the panel, paused at its start. */
  async openReplay(session: Session, file: string): Promise<void> {
    this.open();
    const resniff = !session.turns.some((t) => (t.speculation?.length ?? 0) > 0);
    const events = await this.traceOf(session, resniff);
    this.replay?.player.dispose();
    const player = new ReplayPlayer(
      events,
      {
        reset: () => this.reset(this.source, this.replay?.player.state),
        events: (e) => this.batcher.push(e),
        state: (s) => this.sendState(s),
      },
      timer,
      resniff && events.length > 0,
    );
    this.replay = { session, file, player };
    this.proxied = undefined;
    this.source = { kind: 'replay', title: session.header.title ?? session.header.id, file };
    this.reset(this.source, player.state);
  }

  /** The replay on screen (its panel open), for asking before another replaces it; undefined when none. */
  get currentReplay(): { session: Session; file: string; state: ReplayState } | undefined {
    if (!this.panel || !this.replay || this.source.kind !== 'replay') return undefined;
    return { session: this.replay.session, file: this.replay.file, state: this.replay.player.state };
  }

    /** The rules changed: a replay that re-sniffs is sniffed again. */
  async rulesChanged(): Promise<void> {
    const replay = this.replay;
    if (!replay || this.source.kind !== 'replay' || !replay.player.state.resniff) return;
    replay.player.replace(await this.traceOf(replay.session, true), true);
  }

  dispose(): void {
    this.replay?.player.dispose();
    this.batcher.dispose();
    this.panelScope.dispose();
    this.panel?.dispose();
  }

  private showLive(): void {
    this.replay?.player.dispose();
    this.replay = undefined;
    this.proxied = undefined;
    this.source = { kind: 'live', title: 'chat' };
    this.reset(this.source);
    if (this.live) this.batcher.push(this.live.events);
  }

  private async traceOf(session: Session, resniff: boolean): Promise<TraceEvent[]> {
    const setup = await this.speculationSetup();
    const settings = this.ctx.config.settings;
    // A recording does not say its policy; the current one explains it, as the chat's policy usually is the same.
    const mode: TraceMode = resniff && setup ? { kind: 'resniff', setup, readOnlyTools: settings.speculation.readOnlyTools } : { kind: 'recorded', ...(setup ? { policy: setup.policy } : {}) };
    return sessionTrace(session, mode, demoReplayTiming(session, settings.demoTokensPerSecond));
  }

  private refreshPolicy(): void {
    this.speculationSetup().then(
      (setup) => (this.policy = setup?.policy),
      () => undefined,
    );
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panelScope.dispose();
    const scope = (this.panelScope = new DisposableStore());
    this.panel = panel;
    this.refreshPolicy();
    panel.iconPath = vscode.Uri.joinPath(this.ctx.extension.extensionUri, 'media', 'foresight.svg');
    const webview = panel.webview;
    const { extensionUri } = this.ctx.extension;
    webview.html = webviewPage(webview, extensionUri, 'trace', 'Foresight Trace');
    const messenger = new Messenger<HostToTrace, TraceToHost>(
      (message) => void webview.postMessage(message),
      (type, err) => this.ctx.log.error(`handling ${type} from the trace panel failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`),
    );
    this.messenger = messenger;
    scope.add(
      webview.onDidReceiveMessage((raw: unknown) => {
        const parsed = parseTraceMessage(raw);
        if (parsed.ok) messenger.receive(parsed.message);
        else this.ctx.log.warn(`ignored a message from the trace panel: ${parsed.problem}`);
      }),
    );
    scope.add(messenger.on('trace/ready', () => this.redeliver()));
    scope.add(messenger.on('replay/play', () => this.replay?.player.play()));
    scope.add(messenger.on('replay/pause', () => this.replay?.player.pause()));
    scope.add(messenger.on('replay/speed', ({ speed }) => this.replay?.player.setSpeed(speed)));
    scope.add(messenger.on('replay/step', ({ to }) => this.replay?.player.step(to)));
    scope.add(messenger.on('replay/seek', ({ position }) => this.replay?.player.seek(position)));
    scope.add(messenger.on('replay/resniff', ({ on }) => void this.toggleResniff(on)));
    scope.add(
      messenger.on('replay/fork', ({ turn }) => {
        if (this.replay && this.source.kind === 'replay') this.forkIntoChat(this.replay.session, turn);
      }),
    );
    scope.add(
      panel.onDidDispose(() => {
        if (this.panel === panel) {
          this.panel = undefined;
          this.messenger = undefined;
          this.replay?.player.pause();
        }
        scope.dispose();
      }),
    );
  }

  private async toggleResniff(on: boolean): Promise<void> {
    const replay = this.replay;
    if (!replay) return;
    const events = await this.traceOf(replay.session, on);
    replay.player.replace(events, on);
  }

  private redeliver(): void {
    this.batcher.drop();
    if (this.replay && this.source.kind === 'replay') {
      this.reset(this.source, this.replay.player.state);
      this.replay.player.redeliver();
    } else if (this.proxied) {
      this.reset(this.source);
      this.batcher.push([...this.proxied.sofar()]);
    } else {
      this.reset(this.source);
      if (this.live) this.batcher.push(this.live.events);
    }
  }

  private reset(source: TraceSource, replay?: ReplayState): void {
    this.source = source;
    this.batcher.drop();
    this.pendingState = undefined;
    this.messenger?.send('trace/reset', { source, ...(replay ? { replay } : {}) });
  }

  private sendState(state: ReplayState): void {
    this.pendingState = state;
    this.batcher.poke();
  }

  private flush(events: TraceEvent[]): void {
    const replay = this.pendingState;
    this.pendingState = undefined;
    this.messenger?.send('trace/events', { events, ...(replay ? { replay } : {}) });
  }
}
