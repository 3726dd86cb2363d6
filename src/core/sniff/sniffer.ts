import type { ToolSpec } from '../chat/types.js';
import type { Rule } from '../rules/rule-ast.js';
import type { ArgumentNormalizer } from '../schema/argument-normalizer.js';
import { intentKey, type Intent } from './intent.js';
import { RuleSniffer, type InactiveRule } from './rule-sniffer.js';
import { SchemaSniffer } from './schema-sniffer.js';

const NO_INTENTS: Intent[] = [];

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

  constructor(options: SnifferOptions) {
    this.rules = new RuleSniffer(options.rules, options.tools, options.normalizer);
    this.schema = options.schemaSniffing === false ? undefined : new SchemaSniffer(options.tools, options.normalizer);
  }

  get inactiveRules(): readonly InactiveRule[] {
    return this.rules.inactive;
  }

  push(text: string): Intent[] {
    const fromRules = this.rules.push(text);
    const fromSchema = this.schema ? this.schema.push(text) : NO_INTENTS;
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
