import * as vscode from 'vscode';
import { ChatViewProvider } from './chat-view.js';
import { registerCommands } from './commands.js';
import { Ctx } from './ctx.js';

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
  registerCommands(ctx);
  ctx.log.info(`Foresight ${ctx.version} activated`);
}

export function deactivate(): void {
  ctx?.dispose();
  ctx = undefined;
}
