import * as vscode from 'vscode';
import type { ChatBackend } from '../core/chat-session/chat-session.js';
import { replayBackend } from '../core/chat-session/backends.js';
import { loadDemoSessions } from '../core/chat-session/demo-sessions.js';
import type { SpecReasonChatSettings } from '../core/chat-session/settings.js';
import { loadSpecReasonDemo, specReasonDemoBackend } from '../core/chat-session/specreason-demo.js';
import { LocalEndpoint } from '../core/endpoint/local-endpoint.js';

/** SpecReason mode on the embedded endpoint: its settings and the folder of hand-written SpecReason turns. */
export interface EmbeddedSpecReason {
  settings: SpecReasonChatSettings;
  dir: string;
}

/**
 * The default when foresight.baseUrl is empty: the sessions of `dir` (the hand-written demos in
 * media/demo-sessions, or foresight.demo.sessionsDir) served on 127.0.0.1 (a free port), with
 * recorded stand-ins as tools. In SpecReason mode it also serves the hand-written SpecReason
 * turns of media/specreason for both roles (draft and base are its two model names), and the
 * suggestions are their prompts.
 */
export class EmbeddedEndpoint implements vscode.Disposable {
  private constructor(
    private readonly endpoint: LocalEndpoint,
    readonly backend: ChatBackend,
    readonly suggestions: string[],
  ) {}

  static async start(dir: string, tokensPerSecond: number | null, log: vscode.LogOutputChannel, specReason?: EmbeddedSpecReason): Promise<EmbeddedEndpoint> {
    const demo = await loadDemoSessions(dir);
    for (const p of demo.problems) log.warn(`demo session ${p.file}:${p.line}: ${p.message}`);
    const spec = specReason ? await loadSpecReasonDemo(specReason.dir) : undefined;
    for (const p of spec?.problems ?? []) log.warn(`SpecReason demo: ${p}`);
    const endpoint = await LocalEndpoint.start({
      sessions: demo.sessions,
      ...(spec ? { exchanges: spec.exchanges } : {}),
      port: 0,
      tokensPerSecond,
      log: (line) => log.debug(`demo endpoint: ${line}`),
    });
    log.info(`demo endpoint on ${endpoint.baseUrl}: ${demo.sessions.length} session(s) from ${dir}${spec ? `, ${spec.exchanges.length} SpecReason exchange(s) from ${specReason?.dir}` : ''}`);
    const replay = replayBackend(endpoint, demo.sessions);
    const backend = spec && specReason ? specReasonDemoBackend(replay, spec, specReason.settings.loop) : undefined;
    if (!spec || !backend) return new EmbeddedEndpoint(endpoint, replay, demo.suggestions);
    // The recorded sessions have no draft steps to serve, so in this mode only the SpecReason prompts are offered.
    return new EmbeddedEndpoint(endpoint, backend, spec.suggestions);
  }

  dispose(): void {
    this.endpoint.dispose();
  }
}
