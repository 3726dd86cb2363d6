// A page standing in for the VS Code host: serves a webview bundle (out/webview/*.js) and its
// stylesheet from 127.0.0.1 under the same kind of CSP as the real webview, provides
// `acquireVsCodeApi` (recording posted messages and state), and defines the --vscode-* theme
// variables the page uses, so the bundle runs in real Chromium exactly as it ships.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

// Bundled into the benchmark (CommonJS) import.meta is empty; the benchmark runs from the repository root.
export const repoRoot = import.meta.url ? resolve(dirname(fileURLToPath(import.meta.url)), '..', '..') : process.cwd();
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** A subset of the Dark Modern theme's colours: enough for every variable the pages use. */
const THEME = {
  'font-family': 'system-ui, sans-serif',
  'font-size': '13px',
  'editor-font-family': 'monospace',
  'editor-font-size': '13px',
  foreground: '#cccccc',
  'editor-foreground': '#cccccc',
  'editor-background': '#1f1f1f',
  'sideBar-background': '#181818',
  descriptionForeground: '#9d9d9d',
  errorForeground: '#f85149',
  'panel-border': '#2b2b2b',
  'widget-border': '#313131',
  'editorWidget-background': '#202020',
  'badge-background': '#616161',
  'badge-foreground': '#f8f8f8',
  'textCodeBlock-background': '#2b2b2b',
  'textLink-foreground': '#4daafc',
  'input-background': '#313131',
  'charts-green': '#89d185',
  'charts-red': '#f14c4c',
  'charts-yellow': '#cca700',
  'charts-blue': '#3794ff',
  'charts-purple': '#b180d7',
  'editorHoverWidget-background': '#202020',
  'editorHoverWidget-foreground': '#cccccc',
  'editorHoverWidget-border': '#454545',
  'editor-findMatchHighlightBackground': '#9e6a03',
  'button-background': '#0078d4',
  'button-foreground': '#ffffff',
};

function page(kind, nonce, csp) {
  const vars = Object.entries(THEME)
    .map(([k, v]) => `--vscode-${k}: ${v};`)
    .join(' ');
  const policy = csp ? `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'nonce-${nonce}'">` : '';
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">${policy}
<link rel="stylesheet" href="/theme.css"><link rel="stylesheet" href="/media/${kind}.css"><title>harness</title></head>
<body><div id="app"></div>
<script nonce="${nonce}" src="/host-stub.js"></script>
<script nonce="${nonce}" src="/out/webview/${kind}.js"></script></body></html>`;
}

// Records what the page posts and persists, as the webview host would.
const HOST_STUB = `
window.__posted = [];
window.__state = JSON.parse(sessionStorage.getItem('harness-state') || 'null');
window.acquireVsCodeApi = () => ({
  postMessage: (m) => window.__posted.push(m),
  getState: () => window.__state,
  setState: (s) => { window.__state = s; sessionStorage.setItem('harness-state', JSON.stringify(s)); },
});
`;

/** Serves the harness pages; `csp: false` leaves the page without a policy (to test the sanitiser alone). */
export async function startHarnessServer() {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (type, body) => {
      res.writeHead(200, { 'content-type': type });
      res.end(body);
    };
    try {
      if (url.pathname === '/host-stub.js') return send('text/javascript', HOST_STUB);
      if (url.pathname === '/theme.css') return send('text/css', `:root { ${Object.entries(THEME).map(([k, v]) => `--vscode-${k}: ${v};`).join(' ')} }`);
      const m = /^\/(chat|trace)\.html$/.exec(url.pathname);
      if (m) return send('text/html', page(m[1], randomBytes(12).toString('base64'), url.searchParams.get('csp') !== 'off'));
      if (/^\/(out\/webview|media)\/[\w.-]+$/.test(url.pathname)) {
        const file = join(repoRoot, url.pathname);
        return send(url.pathname.endsWith('.css') ? 'text/css' : 'text/javascript', readFileSync(file));
      }
    } catch {
      // fall through to 404
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  return { base: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) };
}

export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

/** Opens a harness page and waits until the bundle has said it is ready. */
export async function openPage(browser, base, kind, { csp = true, width = 900, height = 800 } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  const p = await context.newPage();
  const errors = [];
  p.on('pageerror', (e) => errors.push(e.message));
  await p.goto(`${base}/${kind}.html${csp ? '' : '?csp=off'}`);
  await p.waitForFunction((k) => window.__posted.some((m) => m.type === `${k}/ready`), kind);
  return { page: p, context, errors };
}

/** Delivers a host message to the page, as the webview host's postMessage would. */
export function post(page, type, payload) {
  return page.evaluate(([t, p]) => window.postMessage({ type: t, payload: p }, '*'), [type, payload]);
}

/** Resolves once the page has painted twice more: everything posted before is drawn. */
export function frames(page) {
  return page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(undefined)))));
}
