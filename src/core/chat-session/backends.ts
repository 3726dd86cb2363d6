import OpenAI from 'openai';
import type { Tool } from '../chat/tool.js';
import type { Session } from '../session/format.js';
import { createFileTools } from '../tools/file-tools.js';
import { createRecordedTools } from '../tools/recorded-tools.js';
import { redactUrl } from '../util/redact-url.js';
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
