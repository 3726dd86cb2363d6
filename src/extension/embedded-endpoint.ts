import * as vscode from 'vscode';
import type { ChatBackend } from '../core/chat-session/chat-session.js';
import { replayBackend } from '../core/chat-session/backends.js';
import { loadDemoSessions } from '../core/chat-session/demo-sessions.js';
import { LocalEndpoint } from '../core/endpoint/local-endpoint.js';

/**
 * The default when foresight.baseUrl is empty: the sessions of `dir` (the hand-written demos in
 * media/demo-sessions, or foresight.demo.sessionsDir) served on 127.0.0.1 (a free port), with
 * recorded stand-ins as tools.
 */
export class EmbeddedEndpoint implements vscode.Disposable {
  private constructor(
    private readonly endpoint: LocalEndpoint,
    readonly backend: ChatBackend,
    readonly suggestions: string[],
  ) {}

  static async start(dir: string, tokensPerSecond: number | null, log: vscode.LogOutputChannel): Promise<EmbeddedEndpoint> {
    const demo = await loadDemoSessions(dir);
    for (const p of demo.problems) log.warn(`demo session ${p.file}:${p.line}: ${p.message}`);
    const endpoint = await LocalEndpoint.start({
      sessions: demo.sessions,
      port: 0,
      tokensPerSecond,
      log: (line) => log.debug(`demo endpoint: ${line}`),
    });
    log.info(`demo endpoint on ${endpoint.baseUrl}: ${demo.sessions.length} session(s) from ${dir}`);
    return new EmbeddedEndpoint(endpoint, replayBackend(endpoint, demo.sessions), demo.suggestions);
  }

  dispose(): void {
    this.endpoint.dispose();
  }
}
