import * as vscode from 'vscode';
import { ChatViewProvider } from './chat-view.js';
import { registerCommands } from './commands.js';
import { Ctx } from './ctx.js';
import { SniffLanguageClient } from './language-client.js';
import { SessionsView } from './sessions-view.js';
import { TracePanel } from './trace-panel.js';

let ctx: Ctx | undefined;

export function activate(context: vscode.ExtensionContext): void {
  ctx = new Ctx(context);
  const chatView = ctx.own(new ChatViewProvider(ctx));
  ctx.chatView = chatView;
  ctx.own(
    vscode.window.registerWebviewViewProvider(ChatViewProvider.viewType, chatView, {
      webviewOptions: { retainContextWhenHidden: true },
    }),
  );
  // `ctx` is module state that deactivate clears; the closures below keep this activation's.
  const c = ctx;
  const tracePanel = (ctx.tracePanel = ctx.own(new TracePanel(ctx, () => c.speculation.setup(c.config.settings.speculation, true))));
  ctx.own(
    vscode.window.registerWebviewPanelSerializer(TracePanel.viewType, {
      deserializeWebviewPanel: async (panel) => tracePanel.revive(panel),
    }),
  );
  const sessionsView = (ctx.sessionsView = ctx.own(new SessionsView(ctx)));
  ctx.own(vscode.window.registerTreeDataProvider(SessionsView.viewId, sessionsView));
  // Tuning: a replay that re-sniffs follows the rule file as it is typed, debounced.
  let pending: ReturnType<typeof setTimeout> | undefined;
  ctx.own(
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (!e.document.fileName.endsWith('.sniff') || e.contentChanges.length === 0) return;
      if (pending) clearTimeout(pending);
      pending = setTimeout(() => void tracePanel.rulesChanged(), 300);
    }),
  );
  ctx.own({ dispose: () => pending && clearTimeout(pending) });
  ctx.sniffClient = ctx.own(new SniffLanguageClient(ctx));
  registerCommands(ctx);
  ctx.log.info(`Foresight ${ctx.version} activated`);
}

export function deactivate(): void {
  ctx?.dispose();
  ctx = undefined;
}
