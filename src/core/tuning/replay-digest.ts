import { replaySession, type ReplayObserver } from '../engine/replay-session.js';
import { replayTools } from '../engine/replay-tools.js';
import type { Rule } from '../rules/rule-ast.js';
import type { ArgumentNormalizer } from '../schema/argument-normalizer.js';
import { LatencyStats } from '../speculation/latency-stats.js';
import { DEFAULT_POLICY } from '../speculation/speculation-policy.js';
import type { SessionDigest } from './session-digest.js';

/**
 * Replays a digested session the way the editor's figures measure it: its parsed turns, its
 * timing, the default policy, and every tool taken as read-only so each prediction is tried.
 */
export function replayDigest(digest: SessionDigest, sniffing: { rules: readonly Rule[]; schemaSniffing: boolean }, normalizer: ArgumentNormalizer, observer: ReplayObserver): Promise<void> {
  return replaySession(digest.session, {
    setup: { rules: sniffing.rules, normalizer, policy: DEFAULT_POLICY, latency: new LatencyStats(digest.timing.toolLatencyMs), schemaSniffing: sniffing.schemaSniffing },
    timing: digest.timing,
    eventsOf: (_turn, index) => digest.turns[index] ?? [],
    tools: (clock) => replayTools(digest.session, { readOnly: () => true, clock, timing: digest.timing, normalizer }),
    observer,
  });
}
