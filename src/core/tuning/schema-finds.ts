import type { ToolRole } from '../rules/rule-ast.js';
import type { ArgumentNormalizer } from '../schema/argument-normalizer.js';
import { toolsForRole } from '../sniff/tool-roles.js';
import { replayDigest } from './replay-digest.js';
import type { SessionDigest } from './session-digest.js';

/** Per session (in the order of the digests), how many formal calls of each tool the schema-aware sniffer alone predicted exactly. */
export type SchemaFinds = ReadonlyMap<string, number>[];

/**
 * Replays the sessions with no rule at all and the schema-aware sniffer on (every tool taken
 * as read-only, as for rule figures), and counts per tool the formal calls it claimed: the
 * calls a role rule need not catch itself. Deterministic.
 */
export async function schemaFinds(digests: readonly SessionDigest[], normalizer: ArgumentNormalizer): Promise<SchemaFinds> {
  const out: Map<string, number>[] = [];
  for (const digest of digests) {
    const found = new Map<string, number>();
    await replayDigest(digest, { rules: [], schemaSniffing: true }, normalizer, {
      step: (_turn, step) => {
        if (step.type !== 'speculation' || step.event.type !== 'claim') return;
        const e = step.event;
        if (e.outcome === 'hit' || e.outcome === 'partial') found.set(e.tool, (found.get(e.tool) ?? 0) + 1);
      },
    });
    out.push(found);
  }
  return out;
}

/** Calls of the tools that play `role` in each session (as a role rule resolves them) that the schema sniffer found, over all sessions. */
export function roleCallsFound(finds: SchemaFinds, digests: readonly SessionDigest[], role: ToolRole): number {
  let total = 0;
  digests.forEach((digest, i) => {
    const found = finds[i];
    if (!found) return;
    for (const tool of toolsForRole(digest.session.header.tools, role)) total += found.get(tool.function.name) ?? 0;
  });
  return total;
}
