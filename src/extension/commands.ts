import { mkdir } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { ChatViewProvider } from './chat-view.js';
import type { Ctx } from './ctx.js';
import { forkIntoChat } from './fork-into-chat.js';
import { saveSessionAsOtlp } from './otlp-export.js';
import { trustServer, untrustServer } from './mcp-trust.js';
import type { SniffLanguageClient } from './language-client.js';
import type { ProxyController } from './proxy-controller.js';
import { promptForApiKey, promptForDraftApiKey } from './secrets.js';
import { replaceAsking, SessionItem, type SessionsView } from './sessions-view.js';
import type { TracePanel } from './trace-panel.js';

/** The parts commands act on, built by `extension.ts`. */
export interface Parts {
  chat: ChatViewProvider;
  trace: TracePanel;
  sessions: SessionsView;
  sniff: SniffLanguageClient;
  proxy: ProxyController;
}

type CommandFactory = (ctx: Ctx, parts: Parts) => () => unknown;

/** Every command of package.json's `contributes.commands`, by id. */
const commands = {
  'foresight.setApiKey': (ctx) => () => promptForApiKey(ctx.apiKey),
  'foresight.clearApiKey': (ctx) => async () => {
    await ctx.apiKey.clear();
    void vscode.window.showInformationMessage('Foresight: API key removed.');
  },
  'foresight.setDraftApiKey': (ctx) => () => promptForDraftApiKey(ctx.draftApiKey),
  'foresight.clearDraftApiKey': (ctx) => async () => {
    await ctx.draftApiKey.clear();
    void vscode.window.showInformationMessage('Foresight: draft model API key removed.');
  },
  'foresight.newChat': (_ctx, parts) => () => parts.chat.newChat(),
  'foresight.showLog': (ctx) => () => ctx.log.show(),
  'foresight.openSessionsFolder': (ctx) => async () => {
    const dir = ctx.sessionsDir();
    await mkdir(dir, { recursive: true });
    if (vscode.env.remoteName === undefined && vscode.env.uiKind === vscode.UIKind.Desktop) {
      await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(dir));
      return;
    }
    // Remote and web windows cannot open a folder of the extension host's machine in the OS.
    const copy = 'Copy Path';
    if ((await vscode.window.showInformationMessage(`Foresight records sessions in ${dir}`, copy)) === copy) {
      await vscode.env.clipboard.writeText(dir);
    }
  },
  'foresight.openTrace': (_ctx, parts) => () => parts.trace.open(),
  'foresight.sessions.refresh': (_ctx, parts) => () => parts.sessions.refresh(),
  'foresight.sessions.import': (_ctx, parts) => () => parts.sessions.import(),
  'foresight.sessions.open': (_ctx, parts) => (item?: unknown) => (item instanceof SessionItem ? replaceAsking(parts.trace, item.session, item.file) : undefined),
  'foresight.sessions.export': (_ctx, parts) => (item?: unknown) => parts.sessions.export(item instanceof SessionItem ? item : undefined),
  'foresight.sessions.exportOtlp': (ctx) => (item?: unknown) => (item instanceof SessionItem ? saveSessionAsOtlp(ctx, item.session, item.file) : undefined),
  'foresight.sessions.delete': (_ctx, parts) => (item?: unknown) => parts.sessions.delete(item instanceof SessionItem ? item : undefined),
  // From the tree there is no turn on screen: fork at the session's last turn.
  'foresight.sessions.fork': (ctx, parts) => (item?: unknown) => (item instanceof SessionItem ? forkIntoChat(ctx, parts.chat, item.session, Number.MAX_SAFE_INTEGER) : undefined),
  'foresight.chooseRuleSessions': (_ctx, parts) => () => parts.sniff.chooseSessions(),
  // From the editor title or context menu VS Code passes the file's URI; from the palette, the active editor's.
  'foresight.useRuleFileInChat': (_ctx, parts) => (uri?: unknown) => {
    const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
    return target ? parts.chat.useRuleFile(target) : vscode.window.showInformationMessage('Foresight: open a .sniff rule file first.');
  },
  'foresight.mcp.trustServer': (ctx) => () => trustServer(ctx),
  'foresight.mcp.untrustServer': (ctx) => () => untrustServer(ctx),
  'foresight.startRecordingProxy': (_ctx, parts) => () => parts.proxy.start(),
  'foresight.stopRecordingProxy': (_ctx, parts) => () => parts.proxy.stop(),
  'foresight.copyRecordingProxyUrl': (_ctx, parts) => () => parts.proxy.showUrl(),
} satisfies Record<string, CommandFactory>;

/** Registers the table; each handler is made once, for this ctx and these parts. */
export function registerCommands(ctx: Ctx, parts: Parts): void {
  for (const [id, factory] of Object.entries(commands)) {
    ctx.own(vscode.commands.registerCommand(id, factory(ctx, parts)));
  }
}
