import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type OpenAI from 'openai';
import type { AgentEvent, AgentStopReason } from '../agent/agent-events.js';
import { runAgent, type SpeculationSetup, type TurnStreamer } from '../agent/agent-loop.js';
import { markReadOnly } from '../engine/speculation-setup.js';
import { toToolSpec, type Tool } from '../chat/tool.js';
import type { ChatMessage } from '../chat/types.js';
import type { Disposable } from '../disposable.js';
import { SessionWriter } from '../session/session-writer.js';
import type { StreamError } from '../stream/events.js';
import { toStreamError } from '../stream/stream-error.js';
import { redactText } from '../util/redact-url.js';
import type { ChatEvent, EndpointInfo, ForkedEvent } from '../../shared/protocol.js';
import { toChatEvents } from './chat-events.js';
import { forkHistory } from './fork-history.js';
import { settleHistory } from './history.js';
import { runEndMessage, UserFacingError } from './run-end-message.js';

/** What a chat run talks to: a client for one endpoint, the model to ask for, and the tools to offer. */
export interface ChatBackend {
  readonly endpoint: EndpointInfo;
  readonly client: OpenAI;
  readonly tools: readonly Tool[];
  /** Names of open-world read-only tools among `tools` their source lets run early (an MCP server's opt-in). */
  readonly openWorldTools?: readonly string[];
  /** The model id to send; may ask the endpoint. Rejects with a UserFacingError or an SDK error. */
  resolveModel(signal: AbortSignal): Promise<string>;
  /** Streams each turn instead of a plain call on `client` (SpecReason mode); absent: plain calls. */
  readonly streamTurn?: TurnStreamer;
}

/** The settings a run reads when it starts; later changes apply to the next run. */
export interface RunSettings {
  maxSteps: number;
  temperature: number | null;
  extraBody: Record<string, unknown>;
  /** Folder to record the run in (one JSON Lines file per run); undefined records nothing. */
  recordDir?: string;
  versions: { foresight: string; vscode?: string };
  /** Speculate on read-only tools during the run; absent runs without. */
  speculation?: SpeculationSetup;
  /** Tool-name globs the user declared read-only. */
  readOnlyTools?: string[];
}

export interface ChatSessionOptions {
  log?: (line: string) => void;
  /** Conversation ids; random UUIDs by default. */
  newId?: () => string;
  /** Sees every agent event of every run, before the chat's own mapping (the trace panel draws them). */
  onAgentEvent?: (conversationId: string, runId: number, event: AgentEvent) => void;
  /** A run's recording is complete (its file closed), whatever the run's end. */
  onRecorded?: (path: string) => void;
}

/** Tells the listener about one event of the conversation `conversationId`. */
export type ChatEventSink = (conversationId: string, event: ChatEvent) => void;

/**
 * One conversation with an agent: keeps its history between runs, runs at most one agent at a
 * time, and reports every run as `runStart`, the run's events, then exactly one `runEnd`
 * (with a sentence for the user unless it ended with an answer). Events carry the id of the
 * conversation they belong to, so a run still winding down after `reset()` cannot be mistaken
 * for the new conversation, and it never touches the new conversation's history.
 */
export class ChatSession implements Disposable {
  private id: string;
  private history: ChatMessage[] = [];
  private forkedFrom: ForkedEvent | undefined;
  private nextRunId = 0;
  private active: AbortController | undefined;
  private readonly log: (line: string) => void;
  private readonly newId: () => string;
  private readonly onAgentEvent: ChatSessionOptions['onAgentEvent'];
  private readonly onRecorded: ChatSessionOptions['onRecorded'];

  constructor(options: ChatSessionOptions = {}) {
    this.onAgentEvent = options.onAgentEvent;
    this.onRecorded = options.onRecorded;
    this.log = options.log ?? (() => {});
    this.newId = options.newId ?? randomUUID;
    this.id = this.newId();
  }

  get conversationId(): string {
    return this.id;
  }

  get running(): boolean {
    return this.active !== undefined;
  }

  /** The conversation the next run continues. */
  get messages(): readonly ChatMessage[] {
    return this.history;
  }

  /** Where the current conversation was forked from, or undefined when it began empty. */
  get forked(): ForkedEvent | undefined {
    return this.forkedFrom;
  }

  /**
   * Starts a new conversation (a new id, as `reset` does) that continues `messages`, taken
   * from turn `origin.turn` of the recorded session `origin.title`, without their reasoning;
   * the next `send` runs against whatever endpoint it is given, like any run. Emits one
   * `forked` event under the new id. Refuses with `busy`, changing nothing, while a run is going on.
   */
  fork(messages: readonly ChatMessage[], origin: { title: string; turn: number }, emit: ChatEventSink): 'forked' | 'busy' {
    if (this.active) return 'busy';
    this.reset();
    this.history = forkHistory(messages);
    this.forkedFrom = { type: 'forked', title: origin.title, turn: origin.turn, messages: this.history.length };
    emit(this.id, this.forkedFrom);
    return 'forked';
  }

  /**
   * Runs the agent for one user message and resolves with how the run ended, or `busy` (and
   * emits nothing) when a run is already going on. `openBackend` is awaited inside the run (and
   * given the run's signal, so Stop ends a slow tool listing), so an endpoint that cannot be
   * set up ends the run with its reason. Never rejects.
   */
  async send(
    text: string,
    openBackend: (signal: AbortSignal) => Promise<ChatBackend>,
    settings: RunSettings,
    emit: ChatEventSink,
  ): Promise<AgentStopReason | 'busy'> {
    if (this.active) return 'busy';
    const controller = new AbortController();
    this.active = controller;
    const conversationId = this.id;
    const runId = this.nextRunId++;
    const before = this.history;
    const emitEvent = (event: ChatEvent) => emit(conversationId, event);
    emitEvent({ type: 'runStart', runId, text });

    let reason: AgentStopReason = 'error';
    let error: StreamError | undefined;
    let recorder: SessionWriter | undefined;
    let backend: ChatBackend | undefined;
    try {
      backend = await openBackend(controller.signal);
      const model = await backend.resolveModel(controller.signal);
      const speculation = withOpenWorld(settings.speculation, backend.openWorldTools);
      const servers = serverNames(backend.tools);
      const tools = markReadOnly(backend.tools, settings.readOnlyTools ?? []);
      recorder = this.openRecorder(settings, backend, tools, model, text);
      const messages: ChatMessage[] = [...before, { role: 'user', content: text }];
      for await (const event of runAgent({
        client: backend.client,
        model,
        messages,
        tools,
        ...(speculation ? { speculation } : {}),
        ...(backend.streamTurn ? { streamTurn: backend.streamTurn } : {}),
        maxSteps: settings.maxSteps,
        extraBody: settings.extraBody,
        ...(settings.temperature !== null ? { temperature: settings.temperature } : {}),
        signal: controller.signal,
        ...(recorder ? { recorder } : {}),
      })) {
        this.onAgentEvent?.(conversationId, runId, event);
        if (event.type === 'done') {
          reason = event.reason;
          error = event.error;
          if (conversationId === this.id) this.history = settleHistory(before, event.messages);
        } else {
          for (const chatEvent of toChatEvents(runId, event, servers)) emitEvent(chatEvent);
        }
      }
    } catch (err) {
      error = setupOrStreamError(err, backend);
      reason = error.kind === 'aborted' ? 'stopped' : 'error';
    } finally {
      recorder?.dispose();
      if (this.active === controller) this.active = undefined;
    }
    if (recorder) this.onRecorded?.(recorder.path);
    if (error && reason === 'error') this.log(`run ${runId} of ${conversationId} failed: ${error.kind}${error.status ? ` ${error.status}` : ''}: ${error.message}`);
    const message = runEndMessage(reason, error, { endpointKind: backend?.endpoint.kind ?? 'remote', maxSteps: settings.maxSteps });
    emitEvent({ type: 'runEnd', runId, reason, ...(message !== undefined ? { message } : {}) });
    return reason;
  }

  /** Stops the running run, if any; it then ends with reason `stopped`. */
  stop(): void {
    this.active?.abort();
  }

  /** Stops any run and starts a new, empty conversation with a new id. */
  reset(): void {
    this.stop();
    this.active = undefined;
    this.history = [];
    this.forkedFrom = undefined;
    this.nextRunId = 0;
    this.id = this.newId();
  }

  dispose(): void {
    this.stop();
  }

  private openRecorder(settings: RunSettings, backend: ChatBackend, tools: readonly Tool[], model: string, text: string): SessionWriter | undefined {
    if (settings.recordDir === undefined) return undefined;
    const id = randomUUID();
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const path = join(settings.recordDir, `${stamp}-${id.slice(0, 8)}.jsonl`);
    try {
      const recordedTools = backend.tools.filter((t) => t.recorded).map((t) => t.name);
      // What the run judged may change things, so a replay of the recording judges it so too.
      const mutatingTools = tools.filter((t) => !t.readOnly).map((t) => t.name);
      return new SessionWriter({
        path,
        id,
        model,
        endpoint: backend.endpoint.baseUrl,
        tools: backend.tools.map(toToolSpec),
        ...(recordedTools.length > 0 ? { recordedTools } : {}),
        ...(mutatingTools.length > 0 ? { mutatingTools } : {}),
        foresightVersion: settings.versions.foresight,
        ...(settings.versions.vscode !== undefined ? { vscodeVersion: settings.versions.vscode } : {}),
        title: text.length > 80 ? `${text.slice(0, 79)}…` : text,
        onError: (err) => this.log(`recording to ${path} stopped: ${err.message}`),
      });
    } catch (err) {
      this.log(`could not record the run to ${path}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }
}

/** The setup with the backend's open-world allowances added to the user's. */
function withOpenWorld(setup: SpeculationSetup | undefined, names: readonly string[] | undefined): SpeculationSetup | undefined {
  if (!setup || !names || names.length === 0) return setup;
  return { ...setup, openWorldTools: [...(setup.openWorldTools ?? []), ...names] };
}

/** Tool name to the server it came from, for the tools that came from one. */
function serverNames(tools: readonly Tool[]): ReadonlyMap<string, string> {
  return new Map(tools.flatMap((t) => (t.source ? [[t.name, t.source.server] as const] : [])));
}

/** A StreamError for whatever ended a run early; before a backend exists it can only be the setup. */
function setupOrStreamError(err: unknown, backend: ChatBackend | undefined): StreamError {
  if (err instanceof UserFacingError) return { kind: 'protocol', message: err.message };
  // The client's URL is the configured one, so its credentials are known and scrubbed.
  if (backend) return toStreamError(err, backend.client.baseURL);
  const text = redactText(err instanceof Error ? err.message : String(err));
  return { kind: 'protocol', message: `The chat endpoint could not be set up: ${text}. See "Foresight: Show Log" for details.` };
}
