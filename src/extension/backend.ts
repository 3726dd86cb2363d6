import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import type { Tool } from '../core/chat/tool.js';
import { createClient, remoteBackend, withSpecReason } from '../core/chat-session/backends.js';
import type { ChatBackend } from '../core/chat-session/chat-session.js';
import { UserFacingError } from '../core/chat-session/run-end-message.js';
import { baseUrlProblem, draftBaseUrlProblem, type ChatSettings } from '../core/chat-session/settings.js';
import { redactUrl } from '../core/util/redact-url.js';
import { EmbeddedEndpoint } from './embedded-endpoint.js';
import { editorToolHost } from './tool-host.js';
import { ToolSet, withStandIns } from './tool-set.js';

/** A backend with what the chat offers alongside it; disposing it releases the endpoint, the MCP servers and the code runner. */
export interface OpenBackend extends vscode.Disposable {
  /** The endpoint as the chat header shows it; its tools are those known so far. */
  readonly backend: ChatBackend;
  readonly suggestions: string[];
  readonly tools: ToolSet;
  /** Problems of the latest tool listing (a server that did not start), for the chat header. */
  readonly toolProblems: readonly string[];
  /** Lists the tools now (starting the MCP servers and the code runner), so the chat is ready before the first message. */
  prepare(signal: AbortSignal): Promise<void>;
  /** The backend of one run, with its tools listed now (MCP servers start on the first). */
  forRun(signal: AbortSignal): Promise<ChatBackend>;
}

export interface BackendDeps {
  settings: ChatSettings;
  apiKey: string | undefined;
  /** SpecReason's draft endpoint key (SecretStorage); never logged. */
  draftApiKey: string | undefined;
  /** Folder of the sessions the embedded endpoint serves. */
  demoSessionsDir: string;
  /** Folder of the hand-written SpecReason turns the embedded endpoint serves in SpecReason mode. */
  specReasonDemoDir: string;
  log: vscode.LogOutputChannel;
}

/**
 * The embedded demo when foresight.baseUrl is empty (its recorded stand-ins answer what no real
 * tool does), else the configured endpoint; both with the tools of `ToolSet`. In SpecReason
 * mode the configured endpoint is the base model and foresight.specReason.draftBaseUrl (else the
 * same endpoint) the draft; the demo serves both roles itself.
 */
export async function openBackend({ settings, apiKey, draftApiKey, demoSessionsDir, specReasonDemoDir, log }: BackendDeps): Promise<OpenBackend> {
  const toolRoot = resolveToolRoot(settings.toolRoot);
  const tools = new ToolSet(settings, await editorToolHost(toolRoot, log));
  try {
    if (!settings.baseUrl) {
      const specReason = settings.specReason.enabled ? { settings: settings.specReason, dir: specReasonDemoDir } : undefined;
      const demo = await EmbeddedEndpoint.start(demoSessionsDir, settings.demoTokensPerSecond, log, specReason);
      return withTools(demo.backend, demo.suggestions, tools, (real) => withStandIns(real, demo.backend.tools), () => demo.dispose());
    }
    const problem = baseUrlProblem(settings.baseUrl);
    if (problem) throw new UserFacingError(problem);
    if (!toolRoot) log.info('no tool root (no foresight.toolRoot and no workspace folder): the chat offers no workspace tools');
    log.info(`endpoint ${redactUrl(settings.baseUrl)}, model ${settings.model || '(first listed)'}, ${apiKey ? 'with' : 'without'} an API key`);
    const remote = remoteBackend({ baseUrl: settings.baseUrl, apiKey, model: settings.model });
    return withTools(settings.specReason.enabled ? specReasonOn(remote, settings, apiKey, draftApiKey, log) : remote, [], tools, (real) => real, () => {});
  } catch (err) {
    tools.dispose();
    throw err;
  }
}

/** The remote backend in SpecReason mode: the draft client from the draft settings and key (the base endpoint's when no draft endpoint is set). */
function specReasonOn(remote: ChatBackend, settings: ChatSettings, apiKey: string | undefined, draftApiKey: string | undefined, log: vscode.LogOutputChannel): ChatBackend {
  const { draftBaseUrl, draftModel, loop } = settings.specReason;
  if (draftBaseUrl) {
    const problem = draftBaseUrlProblem(draftBaseUrl);
    if (problem) throw new UserFacingError(problem);
  }
  const url = draftBaseUrl || settings.baseUrl;
  const key = draftBaseUrl ? draftApiKey : (draftApiKey ?? apiKey);
  log.info(`SpecReason mode: draft ${redactUrl(url)}, model ${draftModel || '(first listed)'}, ${key ? 'with' : 'without'} an API key; threshold ${loop.threshold}, ${loop.scoring} scoring`);
  return withSpecReason(remote, { draft: { client: createClient(url, key), model: draftModel, baseUrl: url }, settings: loop });
}

function withTools(base: ChatBackend, suggestions: string[], tools: ToolSet, offered: (real: Tool[]) => Tool[], release: () => void): OpenBackend {
  let known: readonly Tool[] = base.tools;
  let toolProblems: readonly string[] = [];
  // A listing in which every server answered is kept by the tool set, so preparing costs the first run nothing.
  const list = async (signal: AbortSignal) => {
    const listing = await tools.list(signal);
    known = offered(listing.tools);
    toolProblems = listing.problems;
    return listing;
  };
  const open: OpenBackend = {
    get backend() {
      return { ...base, endpoint: { ...base.endpoint, tools: known.map((t) => t.name) }, tools: known, resolveModel: (signal: AbortSignal) => base.resolveModel(signal) };
    },
    suggestions,
    tools,
    get toolProblems() {
      return toolProblems;
    },
    async prepare(signal) {
      await list(signal);
    },
    async forRun(signal) {
      const listing = await list(signal);
      return { ...open.backend, openWorldTools: listing.openWorldAllowed };
    },
    dispose() {
      tools.dispose();
      release();
    },
  };
  return open;
}

/** foresight.toolRoot, relative paths taken from the first workspace folder; else that folder. */
function resolveToolRoot(configured: string): string | undefined {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath;
  if (!configured) return folder;
  if (isAbsolute(configured)) return configured;
  return folder ? join(folder, configured) : undefined;
}
