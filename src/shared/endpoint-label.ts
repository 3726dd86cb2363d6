import type { EndpointInfo } from './protocol.js';

/** What the chat header calls an endpoint: a name a person reads, never a URL. */
export interface EndpointLabel {
  /** "Demo (recorded sessions)", "NVIDIA NIM", "OpenAI", "Local (port 8000)", or the host name. */
  label: string;
  /** The model, when known, for "label · model". */
  model: string | null;
}

/** Providers recognised by their host; anything else is called by its host name. */
const KNOWN_HOSTS: readonly [test: (host: string) => boolean, name: string][] = [
  [(h) => h === 'integrate.api.nvidia.com' || h.endsWith('.api.nvidia.com') || h.endsWith('.nvcf.nvidia.com'), 'NVIDIA NIM'],
  [(h) => h === 'api.openai.com', 'OpenAI'],
  [(h) => h === 'openrouter.ai', 'OpenRouter'],
];

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1', '0.0.0.0']);

/**
 * A friendly name for the chat's endpoint: the demo says what it serves, a known provider
 * is named, a local server says its port, any other is its host name (no scheme, path, user
 * or password). A URL that does not parse is "Custom endpoint". Imports nothing, so the
 * webview bundle can use it.
 */
export function endpointLabel(endpoint: Pick<EndpointInfo, 'kind' | 'baseUrl' | 'model'>): EndpointLabel {
  if (endpoint.kind === 'demo') return { label: 'Demo (recorded sessions)', model: endpoint.model };
  let url: URL;
  try {
    url = new URL(endpoint.baseUrl);
  } catch {
    return { label: 'Custom endpoint', model: endpoint.model };
  }
  const host = url.hostname.toLowerCase();
  const known = KNOWN_HOSTS.find(([test]) => test(host));
  if (known) return { label: known[1], model: endpoint.model };
  if (LOCAL_HOSTS.has(host)) return { label: url.port ? `Local (port ${url.port})` : 'Local', model: endpoint.model };
  return { label: host || 'Custom endpoint', model: endpoint.model };
}
