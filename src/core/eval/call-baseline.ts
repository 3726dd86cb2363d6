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
  const out: string[] = [];
  const lower = reasoning.toLowerCase();
  for (const tool of tools) {
    const name = tool.function.name;
    const schema = tool.function.parameters as { properties?: Record<string, { type?: unknown }>; required?: unknown } | undefined;
    const required = Array.isArray(schema?.required) ? (schema.required as string[]) : [];
    const param = required.find((p) => schema?.properties?.[p]?.type === 'string');
    if (!param) continue;
    const needle = name.toLowerCase();
    for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + needle.length)) {
      const end = sentenceEnd(reasoning, at + needle.length);
      QUOTED.lastIndex = at + needle.length;
      const m = QUOTED.exec(reasoning);
      if (!m || m.index >= end) continue;
      const n = normalizer.normalize(tool.function.parameters, { [param]: m[1] });
      if (n.ok) out.push(intentKey(name, n.canonical));
    }
  }
  return out;
}

function sentenceEnd(text: string, from: number): number {
  const re = /[.!?](?:\s|$)|\n/g;
  re.lastIndex = from;
  const m = re.exec(text);
  return m ? m.index : text.length;
}
