import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import { remoteBackend } from '../core/chat-session/backends.js';
import type { ChatBackend } from '../core/chat-session/chat-session.js';
import { UserFacingError } from '../core/chat-session/run-end-message.js';
import { baseUrlProblem, type ChatSettings } from '../core/chat-session/settings.js';
import { redactUrl } from '../core/util/redact-url.js';
import { EmbeddedEndpoint } from './embedded-endpoint.js';

/** A backend with what the chat offers alongside it; disposing it releases the endpoint. */
export interface OpenBackend extends vscode.Disposable {
  readonly backend: ChatBackend;
  readonly suggestions: string[];
}

export interface BackendDeps {
  settings: ChatSettings;
  apiKey: string | undefined;
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
}

/** The embedded demo when foresight.baseUrl is empty, else the configured endpoint with the file tools. */
export async function openBackend({ settings, apiKey, extensionUri, log }: BackendDeps): Promise<OpenBackend> {
  if (!settings.baseUrl) return EmbeddedEndpoint.start(extensionUri, settings.demoTokensPerSecond, log);
  const problem = baseUrlProblem(settings.baseUrl);
  if (problem) throw new UserFacingError(problem);
  const toolRoot = resolveToolRoot(settings.toolRoot);
  if (!toolRoot) log.info('no tool root (no foresight.toolRoot and no workspace folder): the chat offers no tools');
  log.info(`endpoint ${redactUrl(settings.baseUrl)}, model ${settings.model || '(first listed)'}, ${apiKey ? 'with' : 'without'} an API key`);
  return {
    backend: remoteBackend({ baseUrl: settings.baseUrl, apiKey, model: settings.model, ...(toolRoot ? { toolRoot } : {}) }),
    suggestions: [],
    dispose() {},
  };
}

/** foresight.toolRoot, relative paths taken from the first workspace folder; else that folder. */
function resolveToolRoot(configured: string): string | undefined {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath;
  if (!configured) return folder;
  if (isAbsolute(configured)) return configured;
  return folder ? join(folder, configured) : undefined;
}
