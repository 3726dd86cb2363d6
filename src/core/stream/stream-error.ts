import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { redactorFor, redactUrl } from '../util/redact-url.js';
import type { StreamError } from './events.js';

/**
 * Turns whatever the SDK or the network threw into a StreamError whose message tells the user
 * what happened and what to do. The message names the endpoint without its credentials, and
 * any credential the SDK, the network or the server quoted is removed too. Never throws.
 */
export function toStreamError(err: unknown, endpoint: string): StreamError {
  const error = classify(err, redactUrl(endpoint));
  return { ...error, message: redactorFor(endpoint)(error.message) };
}

function classify(err: unknown, endpoint: string): StreamError {
  if (err instanceof APIUserAbortError || isAbortError(err)) {
    return { kind: 'aborted', message: 'Stopped.' };
  }
  if (err instanceof APIConnectionTimeoutError) {
    return { kind: 'network', message: `The endpoint ${endpoint} did not answer in time. Check that it is running, or try again.` };
  }
  if (err instanceof APIConnectionError) {
    return {
      kind: 'network',
      message: `Could not reach ${endpoint}: ${causeText(err)}. Check foresight.baseUrl and that the server is running.`,
    };
  }
  if (err instanceof APIError && typeof err.status === 'number') {
    return { kind: 'http', status: err.status, message: httpMessage(err.status, serverText(err), endpoint) };
  }
  if (isConnectionLoss(err)) {
    return { kind: 'network', message: `The connection to ${endpoint} broke in the middle of the answer (${causeText(err as Error)}). Try again.` };
  }
  const text = err instanceof Error ? err.message : String(err);
  return { kind: 'protocol', message: `The stream from ${endpoint} failed: ${text}` };
}

function httpMessage(status: number, detail: string, endpoint: string): string {
  const said = detail ? ` The server said: ${/[.!?]$/.test(detail.trim()) ? detail.trim() : `${detail.trim()}.`}` : '';
  switch (status) {
    case 400:
      return `The endpoint rejected the request (400).${said} Check foresight.model and foresight.extraBody.`;
    case 401:
    case 403:
      return `The endpoint refused the API key (${status}).${said} Run "Foresight: Set API Key".`;
    case 404:
      return `Not found (404).${said} Check foresight.baseUrl (usually ends in /v1) and foresight.model.`;
    case 429:
      return `The endpoint is rate limiting (429).${said} Wait a moment and try again.`;
    default:
      if (status >= 500) return `The endpoint failed (${status}).${said} Try again later.`;
      return `The endpoint answered ${status}.${said} (${endpoint})`;
  }
}

function serverText(err: APIError): string {
  const body = err.error as { message?: unknown } | undefined;
  if (body && typeof body.message === 'string') return body.message;
  return '';
}

/** The innermost cause with a code (ECONNREFUSED…), since fetch wraps it in "fetch failed". */
function causeText(err: Error): string {
  let e: unknown = err;
  let best = err.message;
  for (let depth = 0; depth < 5 && e instanceof Error; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return `${code} (${e.message})`;
    if (e !== err) best = e.message;
    e = (e as { cause?: unknown }).cause;
  }
  return best;
}

function isAbortError(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || err.name === 'APIUserAbortError');
}

/** undici reports a socket closed mid-body as a TypeError "terminated" with a socket error cause. */
function isConnectionLoss(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const cause = (err as { cause?: unknown }).cause;
  const code = cause instanceof Error ? (cause as { code?: unknown }).code : undefined;
  return err.message === 'terminated' || (typeof code === 'string' && (code.startsWith('UND_ERR_') || code === 'ECONNRESET'));
}
