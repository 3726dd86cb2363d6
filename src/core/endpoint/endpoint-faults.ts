/**
 * Failures the replay endpoint can be told to produce, so clients' error paths are tested
 * against a real server: an HTTP error status for the next requests, or a stream cut mid-way.
 * They work only on an endpoint started with `allowFaults` (tests, `foresight serve --faults`).
 */
export interface EndpointFaults {
  /** Answer with this status (429, 500, 503…) instead of serving. */
  failStatus?: number;
  /** How many requests get `failStatus`; unset means every request. */
  failCount?: number;
  /** Destroy the connection after this many chunks of a streamed answer. */
  cutAfterChunks?: number;
}

/** The header a test sends to ask one request for a fault. */
export const FAULT_HEADER = 'x-foresight-fault';

/**
 * Reads per-request faults from the `x-foresight-fault` header: `status=500`, `cut-after=3`,
 * comma-separated. `status` must be a whole number from 400 to 599 and `cut-after` a whole
 * number from 0; anything else (an unknown name, a missing or malformed value) gives a
 * sentence saying what is wrong instead of faults. Never throws.
 */
export function faultsFromHeader(value: string | string[] | undefined): { faults: EndpointFaults } | { problem: string } {
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
  const faults: EndpointFaults = {};
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    const name = (eq < 0 ? part : part.slice(0, eq)).trim();
    const raw = eq < 0 ? '' : part.slice(eq + 1).trim();
    const n = /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
    if (name === 'status') {
      if (!(n >= 400 && n <= 599)) return { problem: `${FAULT_HEADER}: status must be a whole number from 400 to 599, not "${cut(raw)}".` };
      faults.failStatus = n;
    } else if (name === 'cut-after') {
      if (!Number.isInteger(n)) return { problem: `${FAULT_HEADER}: cut-after must be a whole number of chunks, not "${cut(raw)}".` };
      faults.cutAfterChunks = n;
    } else {
      return { problem: `${FAULT_HEADER}: unknown switch "${cut(name)}"; use status=CODE or cut-after=N, comma-separated.` };
    }
  }
  return { faults };
}

/** Checks fault switches given in code or on the command line; a sentence when one is out of range. */
export function faultsProblem(faults: EndpointFaults): string | undefined {
  const { failStatus, failCount, cutAfterChunks } = faults;
  if (failStatus !== undefined && !(Number.isInteger(failStatus) && failStatus >= 400 && failStatus <= 599)) {
    return `the fault status must be a whole number from 400 to 599, not ${failStatus}.`;
  }
  if (failCount !== undefined && !(Number.isInteger(failCount) && failCount >= 0)) return `the fault count must be a whole number from 0, not ${failCount}.`;
  if (cutAfterChunks !== undefined && !(Number.isInteger(cutAfterChunks) && cutAfterChunks >= 0)) {
    return `the chunk count to cut after must be a whole number from 0, not ${cutAfterChunks}.`;
  }
  return undefined;
}

function cut(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
