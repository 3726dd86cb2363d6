/**
 * A baseline built the prior art's way: a handful of generic intent regexes re-run over the last
 * WINDOW characters of the reasoning on every chunk, each (intent, argument) reported once.
 * The patterns are ours, written for this benchmark; only the method is the prior art's.
 */

/** What the prior-art way reports: an intent kind and the argument it captured ('' if none). */
export interface PriorArtIntent {
  intent: string;
  argument: string;
}

/** Characters of the reasoning's end that every chunk re-reads. */
export const PRIOR_ART_WINDOW = 500;

// An argument only counts once something ends it, so a half-streamed word is not reported.
const END = String.raw`(?=["'\x60]?[\s.,;:!?)])`;

/** Intent regexes of the kind such a sniffer carries: search, call, read, run, fetch, look up. */
const INTENT_PATTERNS: readonly { intent: string; regex: RegExp }[] = [
  {
    intent: 'search',
    regex: new RegExp(String.raw`\b(?:let me|let's|i(?:'ll| will| should| need to))\s+search\s+(?:the web\s+|online\s+)?for\s+["'\x60]?([^"'\x60\n.,;:!?]{2,80}?)(?=["'\x60\n.,;:!?])`, 'gi'),
  },
  {
    intent: 'call',
    regex: new RegExp(String.raw`\bi(?:'ll| will| should| need to)\s+(?:call|use|invoke)\s+(?:the\s+)?["'\x60]?([A-Za-z_][\w.-]{1,63}?)${END}`, 'gi'),
  },
  {
    intent: 'read',
    regex: new RegExp(String.raw`\b(?:read|open|look at|inspect)\s+(?:the\s+)?(?:file|contents of)\s+["'\x60]?([\w./\\-]+\.[A-Za-z0-9]{1,8})${END}`, 'gi'),
  },
  {
    intent: 'run',
    regex: /\b(?:let me|let's|i(?:'ll| will| should))\s+(?:run|execute|test)\s+(?:the|this|that|some|a)\s+(?:code|script|snippet|program|command)\b/gi,
  },
  {
    intent: 'fetch',
    regex: new RegExp(String.raw`\b(?:fetch|download|open|visit|load)\s+(?:the\s+)?(?:page\s+|url\s+|site\s+)?[<"'\x60]?(https?://[^\s"'\x60<>)\]]+?)(?=[>"'\x60]?[\s,;)\]]|[.!?]\s)`, 'gi'),
  },
  {
    intent: 'lookup',
    regex: /\blook(?:ing)?[\s-]?up\s+(?:the\s+)?([^\n.,;:!?]{2,60}?)(?=[\n.,;:!?])/gi,
  },
];

/**
 * The prior-art sniffer: keeps the end of the reasoning and, on every chunk, runs every intent
 * regex over its last PRIOR_ART_WINDOW characters. Only that end is kept, so taking the window
 * costs the window, not the whole text (as slicing the end of a growing buffer does in Python).
 */
export class PriorArtSniffer {
  private tail = '';
  private readonly reported = new Set<string>();

  push(text: string): PriorArtIntent[] {
    this.tail += text;
    if (this.tail.length > 2 * PRIOR_ART_WINDOW) this.tail = this.tail.slice(-PRIOR_ART_WINDOW);
    const window = this.tail.length > PRIOR_ART_WINDOW ? this.tail.slice(-PRIOR_ART_WINDOW) : this.tail;
    let out: PriorArtIntent[] | undefined;
    for (const { intent, regex } of INTENT_PATTERNS) {
      regex.lastIndex = 0;
      for (let m = regex.exec(window); m !== null; m = regex.exec(window)) {
        const argument = (m[1] ?? '').trim();
        const key = `${intent}\u0000${argument.toLowerCase()}`;
        if (this.reported.has(key)) continue;
        this.reported.add(key);
        (out ??= []).push({ intent, argument });
      }
    }
    return out ?? [];
  }

  flush(): PriorArtIntent[] {
    return [];
  }
}
