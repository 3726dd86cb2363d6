/** What the chat page needs from the webview host: its CSP source and the URIs of the two bundled files. */
export interface ChatHtmlOptions {
  /** `webview.cspSource`: the origin local resources are served from. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  /** A fresh random nonce per page; only the script carrying it may run. */
  nonce: string;
  /** The page title; the chat's by default (the trace panel uses the same page). */
  title?: string;
}

/**
 * The chat webview's page: a strict Content Security Policy (nothing by default; styles, fonts
 * and images only from the extension's own files; scripts only with the nonce; no inline
 * styles or scripts, no remote content), the stylesheet, an empty root and the bundle.
 */
export function chatHtml(options: ChatHtmlOptions): string {
  const { cspSource, nonce } = options;
  const csp = [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(options.styleUri)}">
<title>${escapeAttribute(options.title ?? 'Foresight Chat')}</title>
</head>
<body>
<div id="app"></div>
<script nonce="${escapeAttribute(nonce)}" src="${escapeAttribute(options.scriptUri)}"></script>
</body>
</html>`;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
