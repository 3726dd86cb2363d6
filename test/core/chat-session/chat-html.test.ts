import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chatHtml } from '../../../src/core/chat-session/chat-html.js';

describe('chatHtml', () => {
  const html = chatHtml({
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/out/webview/chat.js',
    styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/chat.css',
    nonce: 'abc123+/=',
  });
  const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '';

  it('denies everything by default and runs only the script with the nonce', () => {
    assert.match(csp, /^default-src 'none';/);
    assert.match(csp, /script-src 'nonce-abc123\+\/='/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
  });

  it('loads styles, fonts and images only from the extension', () => {
    assert.match(csp, /style-src https:\/\/file\+\.vscode-resource\.vscode-cdn\.net(;|$)/);
    assert.doesNotMatch(csp, /https?:\/\/(?!file\+\.vscode-resource)/);
  });

  it('has exactly one script, the bundle, carrying the nonce', () => {
    const scripts = html.match(/<script[^>]*>/g) ?? [];
    assert.deepEqual(scripts, ['<script nonce="abc123+/=" src="https://file+.vscode-resource.vscode-cdn.net/ext/out/webview/chat.js">']);
  });

  it('escapes quotes in the values it is given', () => {
    const page = chatHtml({ cspSource: 'x', scriptUri: 'a"onload="b', styleUri: 's', nonce: 'n' });
    assert.ok(page.includes('src="a&quot;onload=&quot;b"'));
  });
});
