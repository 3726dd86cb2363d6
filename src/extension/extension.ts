import * as vscode from 'vscode';
import { ChatViewProvider } from './chat-view.js';
import { registerCommands } from './commands.js';
import { Ctx } from './ctx.js';
import { forkIntoChat } from './fork-into-chat.js';
import { SniffLanguageClient } from './language-client.js';
import { sendRecordingToCollector } from './otlp-export.js';
import { ProxyController } from './proxy-controller.js';
import { RuleTestController } from './rule-tests.js';
import { replaceAsking, SessionsView } from './sessions-view.js';
import { TracePanel } from './trace-panel.js';

let ctx: Ctx | undefined;

/**
 * Composes the extension in one place: the shared `Ctx`, then the views, each given the others
 * it talks to (the chat feeds the trace panel; the trace panel forks into the chat), then the
 * commands over all of them.
 */
export function activate(context: vscode.ExtensionContext): void {
  const c = (ctx = new Ctx(context));
  // The chat and the trace panel reach each other only from callbacks, which run after both exist.
  const trace = c.own(
    new TracePanel(
      c,
      () => c.speculation.setup(c.config.settings.speculation, true),
      (session, turn) => void forkIntoChat(c, chat, session, turn),
    ),
  );
  const chat = c.own(
    new ChatViewProvider(
      c,
      (conversationId, runId, event) => trace.onAgentEvent(conversationId, runId, event),
      (path) => {
        sessions.refresh();
        void sendRecordingToCollector(c, path);
      },
    ),
  );
  c.own(vscode.window.registerWebviewViewProvider(ChatViewProvider.viewType, chat, { webviewOptions: { retainContextWhenHidden: true } }));
  c.own(vscode.window.registerWebviewPanelSerializer(TracePanel.viewType, { deserializeWebviewPanel: async (panel) => trace.revive(panel) }));
  const sessions = c.own(new SessionsView(c));
  c.own(vscode.window.registerTreeDataProvider(SessionsView.viewId, sessions));
  // The Demo folder follows foresight.demo.sessionsDir.
  c.own(c.config.onDidChange((change) => change.backendChanged && sessions.refresh()));
  // Tuning: a replay that re-sniffs follows the rule file as it is typed, debounced.
  let pending: ReturnType<typeof setTimeout> | undefined;
  c.own(
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (!e.document.fileName.endsWith('.sniff') || e.contentChanges.length === 0) return;
      if (pending) clearTimeout(pending);
      pending = setTimeout(() => void trace.rulesChanged(), 300);
    }),
  );
  c.own({ dispose: () => pending && clearTimeout(pending) });
  const sniff = c.own(new SniffLanguageClient(c));
  c.own(new RuleTestController(c, sniff));
  const proxy = c.own(
    new ProxyController(c, {
      sessionsChanged: () => {
        sessions.refresh();
        sniff.sessionsChanged();
      },
      openSession: (session, file) => replaceAsking(trace, session, file),
      followSession: (file, title, sofar) => trace.followProxied(file, title, sofar),
      proxiedEvents: (file, events) => trace.proxiedEvents(file, events),
      followed: () => trace.followedProxied,
    }),
  );
  registerCommands(c, { chat, trace, sessions, sniff, proxy });
  c.log.info(`Foresight ${c.version} activated`);
}

export function deactivate(): void {
  ctx?.dispose();
  ctx = undefined;
}
