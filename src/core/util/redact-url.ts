/** What stands in for a removed credential. */
export const REDACTED = '***';

// A parameter whose name suggests a credential has its value replaced. Matched on the decoded
// name, in any case: api_key, apiKey, X-Amz-Signature, access_token, sig, jwt, password…
const SECRET_NAME = /key|token|auth|secret|passw|pwd|sig|jwt|bearer|credential|session|cookie/i;
// …but a count of tokens (max_tokens=4096 in a server's error) is no credential.
const COUNT_NAME = /tokens$/i;

// scheme://authority… up to whitespace or a character that cannot be part of a URL in prose.
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;
// name=value anywhere (a query echoed without its URL, a form body, a log line).
const PAIR_IN_TEXT = /([\w.%-]+)=([^\s&#;"'<>,]+)/g;
const AUTH_SCHEME_IN_TEXT = /\b(Bearer|Basic|Token)\s+[\w.~+/=-]{6,}/gi;
// Prose punctuation that may follow a URL and is not part of it.
const TRAILING = /[.,;:!?)\]}]+$/;

/**
 * The URL with every credential replaced by `***`: the user-info part (`user:key@`), and the
 * value of every query or fragment parameter named like a credential. The rest is kept as
 * written (no re-encoding). Text that is not a URL gets the same treatment: anything before an
 * `@` in front of the first `/`, and credential-named `name=value` pairs. Never throws.
 */
export function redactUrl(url: string): string {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)?([^/?#]*)([^?#]*)(\?[^#]*)?(#.*)?$/is.exec(url);
  if (!match) return redactPairs(url);
  const [, scheme = '', authority = '', path = '', query = '', fragment = ''] = match;
  const at = authority.lastIndexOf('@');
  const host = at >= 0 ? `${REDACTED}@${authority.slice(at + 1)}` : authority;
  return `${scheme}${host}${path}${redactPairs(query)}${redactPairs(fragment)}`;
}

/**
 * The secret values a URL carries (user name, password, credential-named parameter values),
 * raw and percent-decoded, for scrubbing them from text that quotes them in another form.
 */
export function secretsInUrl(url: string): string[] {
  const found = new Set<string>();
  const add = (value: string) => {
    // One or two characters would blank out unrelated text; the URL forms are redacted anyway.
    if (value.length < 3) return;
    found.add(value);
    const decoded = safeDecode(value);
    if (decoded.length >= 3) found.add(decoded);
  };
  const match = /^(?:[a-z][a-z0-9+.-]*:\/\/)?([^/?#]*)[^?#]*(\?[^#]*)?(#.*)?$/is.exec(url);
  if (!match) return [];
  const [, authority = '', query = '', fragment = ''] = match;
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const info = authority.slice(0, at);
    const colon = info.indexOf(':');
    if (colon >= 0) {
      add(info.slice(0, colon));
      add(info.slice(colon + 1));
    } else {
      add(info);
    }
  }
  for (const part of `${query.slice(1)}&${fragment.slice(1)}`.split(/[&;]/)) {
    const eq = part.indexOf('=');
    if (eq > 0 && isSecretName(part.slice(0, eq))) add(part.slice(eq + 1));
  }
  return [...found].sort((a, b) => b.length - a.length);
}

/**
 * Text (an error message, a log line) with every credential removed: the `known` secret
 * values wherever they occur, every URL in it as `redactUrl` leaves it, credential-named
 * `name=value` pairs, and `Bearer …` tokens. Never throws.
 */
export function redactText(text: string, known: readonly string[] = []): string {
  let out = text;
  for (const secret of [...known].sort((a, b) => b.length - a.length)) {
    if (secret.length > 0) out = out.split(secret).join(REDACTED);
  }
  out = out.replace(URL_IN_TEXT, (found) => {
    const tail = TRAILING.exec(found)?.[0] ?? '';
    return redactUrl(found.slice(0, found.length - tail.length)) + tail;
  });
  out = redactPairs(out);
  return out.replace(AUTH_SCHEME_IN_TEXT, (_all, scheme: string) => `${scheme} ${REDACTED}`);
}

/** A redactor for text that may quote `url`: `redactText` with the URL's own secrets known. */
export function redactorFor(url: string): (text: string) => string {
  const known = secretsInUrl(url);
  return (text) => redactText(text, known);
}

function redactPairs(text: string): string {
  return text.replace(PAIR_IN_TEXT, (all, name: string) => (isSecretName(name) ? `${name}=${REDACTED}` : all));
}

function isSecretName(raw: string): boolean {
  const name = safeDecode(raw);
  return SECRET_NAME.test(name) && !COUNT_NAME.test(name);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
