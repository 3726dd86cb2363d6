/** A recognised intention to call (or warm) a tool, read from the reasoning before the call. */
export interface Intent {
  kind: 'call' | 'warm';
  tool: string;
  /** Arguments checked against the tool's schema, defaults filled; empty for warm intents. */
  args: Record<string, unknown>;
  /** Canonical JSON of `args`; the cache key together with `tool`. */
  canonical: string;
  source: 'rule' | 'schema';
  /** The rule's id, or `schema:<tool>` for the rule-free sniffer. */
  ruleId: string;
  /** Probability that the model makes exactly this call, before calibration. */
  confidence: number;
  /** Offsets in the turn's reasoning of the text that gave the intent away. */
  span: { start: number; end: number };
  /** Reasoning length when the intent was recognised. */
  at: number;
  /** How the reasoning framed the call; absent when it is stated as something to do. */
  cue?: 'negated' | 'hedged' | 'past' | 'repeat';
}

/** The key under which a speculative result waits for its formal call. */
export function intentKey(tool: string, canonical: string): string {
  return `${tool}\u0000${canonical}`;
}
