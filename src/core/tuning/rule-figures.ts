import { median } from '../util/median.js';
import type { Rule } from '../rules/rule-ast.js';
import type { ArgumentNormalizer } from '../schema/argument-normalizer.js';
import { intentKey } from '../sniff/intent.js';
import { replayDigest } from './replay-digest.js';
import type { SessionDigest } from './session-digest.js';

/** How one rule does on a set of sessions: what an editor shows above the rule. */
export interface RuleFigures {
  ruleId: string;
  /** Speculations of the rule that a formal call claimed, in its turn or a later one. */
  hits: number;
  /** Speculations never claimed, and warm-ups of turns that did not use the tool: wasted work. */
  misfires: number;
  /** Warm intents (warm rules only): the tool was used later in the turn. */
  warmHits: number;
  /** Median characters streamed between a hit's intent and its call being sealed (as in `foresight eval`); null without hits. */
  leadCharsMedian: number | null;
  sessions: number;
  /**
   * Role rules without a hit only: formal calls of the role's tools that the schema-aware
   * sniffer, with no rule, predicted exactly on the same sessions. The rule's own figures are
   * measured without schema sniffing, so its 0 says nothing about these calls.
   */
  schemaFound?: number;
}

/**
 * Replays the sessions through the engine (`replaySession`, as `eval` and the trace do) with
 * `rules` alone, no schema sniffing, every tool taken as read-only so each prediction is
 * tried, and counts the rule's claimed speculations, misfires, warm hits and lead. `rules`
 * must be the same array for the same rule so the sniffer's compiled plans are reused.
 * Deterministic.
 */
export async function figuresOfRule(rules: readonly Rule[], digests: readonly SessionDigest[], normalizer: ArgumentNormalizer): Promise<RuleFigures> {
  const rule = rules[0];
  let hits = 0;
  let misfires = 0;
  let warmHits = 0;
  const leads: number[] = [];
  for (const digest of digests) {
    const intentAt = new Map<string, number>();
    const warmAt = new Map<number, { tool: string; pos: number }[]>();
    const sealed = new Map<number, { tool: string; pos: number }[]>();
    let base = 0;
    await replayDigest(digest, { rules, schemaSniffing: false }, normalizer, {
      step: (turn, step) => {
        if (step.type === 'sealed') {
          sealed.set(turn, [...(sealed.get(turn) ?? []), { tool: step.call.name, pos: base + step.pos }]);
          return;
        }
        if (step.type !== 'speculation') return;
        const e = step.event;
        if (e.type === 'intent') {
          if (e.decision === 'warmed') warmAt.set(turn, [...(warmAt.get(turn) ?? []), { tool: e.intent.tool, pos: base + step.pos }]);
          else if (e.decision === 'fired') intentAt.set(intentKey(e.intent.tool, e.intent.canonical), base + step.pos);
        } else if (e.type === 'misfire') {
          misfires++;
        } else if (e.type === 'claim' && (e.outcome === 'hit' || e.outcome === 'partial')) {
          hits++;
          const at = intentAt.get(intentKey(e.tool, e.canonical));
          if (at !== undefined) leads.push(base + step.pos - at);
        }
      },
      turnEnd: (turn, _t, engine) => {
        for (const w of warmAt.get(turn) ?? []) {
          if ((sealed.get(turn) ?? []).some((c) => c.tool === w.tool && c.pos >= w.pos)) warmHits++;
          else misfires++;
        }
        base += engine.streamedChars;
      },
    });
  }
  return { ruleId: rule?.id ?? '', hits, misfires, warmHits, leadCharsMedian: median(leads), sessions: digests.length };
}
