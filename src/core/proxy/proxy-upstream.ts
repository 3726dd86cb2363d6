/** What the editor knows when it starts the proxy; plain values, no editor API. */
export interface ProxyUpstreamInputs {
  /** foresight.baseUrl as configured; empty for none. */
  baseUrl: string;
  /** The local demo endpoint's base URL, when one could be started. */
  embeddedUrl: string | undefined;
  /** The key stored for foresight.baseUrl, if any. */
  storedKey: string | undefined;
}

/** Where the proxy forwards and which key it adds for an agent that sends none. */
export type ProxyUpstreamChoice = { ok: true; upstream: string; embedded: boolean; fallbackKey?: string } | { ok: false; message: string };

/**
 * The configured endpoint with its stored key, else the local demo endpoint (no key: the key
 * belongs to the configured endpoint and is never sent elsewhere), else an error that says why.
 */
export function chooseProxyUpstream(inputs: ProxyUpstreamInputs): ProxyUpstreamChoice {
  const configured = inputs.baseUrl.trim();
  if (configured) {
    const key = inputs.storedKey?.trim();
    return { ok: true, upstream: configured, embedded: false, ...(key ? { fallbackKey: key } : {}) };
  }
  if (inputs.embeddedUrl) return { ok: true, upstream: inputs.embeddedUrl, embedded: true };
  return { ok: false, message: 'foresight.baseUrl is empty and the local demo endpoint could not be started; set foresight.baseUrl to your endpoint.' };
}
