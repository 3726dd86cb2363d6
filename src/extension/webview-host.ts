import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { chatHtml } from '../core/chat-session/chat-html.js';

/** The folders a Foresight webview may load from: the built bundles and the media. */
export function webviewResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'out'), vscode.Uri.joinPath(extensionUri, 'media')];
}

/** Webview options for a Foresight page: scripts on, resources only from `out/` and `media/`. */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: webviewResourceRoots(extensionUri) };
}

/**
 * The page of the webview `page` (its bundle `out/webview/<page>.js`, its style
 * `media/<page>.css`) under a content security policy with a fresh nonce for every load.
 */
export function webviewPage(webview: vscode.Webview, extensionUri: vscode.Uri, page: 'chat' | 'trace', title?: string): string {
  return chatHtml({
    cspSource: webview.cspSource,
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'out', 'webview', `${page}.js`)).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', `${page}.css`)).toString(),
    nonce: randomBytes(18).toString('base64'),
    ...(title ? { title } : {}),
  });
}
