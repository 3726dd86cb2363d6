import * as vscode from 'vscode';
import { forkPoint } from '../core/chat-session/fork-history.js';
import type { Session } from '../core/session/format.js';
import { ChatViewProvider } from './chat-view.js';
import type { Ctx } from './ctx.js';

/**
 * Continues a recorded session live in the chat from turn `turn` (past the end: its last
 * turn). Opt-in: nothing happens until the user confirms, because the next message goes to
 * the configured endpoint and the current chat is set aside.
 */
export async function forkIntoChat(ctx: Ctx, chat: ChatViewProvider, session: Session, turn: number): Promise<void> {
  const point = forkPoint(session, turn);
  if ('problem' in point) {
    void vscode.window.showWarningMessage(`Foresight: ${point.problem}`);
    return;
  }
  const { title, turn: at } = point.origin;
  const count = `${point.messages.length} message${point.messages.length === 1 ? '' : 's'}`;
  const starts = `The chat starts over with the ${count} sent for that turn, without their reasoning; the current chat is set aside.`;
  if (!ctx.config.settings.baseUrl) {
    // With no endpoint the fork would continue against the demo, which answers only what it recorded.
    const configure = 'Configure Endpoint…';
    const anyway = 'Fork Anyway';
    const answer = await vscode.window.showWarningMessage(
      `Fork «${title}» at turn ${at + 1} into a chat on the demo endpoint?`,
      {
        modal: true,
        detail: `No endpoint is configured (foresight.baseUrl), so your next message would go to the built-in demo endpoint, which can only answer the prompts it has recorded: a new question will most likely get no answer. Configure an endpoint first to continue the conversation with a real model. ${starts}`,
      },
      configure,
      anyway,
    );
    if (answer === configure) {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'foresight.baseUrl');
      return;
    }
    if (answer !== anyway) return;
  } else {
    const fork = 'Fork';
    const answer = await vscode.window.showInformationMessage(
      `Fork «${title}» at turn ${at + 1} into a new chat?`,
      { modal: true, detail: `${starts} Your next message continues them live with the configured endpoint.` },
      fork,
    );
    if (answer !== fork) return;
  }
  if (!chat.fork(point.messages, point.origin)) {
    void vscode.window.showWarningMessage('Foresight: the chat is still answering. Stop it or wait for it to finish, then fork again.');
    return;
  }
  ctx.log.info(`forked «${title}» at turn ${at + 1} into the chat (${count})`);
  await vscode.commands.executeCommand(`${ChatViewProvider.viewType}.focus`);
}
