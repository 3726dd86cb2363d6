/**
 * Every message between the extension host and its webviews (the chat and the trace panel),
 * in one place: one map per direction from message name (`area/verb`) to payload. Both sides send and receive only
 * through `Messenger`, so a misspelt name or a wrong payload is a compile error. The webview is
 * untrusted: the host accepts nothing it has not passed through `parseWebviewMessage`.
 * This module imports nothing, so both bundles can include it.
 */

/** Where the chat goes: the embedded demo endpoint or an endpoint the user configured. */
export type EndpointKind = 'demo' | 'remote';

/** What the chat header shows about the endpoint; never carries a key. */
export interface EndpointInfo {
  kind: EndpointKind;
  /** Base URL with any credentials removed. */
  baseUrl: string;
  /** Model id, or null while it is not known yet (a remote endpoint and `foresight.model` empty). */
  model: string | null;
  /** Names of the tools offered to the model, in order. */
  tools: string[];
  /** Set in SpecReason mode: the draft model (null until listed) and its endpoint, without credentials. */
  specReason?: { draftModel: string | null; draftBaseUrl: string };
}

/** Why a run ended: with an answer, at the step limit, stopped by the user, or on an error. */
export type RunEndReason = 'answer' | 'maxSteps' | 'stopped' | 'error';

/**
 * One step of a chat run as the webview draws it. A run is one user message and everything the
 * agent did for it; `runId` grows within a conversation and `turn` counts the model calls of a
 * run from 0. Within a run: `runStart` first, `runEnd` last, and every event of a turn comes
 * after its `turnStart`. Tool cards are keyed by `callId` within their turn; the streamed
 * `toolCall*` events also carry the call's `index` because a server may send its id late.
 */
export type ChatEvent =
  | { type: 'runStart'; runId: number; text: string }
  | { type: 'turnStart'; runId: number; turn: number }
  | { type: 'reasoning'; runId: number; turn: number; text: string }
  | { type: 'content'; runId: number; turn: number; text: string }
  /** All answer text of the turn so far (exactly `text`) was reasoning: move it over. */
  | { type: 'contentWasReasoning'; runId: number; turn: number; text: string }
  | { type: 'toolCallStarted'; runId: number; turn: number; index: number; callId: string; name: string }
  | { type: 'toolCallDelta'; runId: number; turn: number; index: number; argumentsDelta: string }
  | { type: 'toolCallSealed'; runId: number; turn: number; index: number; callId: string; name: string; arguments: string }
  /** `server`: the MCP server the tool came from; absent for built-in tools. Untrusted text. */
  | { type: 'toolStart'; runId: number; turn: number; callId: string; name: string; arguments: string; server?: string }
  | {
      type: 'toolEnd';
      runId: number;
      turn: number;
      callId: string;
      name: string;
      server?: string;
      output: string;
      isError: boolean;
      /** The result was replayed by a recorded stand-in, not computed. */
      recorded: boolean;
      /** The tool's own run time (for a call served from an early run, that run's). */
      durationMs: number;
      /** Set when the result came from a speculative run started during the reasoning (`crossTurn`: in an earlier turn). */
      speculative?: { outcome: 'hit' | 'partial'; savedMs: number; crossTurn?: boolean };
    }
  | { type: 'turnEnd'; runId: number; turn: number; finishReason: string }
  /**
   * SpecReason mode: who wrote a stretch of the turn's reasoning, `start`/`end` being character
   * offsets in it. `score` is the judge's 0-9 score of the draft (of the rejected draft for
   * `rewritten`), null when it gave none, absent for steps nobody judged.
   */
  | { type: 'reasoningStep'; runId: number; turn: number; author: 'draft' | 'base'; kind: 'reserved' | 'accepted' | 'rewritten' | 'continued'; start: number; end: number; score?: number | null }
  /** A sentence the run must show where it happened (SpecReason falling back to the base model alone). Untrusted text. */
  | { type: 'notice'; runId: number; turn: number; text: string }
  /** `message` is set for every reason but `answer`: a sentence for the user. */
  | { type: 'runEnd'; runId: number; reason: RunEndReason; message?: string }
  | ForkedEvent;

/**
 * The conversation began as a fork of a recorded session: always the first event of its
 * conversation, before any run. `turn` counts the session's model calls from 0 (the UI shows
 * it from 1, as the trace panel labels turns); `messages` is how many it took over.
 */
export interface ForkedEvent {
  type: 'forked';
  title: string;
  turn: number;
  messages: number;
}

/** Everything the webview needs to draw the chat from scratch, apart from the transcript it keeps itself. */
export interface ChatStatePayload {
  /** Changes on every new chat; a webview holding another id's transcript drops it. */
  conversationId: string;
  running: boolean;
  /** Null when the endpoint could not be set up; `problem` then says why. */
  endpoint: EndpointInfo | null;
  problem?: string;
  /** Prompts offered as one-click suggestions on an empty chat. */
  suggestions: string[];
  /** Lines about the tools: why none are offered (Restricted Mode), which server failed. */
  notices?: string[];
  /** Set when this conversation is a fork, so a view that missed the event still shows where it came from. */
  forked?: ForkedEvent;
}

/**
 * How far the chat's backend is from taking a message: the endpoint being opened, then the
 * tools being listed (MCP servers started), then ready; or failed, with a sentence for the user.
 */
export type BackendReadiness = { kind: 'opening' } | { kind: 'listingTools' } | { kind: 'ready' } | { kind: 'failed'; problem: string };

/** A rule file the chat's speculation uses: shipped, named in foresight.speculation.ruleFiles, or added from the editor. */
export interface RuleFileInfo {
  /** What the header shows: the file's base name. Untrusted text. */
  name: string;
  /** Absolute path; the webview sends it back to open the file, the host checks it is listed. */
  path: string;
  origin: 'shipped' | 'settings' | 'chat';
  /** Why its latest text was refused (the previous text is still used). Untrusted text. */
  problem?: string;
}

/** Host → webview. */
export interface HostToWebview {
  /** Sent in answer to `chat/ready` and after a new chat: the whole state. */
  'chat/state': ChatStatePayload;
  /** Sent for every step of a run, in order. */
  'chat/event': { conversationId: string; event: ChatEvent };
  /** Sent when a setting or the API key changed what the chat talks to. */
  'config/changed': { endpoint: EndpointInfo | null; problem?: string; suggestions: string[]; notices?: string[] };
  /** Sent on every change of the backend's readiness; the status says "ready" only after `ready`. */
  'chat/readiness': { readiness: BackendReadiness };
  /** Sent when the rule files the chat uses change (added, saved, settings); `problem`: the latest refusal, for the chat to show. */
  'chat/rules': { files: RuleFileInfo[]; problem?: string };
}

/** A message without payload fields. */
export type EmptyPayload = Record<string, never>;

/** Webview → host. Every payload is checked at run time by `parseWebviewMessage`. */
export interface WebviewToHost {
  /** The webview has loaded (or reloaded) and wants `chat/state`. */
  'chat/ready': EmptyPayload;
  /** The user sent a message. */
  'chat/send': { text: string };
  /** Stop the running run, if any. */
  'chat/stop': EmptyPayload;
  /** Forget the conversation and start a new one. */
  'chat/new': EmptyPayload;
  /** Let the user change the endpoint (the settings), the API key (SecretStorage) or the model (a pick from the endpoint's list). */
  'chat/configure': { what: 'endpoint' | 'apiKey' | 'model' };
  /** Open one of the rule files `chat/rules` listed. */
  'chat/openRuleFile': { path: string };
}

/** How a predicted call ended up, as the trace panel colours it; `pending` until it is known. */
export type TraceOutcome = 'hit' | 'partial' | 'miss' | 'misfire' | 'blocked' | 'skipped' | 'pending';

/** The per-turn figures the trace panel shows; every field is a count or a sum in milliseconds. */
export interface TraceTurnFigures {
  intents: number;
  fired: number;
  hits: number;
  partialHits: number;
  misses: number;
  misfires: number;
  blocked: number;
  wastedMs: number;
  savedMs: number;
  ttaMs: number;
  ttaWithoutMs: number;
  calls: number;
}

/**
 * One step of a trace, as the trace panel draws it. `turn` numbers the model calls of the
 * trace from 0 across runs; `t` is milliseconds since the trace began, never decreasing in
 * the order sent. Intent spans are offsets in that turn's reasoning, which always arrives
 * before the intent that points into it.
 */
export type TraceEvent =
  | { type: 'turnStart'; turn: number; t: number; label: string }
  | { type: 'reasoning'; turn: number; t: number; text: string }
  | {
      type: 'intent';
      turn: number;
      t: number;
      id: number;
      kind: 'call' | 'warm';
      tool: string;
      /** Canonical JSON of the predicted arguments. */
      canonical: string;
      ruleId: string;
      probability: number;
      decision: string;
      span: { start: number; end: number };
      /** Why it ran early or why not; absent in traces made before explanations existed. */
      explanation?: TraceDecisionExplanation;
      /**
       * Sniffed while a proxied turn streamed: `decision` is what speculation would decide (the
       * proxy runs nothing), a prediction made before the turn's calls were known.
       */
      prediction?: true;
    }
  | { type: 'specStart'; turn: number; t: number; specId: number; tool: string; canonical: string; ruleId: string }
  | { type: 'specEnd'; turn: number; t: number; specId: number; status: 'done' | 'error' | 'cancelled' | 'timeout' }
  /** The model's formal call was sealed (its arguments complete). */
  | { type: 'seal'; turn: number; t: number; callId: string; tool: string; arguments: string }
  | { type: 'claim'; turn: number; t: number; callId: string; tool: string; canonical: string; outcome: 'hit' | 'partial' | 'miss' | 'stale'; specId?: number; savedMs: number }
  | { type: 'misfire'; turn: number; t: number; specId: number; tool: string; canonical: string; wastedMs: number }
  | { type: 'figures'; turn: number; t: number; figures: TraceTurnFigures }
  /** A tool call's result as the model got it; `output` is cut to TRACE_OUTPUT_CHARS (`truncated` then says so). */
  | {
      type: 'toolResult';
      turn: number;
      t: number;
      callId: string;
      tool: string;
      arguments: string;
      output: string;
      truncated: boolean;
      isError: boolean;
      /** The tool's own run time (for a call served from an early run, that run's). */
      durationMs: number;
      /** Served from a speculation (`crossTurn`: fired in an earlier turn). */
      served?: 'hit' | 'partial';
      savedMs?: number;
      crossTurn?: boolean;
    }
  /** Answer text the model streamed, appended; `replace` drops what came before (it turned out to be reasoning). */
  | { type: 'answer'; turn: number; t: number; text: string; replace?: boolean }
  /**
   * SpecReason: who wrote a stretch of the turn's reasoning (`start`/`end`, character offsets),
   * and the judge's score of the draft (of the rejected draft for `rewritten`; null: none given).
   */
  | { type: 'reasoningStep'; turn: number; t: number; start: number; end: number; author: 'draft' | 'base'; kind: 'reserved' | 'accepted' | 'rewritten' | 'continued'; score?: number | null }
  /** SpecReason: the turn's figures in one line (steps, acceptance, tokens and time per model, the base model alone's time or "not measured"). */
  | { type: 'specReasonFigures'; turn: number; t: number; text: string };

/** Characters of a tool's output a trace keeps. */
export const TRACE_OUTPUT_CHARS = 2000;

/**
 * Why one predicted call ran early or why not, in words a user can act on, with the figures
 * the decision weighed. Figures the trace could not know (no policy at hand, a probability of
 * 0 or 1 that hides them) are absent.
 */
export interface TraceDecisionExplanation {
  /** Short name of what decided: fired, warmed, blocked, open-world, negated, recap, low-confidence, not-worth-it, budget, concurrency, unknown-tool, already-cached, or the decision itself. */
  gate: string;
  /** One sentence: why it ran early or why not. */
  summary: string;
  /** What the user can change to make it run early (or stop it), when something can. */
  action?: string;
  /** The rule's own confidence. */
  prior: number;
  /** The probability the policy weighed: measured (calibrated) and hedged where those apply. */
  probability: number;
  /** The tool's typical latency, as the policy knew it. */
  latencyMs?: number;
  /** Expected saving, p x latency. */
  savingMs?: number;
  /** Expected cost of an unneeded run, (1 - p) x cost per run, grown with the budget used. */
  costMs?: number;
  /** What one unneeded run costs before the budget weighs in: cost per run + cost factor x latency. */
  costPerRunMs?: number;
  /** Share (0..1) of the turn's speculation budget used when it was decided. */
  budgetUsed?: number;
  budgetMs?: number;
  minConfidence?: number;
}

/** What the trace panel shows: the live chat, or a recorded session being replayed. */
export interface TraceSource {
  kind: 'live' | 'replay';
  title: string;
  /** The session file of a replay. */
  file?: string;
}

/** Where a replay stands; sent whenever any of it changes. */
export interface ReplayState {
  playing: boolean;
  /** 1 to 20. */
  speed: number;
  /** Events delivered so far, of `total`. */
  position: number;
  total: number;
  /** Milliseconds of trace time delivered so far, of `durationMs`. */
  timeMs: number;
  durationMs: number;
  /** Intents are the current rules' (true) or as recorded (false). */
  resniff: boolean;
}

/** Host → trace panel. */
export interface HostToTrace {
  /** Start over: forget every event and show `source`; `replay` is set for a replay only. */
  'trace/reset': { source: TraceSource; replay?: ReplayState };
  /**
   * The next events, in order, and the replay's state when it changed. Every update goes
   * through this one message, so the host can keep to at most 60 messages a second.
   */
  'trace/events': { events: TraceEvent[]; replay?: ReplayState };
}

/** Trace panel → host. Every payload is checked at run time by `parseTraceMessage`. */
export interface TraceToHost {
  /** The panel has loaded (or reloaded) and wants the whole trace again. */
  'trace/ready': EmptyPayload;
  'replay/play': EmptyPayload;
  'replay/pause': EmptyPayload;
  'replay/speed': { speed: number };
  /** Deliver events up to and including the next intent (or formal call). */
  'replay/step': { to: 'intent' | 'call' };
  /** Jump to an event position (0 to total). */
  'replay/seek': { position: number };
  'replay/resniff': { on: boolean };
  /** The user asked to continue the replayed session live from `turn` (0-based); the host asks to confirm. */
  'replay/fork': { turn: number };
}

/** Slowest and fastest replay speeds. */
export const REPLAY_SPEEDS = { min: 1, max: 20 } as const;

/** The envelope of one message of map `M`: a union over its names, so `type` narrows `payload`. */
export type MessageOf<M> = { [K in keyof M & string]: { type: K; payload: M[K] } }[keyof M & string];

export type HostMessage = MessageOf<HostToWebview>;
export type WebviewMessage = MessageOf<WebviewToHost>;
export type HostTraceMessage = MessageOf<HostToTrace>;
export type TraceMessage = MessageOf<TraceToHost>;

/** Longest prompt the host accepts from the webview, in characters. */
export const MAX_PROMPT_CHARS = 100_000;

/**
 * Typed send and receive over one channel: `Out` names what this side sends, `In` what it
 * receives. Handlers run in registration order; one that throws does not stop the others.
 */
export class Messenger<Out, In> {
  private readonly handlers = new Map<string, Set<(payload: unknown) => void>>();

  constructor(
    private readonly post: (message: MessageOf<Out>) => void,
    private readonly onHandlerError: (type: string, error: unknown) => void = () => {},
  ) {}

  send<K extends keyof Out & string>(type: K, payload: Out[K]): void {
    // TypeScript cannot see that `{ type: K, payload: Out[K] }` is one member of the union.
    this.post({ type, payload } as MessageOf<Out>);
  }

  on<K extends keyof In & string>(type: K, handler: (payload: In[K]) => void): { dispose(): void } {
    let set = this.handlers.get(type);
    if (!set) {
      set = new Set();
      this.handlers.set(type, set);
    }
    const stored = handler as (payload: unknown) => void;
    set.add(stored);
    return { dispose: () => void this.handlers.get(type)?.delete(stored) };
  }

  /** Dispatches a message that has already been checked (or comes from the trusted side). */
  receive(message: MessageOf<In>): void {
    const { type, payload } = message as { type: string; payload: unknown };
    for (const handler of [...(this.handlers.get(type) ?? [])]) {
      try {
        handler(payload);
      } catch (err) {
        this.onHandlerError(type, err);
      }
    }
  }
}

/** The outcome of checking an inbound message: the typed message, or why it was refused. */
export type ParseResult<T> = { ok: true; message: T } | { ok: false; problem: string };

type PayloadChecks<M> = { [K in keyof M]: (payload: Record<string, unknown>) => string | undefined };

const webviewPayloadChecks: PayloadChecks<WebviewToHost> = {
  'chat/ready': (p) => onlyKeys(p, []),
  'chat/send': (p) => {
    const extra = onlyKeys(p, ['text']);
    if (extra) return extra;
    if (typeof p.text !== 'string') return '`text` must be a string';
    if (p.text.trim().length === 0) return '`text` must not be blank';
    if (p.text.length > MAX_PROMPT_CHARS) return `\`text\` is longer than ${MAX_PROMPT_CHARS} characters`;
    return undefined;
  },
  'chat/stop': (p) => onlyKeys(p, []),
  'chat/new': (p) => onlyKeys(p, []),
  'chat/configure': (p) => onlyKeys(p, ['what']) ?? (p.what === 'endpoint' || p.what === 'apiKey' || p.what === 'model' ? undefined : '`what` must be "endpoint", "apiKey" or "model"'),
  'chat/openRuleFile': (p) => onlyKeys(p, ['path']) ?? (typeof p.path === 'string' && p.path.length > 0 && p.path.length <= 4096 ? undefined : '`path` must be a non-empty string'),
};

/**
 * Checks a message that arrived from the webview: an object `{ type, payload }` with no other
 * fields, a known `type`, and a payload of exactly that message's shape. Never throws.
 */
export function parseWebviewMessage(value: unknown): ParseResult<WebviewMessage> {
  if (!isPlainObject(value)) return { ok: false, problem: 'a message must be an object' };
  const extra = onlyKeys(value, ['type', 'payload']);
  if (extra) return { ok: false, problem: extra };
  const { type, payload } = value;
  if (typeof type !== 'string' || !Object.hasOwn(webviewPayloadChecks, type)) {
    return { ok: false, problem: `unknown message type ${JSON.stringify(type)}` };
  }
  if (!isPlainObject(payload)) return { ok: false, problem: `${type}: the payload must be an object` };
  const problem = webviewPayloadChecks[type as keyof WebviewToHost](payload);
  if (problem) return { ok: false, problem: `${type}: ${problem}` };
  return { ok: true, message: { type, payload } as WebviewMessage };
}

const hostMessageTypes: Record<keyof HostToWebview, true> = {
  'chat/state': true,
  'chat/event': true,
  'config/changed': true,
  'chat/readiness': true,
  'chat/rules': true,
};

/** An envelope check for messages from the host (trusted, but the webview may also see other posts). */
export function isHostMessage(value: unknown): value is HostMessage {
  return (
    isPlainObject(value) &&
    typeof value.type === 'string' &&
    Object.hasOwn(hostMessageTypes, value.type) &&
    isPlainObject(value.payload)
  );
}

const tracePayloadChecks: PayloadChecks<TraceToHost> = {
  'trace/ready': (p) => onlyKeys(p, []),
  'replay/play': (p) => onlyKeys(p, []),
  'replay/pause': (p) => onlyKeys(p, []),
  'replay/speed': (p) =>
    onlyKeys(p, ['speed']) ??
    (typeof p.speed === 'number' && p.speed >= REPLAY_SPEEDS.min && p.speed <= REPLAY_SPEEDS.max ? undefined : `\`speed\` must be a number from ${REPLAY_SPEEDS.min} to ${REPLAY_SPEEDS.max}`),
  'replay/step': (p) => onlyKeys(p, ['to']) ?? (p.to === 'intent' || p.to === 'call' ? undefined : '`to` must be "intent" or "call"'),
  'replay/seek': (p) =>
    onlyKeys(p, ['position']) ?? (typeof p.position === 'number' && Number.isInteger(p.position) && p.position >= 0 ? undefined : '`position` must be a whole number, 0 or more'),
  'replay/resniff': (p) => onlyKeys(p, ['on']) ?? (typeof p.on === 'boolean' ? undefined : '`on` must be a boolean'),
  'replay/fork': (p) =>
    onlyKeys(p, ['turn']) ?? (typeof p.turn === 'number' && Number.isInteger(p.turn) && p.turn >= 0 ? undefined : '`turn` must be a whole number, 0 or more'),
};

/** Checks a message that arrived from the trace panel, as `parseWebviewMessage` does for the chat. Never throws. */
export function parseTraceMessage(value: unknown): ParseResult<TraceMessage> {
  return parseWith(tracePayloadChecks, value) as ParseResult<TraceMessage>;
}

const hostTraceMessageTypes: Record<keyof HostToTrace, true> = {
  'trace/reset': true,
  'trace/events': true,
};

/** An envelope check for messages from the host to the trace panel. */
export function isHostTraceMessage(value: unknown): value is HostTraceMessage {
  return isPlainObject(value) && typeof value.type === 'string' && Object.hasOwn(hostTraceMessageTypes, value.type) && isPlainObject(value.payload);
}

function parseWith<M>(checks: PayloadChecks<M>, value: unknown): ParseResult<MessageOf<M>> {
  if (!isPlainObject(value)) return { ok: false, problem: 'a message must be an object' };
  const extra = onlyKeys(value, ['type', 'payload']);
  if (extra) return { ok: false, problem: extra };
  const { type, payload } = value;
  if (typeof type !== 'string' || !Object.hasOwn(checks, type)) {
    return { ok: false, problem: `unknown message type ${JSON.stringify(type)}` };
  }
  if (!isPlainObject(payload)) return { ok: false, problem: `${type}: the payload must be an object` };
  const problem = checks[type as keyof M](payload);
  if (problem) return { ok: false, problem: `${type}: ${problem}` };
  return { ok: true, message: { type, payload } as MessageOf<M> };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A complaint naming the first key outside `allowed`, or undefined when there is none. */
function onlyKeys(value: Record<string, unknown>, allowed: readonly string[]): string | undefined {
  const extra = Object.keys(value).find((k) => !allowed.includes(k));
  return extra === undefined ? undefined : `unexpected field ${JSON.stringify(extra)}`;
}
