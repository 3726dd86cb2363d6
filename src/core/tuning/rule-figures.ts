import type { Rule } from '../rules/rule-ast.js';
import type { ArgumentNormalizer } from '../schema/argument-normalizer.js';
import { Sniffer } from '../sniff/sniffer.js';
import { median } from '../eval/median.js';
import type { SessionDigest } from './session-digest.js';

/** How one rule does on a set of sessions: what an editor shows above the rule. */
export interface RuleFigures {
  ruleId: string;
  /** Intents that were exactly a formal call of their turn, made before that call was sealed. */
  hits: number;
  /** Intents no call of their turn matched: speculations that would have been wasted. */
  misfires: number;
  /** Warm intents (warm rules only): the tool was used later in the turn. */
  warmHits: number;
  /** Median characters streamed between a hit's intent and its call being sealed (as in `foresight eval`); null without hits. */
  leadCharsMedian: number | null;
  sessions: number;
}

/**
 * Re-sniffs the sessions with `rules` (each rule alone, no schema sniffing) and counts, per
 * rule, its hits, misfires and lead. `rules` must be the same array for the same rule so the
 * sniffer's compiled plans are reused. Deterministic; costs one sniffing pass per rule.
 */
export function figuresOfRule(rules: readonly Rule[], digests: readonly SessionDigest[], normalizer: ArgumentNormalizer): RuleFigures {
  const rule = rules[0];
  let hits = 0;
  let misfires = 0;
  let warmHits = 0;
  const leads: number[] = [];
  for (const digest of digests) {
    for (const turn of digest.turns) {
      const sniffer = new Sniffer({ rules, tools: digest.tools, normalizer, schemaSniffing: false });
      const intents = [];
      for (const chunk of turn.chunks) intents.push(...sniffer.push(chunk));
      intents.push(...sniffer.flush());
      for (const intent of intents) {
        if (intent.kind === 'warm') {
          if (turn.calls.some((c) => c.tool === intent.tool && c.pos >= intent.at)) warmHits++;
          else misfires++;
          continue;
        }
        const call = turn.calls.find((c) => c.tool === intent.tool && c.canonical === intent.canonical && c.pos >= intent.at);
        if (call) {
          hits++;
          leads.push(call.pos - intent.at);
        } else {
          misfires++;
        }
      }
    }
  }
  return { ruleId: rule?.id ?? '', hits, misfires, warmHits, leadCharsMedian: median(leads), sessions: digests.length };
}
