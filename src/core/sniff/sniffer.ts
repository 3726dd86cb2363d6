import type { ToolSpec } from '../chat/types.js';
import type { Rule } from '../rules/rule-ast.js';
import type { ArgumentNormalizer } from '../schema/argument-normalizer.js';
import { LiteralAutomaton, LiteralMatcher, type LiteralHit } from './aho-corasick.js';
import { cueStrength, framingOf } from './framing.js';
import { intentKey, type Intent } from './intent.js';
import { RuleSniffer, type InactiveRule } from './rule-sniffer.js';
import { SchemaSniffer } from './schema-sniffer.js';
import { SENTENCE_MARKS } from './sentence-splitter.js';

const NO_INTENTS: Intent[] = [];
/** Reasoning kept for reading an intent's framing: enough for the clause before the evidence. */
const FRAMING_TAIL = 2048;
const STRONGEST = cueStrength(undefined);
/** A refusal or a recap is not a prediction of a call; a maybe is a weaker one. */
const NO_HITS: LiteralHit[] = [];
const NO_MARKS = new Int32Array(0);
/**
 * A call restated with evidence this much surer (its name and a labelled value after a noun and
 * a bare name, say) is reported again, so the speculator can weigh it at its new prior.
 */
const RESTATED_MARGIN = 0.1;
/** Most text held back before it is handed over anyway: a bound on the lag, not needed for correctness. */
const MAX_HELD = 1024;

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
 * first, each with the `cue` of how the reasoning framed it (see `framingOf`); a call first
 * stated as ruled out, done or maybe is reported again when a later statement frames it more
 * strongly, and one restated with surer evidence (RESTATED_MARGIN) again at its new confidence.
 * Framed intents carry a lower `confidence` (refusals and recaps far below any firing
 * threshold). Feed it reasoning only; make a new one per turn.
 */
export class Sniffer {
  private readonly rules: RuleSniffer;
  private readonly schema: SchemaSniffer | undefined;
  /** Strength of the framing and confidence each (tool, arguments) was last reported with. */
  private readonly seen = new Map<string, { strength: number; confidence: number }>();
  /** The last stretch of reasoning, for framing; starts at `tailStart`. */
  private tail = '';
  private tailStart = 0;
  /** Chunks held back, not yet handed to the sniffers (see `pushShared`). */
  private held = '';
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
      if (!automaton) byRules.set(schemaLiterals, (automaton = new LiteralAutomaton([...ruleLiterals, ...schemaLiterals], SENTENCE_MARKS)));
      this.shared = { matcher: new LiteralMatcher(automaton), split: ruleLiterals.length };
    }
  }

  get inactiveRules(): readonly InactiveRule[] {
    return this.rules.inactive;
  }

  push(text: string): Intent[] {
    if (this.shared && this.schema) return this.pushShared(text, this.shared.matcher);
    this.keepTail(text);
    const fromRules = this.rules.push(text);
    return fromRules.length === 0 ? NO_INTENTS : this.unique(fromRules);
  }

  /**
   * Reads a chunk with the automaton both sniffers share. A chunk with no literal hit and no
   * marked character, while no rule pattern waits for text and no sentence could end in it
   * (the common case with a few characters per chunk), is only held back: it is handed to
   * both sniffers joined to the next chunk that matters, which finds exactly what they would
   * have found chunk by chunk, in one call instead of many.
   */
  private pushShared(text: string, matcher: LiteralMatcher): Intent[] {
    const hits = matcher.push(text);
    const schema = this.schema!;
    const held = this.held.length;
    if (hits.length === 0 && matcher.markCount === 0 && held + text.length < MAX_HELD && this.rules.idle && schema.wouldAbsorb(held + text.length)) {
      this.held = held === 0 ? text : this.held + text;
      return NO_INTENTS;
    }
    let body = text;
    if (held > 0) {
      body = this.held + text;
      this.held = '';
      // Marks are positions in the chunk: shifted to the joined text.
      const marks = matcher.marks;
      for (let k = 0; k < matcher.markCount; k++) marks[k] = marks[k]! + held;
    }
    this.keepTail(body);
    const split = this.shared!.split;
    let ruleHits = NO_HITS;
    let schemaHits = NO_HITS;
    for (let k = 0; k < hits.length; k++) {
      const h = hits[k]!;
      if (h.id < split) (ruleHits === NO_HITS ? (ruleHits = []) : ruleHits).push(h);
      else (schemaHits === NO_HITS ? (schemaHits = []) : schemaHits).push({ id: h.id - split, end: h.end });
    }
    const fromRules = this.rules.pushHits(body, ruleHits);
    const fromSchema = schema.pushHits(body, schemaHits, matcher.marks, matcher.markCount);
    if (fromRules.length === 0 && fromSchema.length === 0) return NO_INTENTS;
    return this.unique(fromSchema.length === 0 ? fromRules : fromRules.length === 0 ? fromSchema : fromRules.concat(fromSchema));
  }

  private keepTail(text: string): void {
    this.tail += text;
    if (this.tail.length > 2 * FRAMING_TAIL) {
      const drop = this.tail.length - FRAMING_TAIL;
      this.tail = this.tail.slice(drop);
      this.tailStart += drop;
    }
  }

  flush(): Intent[] {
    let held: Intent[] = NO_INTENTS;
    if (this.held.length > 0) {
      const body = this.held;
      this.held = '';
      this.keepTail(body);
      held = [...this.rules.pushHits(body, NO_HITS), ...this.schema!.pushHits(body, NO_HITS, NO_MARKS, 0)];
    }
    return this.unique([...held, ...this.rules.flush(), ...(this.schema?.flush() ?? [])]);
  }

  private unique(intents: Intent[]): Intent[] {
    const out: Intent[] = [];
    for (const raw of intents) {
      const key = intentKey(raw.tool, raw.kind === 'warm' ? 'warm' : raw.canonical);
      const before = this.seen.get(key);
      // Already reported as plainly, and as surely, as this: nothing to read.
      if (before !== undefined && before.strength === STRONGEST && raw.confidence < before.confidence + RESTATED_MARGIN) continue;
      const i = raw.kind === 'warm' ? raw : this.framed(raw);
      const strength = cueStrength(i.cue);
      if (before !== undefined && (strength < before.strength || (strength === before.strength && i.confidence < before.confidence + RESTATED_MARGIN))) continue;
      this.seen.set(key, { strength, confidence: i.confidence });
      out.push(i);
    }
    return out;
  }

  private framed(intent: Intent): Intent {
    const from = Math.max(intent.span.start, this.tailStart);
    const to = Math.max(from, intent.span.end);
    const cue = framingOf(this.tail, from - this.tailStart, to - this.tailStart);
    // The cue is reported, not priced in: the speculator decides what a framing costs (see TurnSpeculator).
    return cue === undefined ? intent : { ...intent, cue };
  }
}
