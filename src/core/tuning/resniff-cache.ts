import type { Rule } from '../rules/rule-ast.js';
import { ArgumentNormalizer } from '../schema/argument-normalizer.js';
import { figuresOfRule, type RuleFigures } from './rule-figures.js';
import { roleCallsFound, schemaFinds, type SchemaFinds } from './schema-finds.js';
import type { SessionDigest } from './session-digest.js';

interface CachedRule {
  /** The rule as first parsed with this text; kept so the sniffer's compiled plan is reused. */
  rules: readonly Rule[];
  figures: RuleFigures;
}

/**
 * Re-sniffs recorded sessions after a rule file changes, reusing everything that did not:
 * sessions are digested once (`setSessions`), and a rule whose text is unchanged keeps its
 * figures, so an edit costs one sniffing pass for each edited rule only. Figures come back in
 * the order of the rules given, under their current ids; a role rule without a hit also says
 * what the schema sniffer found of its tools' calls (one more pass, once per set of sessions).
 */
export class ResniffCache {
  private digests: readonly SessionDigest[] = [];
  private byText = new Map<string, CachedRule>();
  private readonly normalizer = new ArgumentNormalizer();
  /** What the schema sniffer finds on the sessions, computed once, the first time a role rule has no hit. */
  private finds: Promise<SchemaFinds> | undefined;
  /** How many rules the last `figures` call had to re-sniff (the others were reused). */
  recomputed = 0;

  /** Replaces the sessions; every cached figure is dropped since it was measured on the old ones. */
  setSessions(digests: readonly SessionDigest[]): void {
    this.digests = digests;
    this.byText.clear();
    this.finds = undefined;
  }

  get sessionCount(): number {
    return this.digests.length;
  }

  /** Figures of every rule; `textOf(rule)` is the rule's source text, the key of reuse. */
  async figures(rules: readonly Rule[], textOf: (rule: Rule) => string): Promise<RuleFigures[]> {
    const next = new Map<string, CachedRule>();
    this.recomputed = 0;
    const out: RuleFigures[] = [];
    for (const rule of rules) {
      const key = `${rule.kind} ${textOf(rule)}`;
      let cached = next.get(key) ?? this.byText.get(key);
      if (!cached) {
        this.recomputed++;
        const alone = [rule];
        cached = { rules: alone, figures: await figuresOfRule(alone, this.digests, this.normalizer) };
      }
      next.set(key, cached);
      const f: RuleFigures = { ...cached.figures, ruleId: rule.id };
      if (rule.target.by === 'role' && f.hits + f.warmHits === 0 && this.digests.length > 0) {
        this.finds ??= schemaFinds(this.digests, this.normalizer);
        f.schemaFound = roleCallsFound(await this.finds, this.digests, rule.target.role);
      }
      out.push(f);
    }
    this.byText = next;
    return out;
  }
}

/** The lines of `text` a rule spans, header to last body line: the text its figures depend on. */
export function ruleText(lines: readonly string[], rule: Rule): string {
  return lines.slice(rule.range.start.line, rule.range.end.line + 1).join('\n');
}
