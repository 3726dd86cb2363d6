import { mkdir } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { Ctx } from './ctx.js';
import { forkIntoChat } from './fork-into-chat.js';
import { promptForApiKey } from './secrets.js';
import { SessionItem } from './sessions-view.js';

type CommandFactory = (ctx: Ctx) => () => unknown;

/** Every command of package.json's `contributes.commands`, by id. */
const commands = {
  'foresight.setApiKey': (ctx) => () => promptForApiKey(ctx.apiKey),
  'foresight.clearApiKey': (ctx) => async () => {
    await ctx.apiKey.clear();
    void vscode.window.showInformationMessage('Foresight: API key removed.');
  },
  'foresight.newChat': (ctx) => () => ctx.chatView?.newChat(),
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
  'foresight.openTrace': (ctx) => () => ctx.tracePanel?.open(),
  'foresight.sessions.refresh': (ctx) => () => ctx.sessionsView?.refresh(),
  'foresight.sessions.import': (ctx) => () => ctx.sessionsView?.import(),
  'foresight.sessions.open': (ctx) => (item?: unknown) => (item instanceof SessionItem ? ctx.tracePanel?.openReplay(item.session, item.file) : undefined),
  'foresight.sessions.export': (ctx) => (item?: unknown) => ctx.sessionsView?.export(item instanceof SessionItem ? item : undefined),
  'foresight.sessions.delete': (ctx) => (item?: unknown) => ctx.sessionsView?.delete(item instanceof SessionItem ? item : undefined),
  // From the tree there is no turn on screen: fork at the session's last turn.
  'foresight.sessions.fork': (ctx) => (item?: unknown) => (item instanceof SessionItem ? forkIntoChat(ctx, item.session, Number.MAX_SAFE_INTEGER) : undefined),
  'foresight.chooseRuleSessions': (ctx) => () => ctx.sniffClient?.chooseSessions(),
} satisfies Record<string, CommandFactory>;

/** Registers the table; each handler is made once, for this ctx. */
export function registerCommands(ctx: Ctx): void {
  for (const [id, factory] of Object.entries(commands)) {
    ctx.own(vscode.commands.registerCommand(id, factory(ctx)));
  }
}
