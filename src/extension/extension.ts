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
  const tracePanel = (ctx.tracePanel = ctx.own(new TracePanel(ctx, () => c.speculation.setup(c.config.settings.speculation))));
  ctx.own(
    vscode.window.registerWebviewPanelSerializer(TracePanel.viewType, {
      deserializeWebviewPanel: async (panel) => tracePanel.revive(panel),
    }),
  );
  const sessionsView = (ctx.sessionsView = ctx.own(new SessionsView(ctx)));
  ctx.own(vscode.window.registerTreeDataProvider(SessionsView.viewId, sessionsView));
  ctx.own(
    vscode.workspace.onDidSaveTextDocument((doc) => {
      if (doc.fileName.endsWith('.sniff')) void tracePanel.rulesChanged();
    }),
  );
  ctx.sniffClient = ctx.own(new SniffLanguageClient(ctx));
  registerCommands(ctx);
  ctx.log.info(`Foresight ${ctx.version} activated`);
}

export function deactivate(): void {
  ctx?.dispose();
  ctx = undefined;
}
