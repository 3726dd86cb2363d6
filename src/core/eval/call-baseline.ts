import type { ToolSpec } from '../chat/types.js';
import type { ArgumentNormalizer } from '../schema/argument-normalizer.js';
import { intentKey } from '../sniff/intent.js';

/** What the trivial strategy predicted in one turn's reasoning: call keys, in order. */
export type BaselinePredictions = string[];

/** A quoted value: "x", 'x' or `x`, on one line. */
const QUOTED = /["'`]([^"'`\n]{1,200})["'`]/g;

/**
 * The trivial call predictor a sniffer must beat: wherever an offered tool's name appears, the
 * next quoted value in the same sentence is taken as its first required string parameter.
 * No rules, no labels, no framing. Returns the canonical keys it would have fired.
 */
export function namedToolBaseline(reasoning: string, tools: readonly ToolSpec[], normalizer: ArgumentNormalizer): BaselinePredictions {
  const byName = new Map<string, { tool: ToolSpec; param: string }>();
  for (const tool of tools) {
    const schema = tool.function.parameters as { properties?: Record<string, { type?: unknown }>; required?: unknown } | undefined;
    const required = Array.isArray(schema?.required) ? (schema.required as string[]) : [];
    const param = required.find((p) => schema?.properties?.[p]?.type === 'string');
    if (param) byName.set(tool.function.name.toLowerCase(), { tool, param });
  }
  if (byName.size === 0) return [];
  // One pass over the text for all the names (longest first, so a name inside another loses).
  const names = [...byName.keys()].sort((a, b) => b.length - a.length).map(escapeRegex);
  const mention = new RegExp(names.join('|'), 'gi');
  const out: string[] = [];
  for (let m = mention.exec(reasoning); m !== null; m = mention.exec(reasoning)) {
    const found = byName.get(m[0].toLowerCase());
    if (!found) continue;
    const after = m.index + m[0].length;
    const end = sentenceEnd(reasoning, after);
    QUOTED.lastIndex = after;
    const q = QUOTED.exec(reasoning.slice(0, end));
    if (!q) continue;
    const n = normalizer.normalize(found.tool.function.parameters, { [found.param]: q[1] });
    if (n.ok) out.push(intentKey(found.tool.function.name, n.canonical));
  }
  return out;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Where the sentence holding `from` ends; searched at most 2,000 characters ahead, as a sentence is no longer. */
function sentenceEnd(text: string, from: number): number {
  const re = /[.!?](?:\s|$)|\n/g;
  re.lastIndex = from;
  const m = re.exec(text.slice(0, from + 2000));
  return m ? m.index : Math.min(text.length, from + 2000);
}
