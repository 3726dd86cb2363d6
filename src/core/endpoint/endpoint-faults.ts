/**
 * Failures the replay endpoint can be told to produce, so clients' error paths are tested
 * against a real server: an HTTP error status for the next requests, or a stream cut mid-way.
 */
export interface EndpointFaults {
  /** Answer with this status (429, 500, 503…) instead of serving. */
  failStatus?: number;
  /** How many requests get `failStatus`; unset means every request. */
  failCount?: number;
  /** Destroy the connection after this many chunks of a streamed answer. */
  cutAfterChunks?: number;
}

/** Reads per-request faults from the `x-foresight-fault` header: `status=500`, `cut-after=3`, comma-separated. */
export function faultsFromHeader(value: string | string[] | undefined): EndpointFaults {
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
  const faults: EndpointFaults = {};
  for (const part of text.split(',')) {
    const [k, v] = part.split('=').map((s) => s.trim());
    const n = Number(v);
    if (!Number.isFinite(n)) continue;
    if (k === 'status') faults.failStatus = n;
    if (k === 'cut-after') faults.cutAfterChunks = n;
  }
  return faults;
}
