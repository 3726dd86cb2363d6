/**
 * Regex pieces for an argument value stated in prose, named so the sniffer knows how it was
 * written: quoted, a date/time, or a bare token. Shared by generated label patterns. A bare
 * token is never a separator word, so while a quoted value is still streaming the pattern
 * waits for its closing quote instead of settling on the word before it.
 */
export const VALUE_SOURCE = String.raw`(?:"(?<dq>[^"\n]{1,200})"|'(?<sq>[^'\n]{1,200})'|\x60(?<bq>[^\x60\n]{1,200})\x60|(?<dt>\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?)|(?!(?:is|was|of|as|to|should|will|would|being|set|equals?)\b)(?<tok>[A-Za-z0-9][\w.:/@+-]*[A-Za-z0-9]|\d))`;

/** Between a label and its value: `:`, `=`, `is`, `(`, or plain space. */
export const SEPARATOR_SOURCE = String.raw`["'\x60]?(?:\s*[:=]\s*|\s+(?:is|was|of|as|to|should be|will be|would be|being|set to|equals?)\s+|\s*\(\s*|\s+)`;

/** How a captured value was written. */
export interface StatedValue {
  text: string;
  quoted: boolean;
}

/** The value a label pattern captured, from whichever alternative matched. */
export function statedValue(groups: Record<string, string>): StatedValue | undefined {
  for (const k of ['dq', 'sq', 'bq'] as const) if (groups[k] !== undefined) return { text: groups[k]!, quoted: true };
  if (groups.dt !== undefined) return { text: groups.dt, quoted: false };
  if (groups.tok !== undefined) return { text: groups.tok, quoted: false };
  return undefined;
}

/**
 * Whether an unquoted word is plausibly a value and not prose ("required", "and"): it has a
 * digit, an inner separator (_ - @ . : /), or is upper case.
 */
export function looksLikeValue(text: string): boolean {
  return /\d/.test(text) || /[_@.:/-]/.test(text) || /^[A-Z][A-Z0-9]+$/.test(text);
}

/** Escapes text for use inside a regex. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A name as a pattern that also matches its spelling in words: `event_id` ~ "event id", "event-ID", "eventId". */
export function nameAsWords(name: string): string {
  const words = splitName(name);
  return words.map(escapeRegex).join(String.raw`[\s_-]?`);
}

/** The words of an identifier: snake, kebab and camel case. */
export function splitName(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_.-]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}
