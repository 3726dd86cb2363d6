import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

// Hop-by-hop headers (RFC 9110 7.6.1) belong to one connection and are never forwarded;
// `host` and `content-length` are set for the upstream connection by the proxy itself.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/** The upstream URL a client's request goes to: the client path without its optional `/v1`, under the upstream's base path, query kept. */
export function upstreamUrl(upstream: URL, clientPath: string): URL {
  const q = clientPath.indexOf('?');
  const path = q < 0 ? clientPath : clientPath.slice(0, q);
  const query = q < 0 ? '' : clientPath.slice(q);
  const rest = path === '/v1' ? '/' : path.startsWith('/v1/') ? path.slice(3) : path;
  const base = upstream.pathname.endsWith('/') ? upstream.pathname.slice(0, -1) : upstream.pathname;
  const url = new URL(upstream.href);
  url.pathname = `${base}${rest}`;
  url.search = query;
  url.hash = '';
  return url;
}

/** Whether a request is a chat completion the proxy records (POST to `/v1/chat/completions` or `/chat/completions`). */
export function isChatCompletion(method: string | undefined, clientPath: string): boolean {
  const path = clientPath.split('?')[0] ?? '';
  return method === 'POST' && (path === '/v1/chat/completions' || path === '/chat/completions');
}

/**
 * The client's headers as sent upstream: everything but hop-by-hop headers (and those the
 * `connection` header names), `host` and `content-length`. `identity`: ask for an uncompressed
 * answer, so the copy the proxy records can be read as it streams.
 */
export function requestHeadersForUpstream(headers: IncomingHttpHeaders, bodyBytes: number | undefined, identity: boolean): OutgoingHttpHeaders {
  const named = connectionTokens(headers.connection);
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || named.has(name) || name === 'host' || name === 'content-length') continue;
    out[name] = value;
  }
  if (bodyBytes !== undefined) out['content-length'] = bodyBytes;
  if (identity) out['accept-encoding'] = 'identity';
  return out;
}

/** The upstream's response headers as given to the client: all but hop-by-hop ones. */
export function responseHeadersForClient(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = connectionTokens(headers.connection);
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || named.has(name)) continue;
    out[name] = value;
  }
  return out;
}

function connectionTokens(value: string | string[] | undefined): Set<string> {
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
  return new Set(text.split(',').map((t) => t.trim().toLowerCase()).filter((t) => t.length > 0 && t !== 'close' && t !== 'keep-alive'));
}
