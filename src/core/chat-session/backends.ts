import OpenAI from 'openai';
import { specReasonTurns } from './spec-reason-turns.js';
import type { TurnStreamer } from '../agent/agent-loop.js';
import type { Tool } from '../chat/tool.js';
import type { ToolSpec } from '../chat/types.js';
import { problemMessage } from '../specreason/spec-problems.js';
import { emptySpecReasonMetrics } from '../specreason/spec-tally.js';
import type { SpecReasonSettings } from '../specreason/specreason-settings.js';
import { streamChat } from '../stream/chat-stream.js';

import type { Session } from '../session/format.js';
import { createFileTools } from '../tools/file-tools.js';
import { createRecordedTools } from '../tools/recorded-tools.js';
import { redactorFor, redactUrl } from '../util/redact-url.js';
import type { ChatBackend } from './chat-session.js';
import { UserFacingError } from './run-end-message.js';

/** How the chat's OpenAI clients are made: one retry, and a placeholder key where none is needed. */
export function createClient(baseUrl: string, apiKey: string | undefined): OpenAI {
  return new OpenAI({ baseURL: baseUrl, apiKey: apiKey ?? 'not-needed', maxRetries: 1 });
}

export interface RemoteBackendOptions {
  /** Normalised and checked base URL (see `baseUrlProblem`). */
  baseUrl: string;
  apiKey?: string;
  /** Empty: the first model the endpoint lists, asked once and remembered. */
  model: string;
  /** Folder the file tools may read; undefined offers no tools. */
  toolRoot?: string;
  /** Replaces the client, for tests. */
  client?: OpenAI;
}

/**
 * A backend for an endpoint the user configured, offering the read-only file tools over
 * `toolRoot`. Its `endpoint.baseUrl` (shown, recorded, quoted in errors) carries no
 * credential; only the client has the URL as configured. A model listing that fails is not
 * remembered, so the next run asks again.
 */
export function remoteBackend(options: RemoteBackendOptions): ChatBackend {
  const client = options.client ?? createClient(options.baseUrl, options.apiKey);
  const tools: Tool[] = options.toolRoot ? createFileTools(options.toolRoot) : [];
  let listed: Promise<string> | undefined;
  const shownUrl = redactUrl(options.baseUrl);
  const backend: ChatBackend = {
    endpoint: { kind: 'remote', baseUrl: shownUrl, model: options.model || null, tools: tools.map((t) => t.name) },
    client,
    tools,
    resolveModel(signal) {
      if (options.model) return Promise.resolve(options.model);
      listed ??= firstListedModel(client, shownUrl, signal).then(
        (model) => {
          backend.endpoint.model = model;
          return model;
        },
        (err: unknown) => {
          listed = undefined;
          throw err;
        },
      );
      return listed;
    },
  };
  return backend;
}

async function firstListedModel(client: OpenAI, baseUrl: string, signal: AbortSignal): Promise<string> {
  const page = await client.models.list({ signal });
  const first = page.data[0]?.id;
  if (!first) {
    throw new UserFacingError(`The endpoint ${baseUrl} lists no models. Set foresight.model to the model id to use.`);
  }
  return first;
}

/**
 * A backend for a replay endpoint serving `sessions` (the embedded demo): the endpoint's first
 * model, and recorded stand-ins for the sessions' tools (at their recorded latency unless
 * `toolLatencyMs` is given).
 */
export function replayBackend(
  endpoint: { baseUrl: string; models: readonly string[] },
  sessions: readonly Session[],
  options: { toolLatencyMs?: number } = {},
): ChatBackend {
  const tools = createRecordedTools(sessions, options.toolLatencyMs !== undefined ? { latencyMs: options.toolLatencyMs } : {});
  const model = endpoint.models[0];
  return {
    endpoint: { kind: 'demo', baseUrl: endpoint.baseUrl, model: model ?? null, tools: tools.map((t) => t.name) },
    client: createClient(endpoint.baseUrl, undefined),
    tools,
    resolveModel() {
      if (model === undefined) {
        return Promise.reject(new UserFacingError('The demo endpoint has no sessions to serve; see "Foresight: Show Log" for why they did not load.'));
      }
      return Promise.resolve(model);
    },
  };
}

export interface SpecReasonBackendOptions {
  /** The draft model's endpoint; `model` empty asks it for its first listed model, once per backend. */
  draft: { client: OpenAI; model: string; baseUrl: string };
  settings: SpecReasonSettings;
  /** The base model's name when it is not the run's (the embedded demo's scripts name theirs). */
  baseModel?: string;
  /** Tools the models are told about instead of the run's (see `specReasonTurns`). */
  shownTools?: ToolSpec[];
  now?: () => number;
}

/**
 * `base` with every turn in SpecReason mode: the draft model drafts the reasoning, and the
 * base backend's client and model judge the steps, rewrite the rejected ones and answer. When
 * the draft endpoint cannot even name its model, the turn says so (a `fallback` event) and
 * runs on the base model alone: never silently.
 */
export function withSpecReason(base: ChatBackend, options: SpecReasonBackendOptions): ChatBackend {
  const { draft, settings } = options;
  let listed: Promise<string> | undefined;
  let known: string | null = draft.model || null;
  const draftModel = (signal: AbortSignal | undefined): Promise<string> => {
    if (draft.model) return Promise.resolve(draft.model);
    listed ??= firstListedModel(draft.client, redactUrl(draft.baseUrl), signal ?? new AbortController().signal).then(
      (model) => (known = model),
      (err: unknown) => {
        listed = undefined;
        throw err;
      },
    );
    return listed;
  };
  const streamTurn: TurnStreamer = async function* (request, streamOptions) {
    let model: string;
    try {
      model = await draftModel(streamOptions.signal);
    } catch (err) {
      const detail = redactorFor(draft.baseUrl)(err instanceof Error ? err.message : String(err));
      const fallback = { reason: 'draftUnavailable' as const, message: problemMessage('draftUnavailable', `it listed no model: ${detail}`, settings.topLogprobs) };
      streamOptions.onSpecReason?.({ type: 'fallback', ...fallback });
      const { onSpecReason, ...plain } = streamOptions;
      yield* streamChat(base.client, options.baseModel ? { ...request, model: options.baseModel } : request, plain);
      // The recording keeps the fallback too; no step was drafted or judged.
      onSpecReason?.({ type: 'turnSummary', summary: { steps: [], metrics: emptySpecReasonMetrics(), fallback } });
      return;
    }
    const turns = specReasonTurns(
      {
        draft: { client: draft.client, model },
        base: { client: base.client, model: options.baseModel ?? request.model },
        settings,
        now: options.now ?? (() => performance.now()),
      },
      options.shownTools,
    );
    yield* turns(request, streamOptions);
  };
  const shownDraftUrl = redactUrl(draft.baseUrl);
  return {
    ...base,
    // A getter: the base backend fills in its model once listed, and so does the draft here.
    get endpoint() {
      return { ...base.endpoint, specReason: { draftModel: known, draftBaseUrl: shownDraftUrl } };
    },
    streamTurn,
  };
}
