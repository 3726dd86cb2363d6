import type { ToolSpec } from '../chat/types.js';
import type { Rule } from '../rules/rule-ast.js';
import type { ArgumentNormalizer } from '../schema/argument-normalizer.js';
import { LiteralAutomaton, LiteralMatcher, type LiteralHit } from './aho-corasick.js';
import { intentKey, type Intent } from './intent.js';
import { RuleSniffer, type InactiveRule } from './rule-sniffer.js';
import { SchemaSniffer } from './schema-sniffer.js';

const NO_INTENTS: Intent[] = [];
const NO_HITS: LiteralHit[] = [];

/** Shared automata by the identity of the two literal lists (both come from cached plans). */
const SHARED = new WeakMap<readonly string[], WeakMap<readonly string[], LiteralAutomaton>>();

export interface SnifferOptions {
  rules: readonly Rule[];
  /** The tools offered in the request being sniffed. */
  tools: readonly ToolSpec[];
  normalizer: ArgumentNormalizer;
  /** Recognise calls from the tool list alone, with no rule (on by default). */
  schemaSniffing?: boolean;
}

/**
 * Reads one turn's reasoning as it streams and reports each intent once: the rules' and the
 * schema-aware sniffer's, with one intent per (tool, canonical arguments) whichever found it
 * first. Feed it reasoning only; make a new one per turn.
 */
export class Sniffer {
  private readonly rules: RuleSniffer;
  private readonly schema: SchemaSniffer | undefined;
  private readonly seen = new Set<string>();
  /** One automaton over both sniffers' literals, so each chunk is read once, not twice. */
  private readonly shared: { matcher: LiteralMatcher; split: number } | undefined;

  constructor(options: SnifferOptions) {
    this.rules = new RuleSniffer(options.rules, options.tools, options.normalizer);
    this.schema = options.schemaSniffing === false ? undefined : new SchemaSniffer(options.tools, options.normalizer);
    if (this.schema) {
      const ruleLiterals = this.rules.literals;
      const schemaLiterals = this.schema.literals;
      let byRules = SHARED.get(ruleLiterals);
      if (!byRules) SHARED.set(ruleLiterals, (byRules = new WeakMap()));
      let automaton = byRules.get(schemaLiterals);
      if (!automaton) byRules.set(schemaLiterals, (automaton = new LiteralAutomaton([...ruleLiterals, ...schemaLiterals])));
      this.shared = { matcher: new LiteralMatcher(automaton), split: ruleLiterals.length };
    }
  }

  get inactiveRules(): readonly InactiveRule[] {
    return this.rules.inactive;
  }

  push(text: string): Intent[] {
    let fromRules: Intent[];
    let fromSchema: Intent[];
    if (this.shared && this.schema) {
      const hits = this.shared.matcher.push(text);
      const split = this.shared.split;
      let ruleHits = NO_HITS;
      let schemaHits = NO_HITS;
      for (const h of hits) {
        if (h.id < split) (ruleHits === NO_HITS ? (ruleHits = []) : ruleHits).push(h);
        else (schemaHits === NO_HITS ? (schemaHits = []) : schemaHits).push({ id: h.id - split, end: h.end });
      }
      fromRules = this.rules.pushHits(text, ruleHits);
      fromSchema = this.schema.pushHits(text, schemaHits);
    } else {
      fromRules = this.rules.push(text);
      fromSchema = NO_INTENTS;
    }
    if (fromRules.length === 0 && fromSchema.length === 0) return NO_INTENTS;
    return this.unique([...fromRules, ...fromSchema]);
  }

  flush(): Intent[] {
    return this.unique([...this.rules.flush(), ...(this.schema?.flush() ?? [])]);
  }

  private unique(intents: Intent[]): Intent[] {
    const out: Intent[] = [];
    for (const i of intents) {
      const key = intentKey(i.tool, i.kind === 'warm' ? 'warm' : i.canonical);
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      out.push(i);
    }
    return out;
  }
}
