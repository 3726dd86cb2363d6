import type { ToolSpec } from '../chat/types.js';
import type { ArgumentNormalizer } from '../schema/argument-normalizer.js';
import { LiteralMatcher, type LiteralHit } from './aho-corasick.js';
import { FencedBlockReader, type FencedBlock } from './fenced-block.js';
import { fencedCommand, impliedObjectFits, impliedTools, isCommandLeadIn, mayImply, SCHEMA_DECLARED_CONFIDENCE, SCHEMA_IMPLIED_CONFIDENCE } from './implied-call.js';
import { readKeywordRuns } from './keyword-run.js';
import { bindArgumentKeys } from './parameter-alias.js';
import type { Intent } from './intent.js';
import { schemaPlanFor, type ParamInfo, type SchemaPlan, type ToolInfo } from './schema-plan.js';
import { readSentence, TO_DO, type Mention, type SentenceHit, type StatedValue, type WrittenObject } from './sentence-reading.js';
import { SentenceSplitter, type Sentence } from './sentence-splitter.js';
import { looksLikeName } from './name-shape.js';
import { looksLikeValue } from './value-patterns.js';

/** Prior of an intent whose every value was labelled with its parameter's full name. */
export const SCHEMA_FULL_LABEL_CONFIDENCE = 0.7;
/** Prior when some value was labelled only by the last word of its parameter ("date"). */
export const SCHEMA_PARTIAL_LABEL_CONFIDENCE = 0.5;
/** Prior of a whole argument object written out (`tool({...})`, `{'city': 'Oslo'}`). */
export const SCHEMA_OBJECT_CONFIDENCE = 0.75;
/** Prior of an argument object whose keys were written as abbreviations (`m1=5, d=2`). */
export const SCHEMA_ABBREVIATED_CONFIDENCE = 0.6;
/** Prior of a quoted value bound to a parameter by the schema alone (the tool's one string parameter). */
export const SCHEMA_QUOTED_CONFIDENCE = 0.55;
/** Prior of an unquoted name or code bound by the schema ("search for Tim Rice"). */
export const SCHEMA_PHRASE_CONFIDENCE = 0.45;

/** Each of several alternatives ("X or Y") is the call with this much less confidence. */
const ALTERNATIVE_DISCOUNT = 0.5;
/** What a sentence without hits needs for `interpret` to find anything in it. */
const MAY_CARRY = /["`{\u201c]|\b(?:the same|that|this|it)(?: again)? (?:for|with)\b/i;
/** Candidates kept per parameter: the last few, not the whole turn. */
const KEEP_PER_PARAM = 4;
/** A labelled value is forgotten after this many sentences. */
const VALUE_WINDOW = 12;
/** Unlabelled values in the sentences after a mention still belong to it, for this many sentences. */
const MENTION_WINDOW = 2;
const NO_INTENTS: Intent[] = [];
const NO_HITS: SentenceHit[] = [];

interface Candidate {
  value: unknown;
  start: number;
  end: number;
  full: boolean;
  sentence: number;
}

/** The tool named last, whose following sentences may still state its values. */
interface OpenMention {
  tool: string;
  start: number;
  end: number;
  sentence: number;
}

/**
 * Recognises calls with no rule at all, from the request's tool list, one sentence at a time:
 * each finished sentence (see `SentenceSplitter`) is read once for the tools it names (by name,
 * as a verb, or by a distinctive noun) and the values it states, labelled by a parameter's
 * name before or after them (`event_id is "E1"`, `"X" as the entity`), written as an argument
 * object (`tool({...})`, `tool(k=v)`), or unlabelled and bound by the schema (a quoted value or
 * an unquoted name after the mention, for the one parameter it fits). Each mention takes the
 * values up to the next one, so parallel calls and plans ("search A, then B") come out apart.
 * Memory is bounded by windows: the last few values per parameter, the last mention.
 */
export class SchemaSniffer {
  private readonly plan: SchemaPlan;
  private readonly matcher: LiteralMatcher;
  private readonly splitter = new SentenceSplitter();
  private length = 0;
  /** Literal hits of the unfinished sentence, absolute offsets. */
  private hits: LiteralHit[] = [];
  /** Hits before this index belong to sentences already read. */
  private hitsHead = 0;
  private sentenceIndex = 0;
  private readonly fences: FencedBlockReader | undefined;
  private readonly candidates = new Map<string, Map<string, Candidate[]>>();
  /** The tools named last (most recent last), whose following sentences may still state their values. */
  private recent: OpenMention[] = [];

  /** Work done so far, counted (not timed): sentences cut, sentences read, and the characters of those. */
  readonly work = { sentences: 0, read: 0, charsRead: 0 };

  /** The automaton's literals, by id, for a caller that finds hits with a shared automaton. */
  get literals(): readonly string[] {
    return this.plan.literals;
  }

  constructor(
    tools: readonly ToolSpec[],
    private readonly normalizer: ArgumentNormalizer,
  ) {
    this.plan = schemaPlanFor(tools);
    this.matcher = new LiteralMatcher(this.plan.automaton);
    this.fences = this.plan.commandTool ? new FencedBlockReader() : undefined;
  }

  push(text: string): Intent[] {
    if (text.length === 0) return NO_INTENTS;
    const hits = this.matcher.push(text);
    return this.pushHits(text, hits, this.matcher.marks, this.matcher.markCount);
  }

  /**
   * Whether `n` more characters with no literal hit and no SENTENCE_MARKS character in them
   * would find nothing: they end no sentence (see `SentenceSplitter.wouldAbsorb`), and a
   * fenced block only ends at a line break, a marked character.
   */
  wouldAbsorb(n: number): boolean {
    return this.splitter.wouldAbsorb(n);
  }

  /**
   * Like `push`, with this chunk's literal hits found by an automaton shared with another
   * sniffer, and the positions of its SENTENCE_MARKS characters (`marks[0..markCount)`), which
   * that automaton was built to report.
   */
  pushHits(text: string, hits: readonly LiteralHit[], marks: Int32Array, markCount: number): Intent[] {
    if (text.length === 0) return NO_INTENTS;
    this.length += text.length;
    for (const h of hits) this.hits.push(h);
    // A fenced block spans lines, so it is read beside the sentences, for the command tool only.
    const fenced = this.fences ? this.fencedCalls(this.fences.push(text)) : NO_INTENTS;
    const sentences = this.splitter.pushMarked(text, marks, markCount);
    if (sentences.length === 0) return fenced;
    let out = fenced;
    for (const s of sentences) {
      const found = this.sentence(s);
      if (found.length > 0) out = out === NO_INTENTS ? found : [...out, ...found];
    }
    return out;
  }

  flush(): Intent[] {
    let out: Intent[] = this.fences ? this.fencedCalls(this.fences.flush()) : [];
    for (const s of this.splitter.flush()) out = [...out, ...this.sentence(s)];
    return out;
  }

  private sentence(s: Sentence): Intent[] {
    const end = s.start + s.text.length;
    let local = NO_HITS;
    // Hits come in the order they end: this sentence's are the next ones, up to its end.
    const hits = this.hits;
    let k = this.hitsHead;
    for (; k < hits.length; k++) {
      const h = hits[k]!;
      if (h.end > end) break;
      const len = this.plan.automaton.lengths[h.id]!;
      const start = h.end - len - s.start;
      if (start >= 0) (local === NO_HITS ? (local = []) : local).push({ id: h.id, start, end: h.end - s.start });
    }
    if (k === hits.length) {
      // A new list is cheaper than emptying this one (setting `length` goes through the runtime).
      if (k > 0) this.hits = [];
      this.hitsHead = 0;
    } else if (k > 256) {
      // Dropped in bulk, so the list stays as short as the unfinished sentence's hits.
      hits.splice(0, k);
      this.hitsHead = 0;
    } else this.hitsHead = k;
    const index = this.sentenceIndex++;
    this.work.sentences++;
    // With no tool or label in it, a sentence can only add a quoted value or a plan item for a
    // tool named just before, or a raw call object: most sentences are skipped unread.
    const carrying = this.recent.length > 0 && index - this.recent[this.recent.length - 1]!.sentence <= MENTION_WINDOW;
    // A sentence naming no tool may still imply a call (a command tool's command, declared values, key=value lists); asked once, when it matters.
    let implied: boolean | undefined;
    const mayImplyCall = () => (implied ??= mayImply(this.plan, s.text));
    // The splitter saw whether there is a brace, so most sentences are never even joined into one string.
    if (local === NO_HITS && !s.brace && !(carrying && MAY_CARRY.test(s.text)) && !mayImplyCall()) return NO_INTENTS;
    this.work.read++;
    this.work.charsRead += s.text.length;
    // Naming no tool, with none named just before and no brace, a sentence can only label values
    // for a later mention: only those are read, and remembered as `interpret` would.
    // Unless those labels declare a call by themselves ("so the city is Zürich"): then it is read whole.
    if (!s.brace && !this.recent.some((r) => index - r.sentence <= MENTION_WINDOW) && !local.some((h) => this.plan.meanings[h.id]!.mentions.length > 0) && !mayImplyCall()) {
      const labels = readSentence(this.plan, s.text, local, true);
      if (impliedTools(this.plan, labels, s.text, false).length === 0) {
        this.recent = [];
        for (const v of labels.values) for (const t of v.targets) this.remember(t.tool, t.param, v, t.full, s.text, s.start, index);
        return NO_INTENTS;
      }
    }
    const read = readSentence(this.plan, s.text, local);
    // `m1=5, d=2` in prose: an argument object like `{...}`, outside any call (the facts read are not changed).
    const runs = readKeywordRuns(s.text).filter((run) => !read.objects.some((o) => run.start < o.end && run.end > o.start));
    const facts = runs.length === 0 ? read : { ...read, objects: [...read.objects, ...runs.map((run) => ({ tool: undefined, args: run.args, start: run.start, end: run.end }))] };
    return this.interpret(facts, s.text, s.start, index);
  }

  private interpret(facts: { mentions: Mention[]; values: StatedValue[]; objects: WrittenObject[] }, sentenceText: string, base: number, index: number): Intent[] {
    const out: Intent[] = [];
    const mentions = absorbVerbs(facts.mentions, facts.values);
    // Every labelled value is remembered for the tools its label names, for a mention that comes later.
    for (const v of facts.values) for (const t of v.targets) this.remember(t.tool, t.param, v, t.full, sentenceText, base, index);
    const segments: { tool: string; start: number; end: number; mention?: Mention; carried: boolean; implied?: boolean }[] = [];
    mentions.forEach((m, k) => segments.push({ tool: m.tool, start: m.start, end: mentions[k + 1]?.start ?? Infinity, mention: m, carried: false }));
    this.recent = this.recent.filter((r) => index - r.sentence <= MENTION_WINDOW);
    if (mentions.length === 0 && this.recent.length > 0) {
      // The tool the sentence's labels speak of most, else the one named last.
      let best = this.recent[0]!;
      let bestScore = -1;
      for (const r of this.recent) {
        const score = facts.values.filter((v) => v.targets.some((t) => t.tool === r.tool)).length;
        if (score >= bestScore) {
          best = r;
          bestScore = score;
        }
      }
      segments.push({ tool: best.tool, start: 0, end: Infinity, carried: true });
    }
    // No tool named in the sentence: the tools its values imply (see `impliedTools`).
    if (mentions.length === 0) for (const tool of impliedTools(this.plan, facts, sentenceText, segments.length > 0)) if (!segments.some((x) => x.tool === tool)) segments.push({ tool, start: 0, end: Infinity, carried: true, implied: true });
    // A call written out as `{"name": "tool", "arguments": {...}}` (raw tool-call syntax) names its tool itself.
    for (const o of facts.objects) {
      const named = typeof o.args.name === 'string' ? this.plan.tools.get(o.args.name) : undefined;
      const inner = o.args.arguments ?? o.args.parameters;
      if (!named || inner === null || typeof inner !== 'object' || Array.isArray(inner)) continue;
      const intent = this.fromObject(named, { tool: named.name, args: inner as Record<string, unknown>, start: o.start, end: o.end }, base);
      if (intent) out.push(intent);
    }
    for (const seg of segments) {
      const info = this.plan.tools.get(seg.tool)!;
      const inSeg = (x: { start: number }) => x.start >= seg.start && x.start < seg.end;
      for (const o of facts.objects.filter(inSeg)) {
        if (seg.implied && !impliedObjectFits(info, o, sentenceText)) continue;
        const intent = this.fromObject(info, o, base, seg.implied === true);
        if (intent) out.push(intent);
      }
      const labelled = new Map<string, { v: StatedValue; full: boolean }>();
      const free: StatedValue[] = [];
      const weak = seg.mention !== undefined && seg.mention.style === 'noun' && !seg.mention.explicit;
      // A list parameter labelled with one value takes the values listed right after it ("tags "late", "refund"").
      let listing: { items: unknown[]; end: number; entry: { v: StatedValue; full: boolean } } | undefined;
      for (const v of facts.values.filter(inSeg)) {
        // After a noun ("the event details"), a label shared with other tools does not say which tool it is for.
        if (weak && v.targets.some((x) => x.tool !== seg.tool)) continue;
        if (listing && v.targets.length === 0 && typeof v.value === 'string' && LIST_JOIN.test(sentenceText.slice(listing.end, v.start))) {
          listing.items.push(v.value);
          listing.end = v.end;
          listing.entry.v = { ...listing.entry.v, end: v.end };
          continue;
        }
        listing = undefined;
        const t = v.targets.find((x) => x.tool === seg.tool && fits(info.props.get(x.param)!, v));
        const list = t ? undefined : v.targets.find((x) => x.tool === seg.tool && info.props.get(x.param)!.type === 'array' && typeof v.value === 'string');
        if (t) labelled.set(t.param, { v, full: t.full });
        else if (list) {
          const items: unknown[] = [v.value];
          const entry = { v: { ...v, value: items }, full: list.full };
          labelled.set(list.param, entry);
          listing = { items, end: v.end, entry };
        } else if (v.targets.length === 0 && (!seg.carried || v.how === 'quoted' || v.how === 'plan') && (!seg.implied || (v.how === 'quoted' && seg.tool === this.plan.commandTool?.tool && isCommandLeadIn(sentenceText, v.start)))) free.push(v);
      }
      // Several parameters still open: values right after the mention bind where only one parameter fits each.
      // After a noun ("the forecast for Monday on …"), only in a sentence that says what to do.
      if (seg.mention && !seg.carried && !seg.implied && free.length > 1 && bindingParam(info, labelled) === undefined && (seg.mention.style !== 'noun' || TO_DO.test(sentenceText.slice(0, seg.mention.start)))) {
        const byShape = bindByShape(info, labelled, chained(sentenceText, seg.mention.end, free, false), sentenceText);
        for (const [p, v] of byShape) {
          labelled.set(p, { v, full: false });
          free.splice(free.indexOf(v), 1);
        }
      }
      let fitParam = bindingParam(info, labelled);
      // The one open parameter takes a list: the values listed after the mention are its items, one call ("get_prices for AAPL and MSFT").
      if (fitParam && info.props.get(fitParam)!.type === 'array' && seg.mention && !seg.carried && !seg.implied) {
        const items = chained(sentenceText, seg.mention.end, free.filter((v) => typeof v.value === 'string' && v.how !== 'plan'), false);
        // "A or B" is a choice, "A, then B" a plan of calls (each with a list of one, below).
        if (items.length > 0 && !items.some((v, k) => k > 0 && /\b(?:or|then|followed by)\b/i.test(sentenceText.slice(items[k - 1]!.end, v.start)))) {
          labelled.set(fitParam, { v: { ...items[0]!, value: items.map((v) => v.value), end: items[items.length - 1]!.end }, full: false });
          for (const v of items) free.splice(free.indexOf(v), 1);
          fitParam = bindingParam(info, labelled);
        }
      }
      const listParam = fitParam !== undefined && info.props.get(fitParam)!.type === 'array';
      const bound = fitParam
        ? chained(sentenceText, seg.mention?.end ?? 0, free.filter((v) => (fits(info.props.get(fitParam!)!, v) || (listParam && typeof v.value === 'string')) && (!IDENTIFIER_PARAM.test(fitParam!) || (!/\s/.test(v.text) && looksLikeValue(v.text)))), seg.carried)
        : [];
      const choices: (StatedValue | undefined)[] = bound.length > 0 ? bound : [undefined];
      // "A or B": only one of the alternatives will be called.
      const alternatives = bound.length > 1 && bound.some((v, k) => k > 0 && /\bor\b/i.test(sentenceText.slice(bound[k - 1]!.end, v.start)));
      choices.forEach((choice, k) => {
        const args: Record<string, unknown> = {};
        // The span starts where this call's own statement starts, which is where its framing is read.
        // A mention in another clause than its value ("the first command failed, so try "X"") frames nothing.
        const apart = choice !== undefined && seg.mention !== undefined && CLAUSE_APART.test(sentenceText.slice(seg.mention.end, choice.start));
        const first = k > 0 || !seg.mention || apart ? (choice ?? [...labelled.values()][0]?.v) : seg.mention;
        if (!first) return;
        const spans: { start: number; end: number }[] = [{ start: base + first.start, end: base + first.end }];
        let confidence = SCHEMA_FULL_LABEL_CONFIDENCE;
        for (const [p, { v, full }] of labelled) {
          args[p] = valueFor(info.props.get(p), v, sentenceText);
          spans.push({ start: base + v.start, end: base + v.end });
          if (!full) confidence = Math.min(confidence, SCHEMA_PARTIAL_LABEL_CONFIDENCE);
        }
        if (choice && fitParam) {
          args[fitParam] = listParam && !Array.isArray(choice.value) ? [choice.value] : valueFor(info.props.get(fitParam), choice, sentenceText);
          spans.push({ start: base + choice.start, end: base + choice.end });
          confidence = Math.min(confidence, choice.how === 'quoted' ? SCHEMA_QUOTED_CONFIDENCE - (seg.carried ? 0.1 : 0) : choice.how === 'phrase' && !/\s/.test(choice.text) ? SCHEMA_PHRASE_CONFIDENCE - 0.1 : SCHEMA_PHRASE_CONFIDENCE);
        }
        const stated = Object.keys(args).length;
        // Earlier labelled values fill what this segment left out.
        for (const p of info.required) {
          if (p in args) continue;
          if (weak) return;
          const c = this.recall(seg.tool, p, index, Object.values(args));
          if (!c) return;
          args[p] = c.value;
          spans.push({ start: c.start, end: c.end });
          if (!c.full) confidence = Math.min(confidence, SCHEMA_PARTIAL_LABEL_CONFIDENCE);
        }
        // Defaults never complete a call on their own: something must have been stated for it.
        if (stated === 0 && (info.required.length === 0 ? info.props.size > 0 || !seg.mention?.explicit : seg.carried)) return;
        if (stated === 0 && info.required.every((p) => !(p in args))) return;
        // A value only declared for its label ("the answer is X"), with no tool named, is often a thought, not yet the call.
        if (seg.implied) confidence = Math.min(confidence, choice ? SCHEMA_IMPLIED_CONFIDENCE : SCHEMA_DECLARED_CONFIDENCE);
        const intent = this.intent(info, args, spans, alternatives ? confidence * ALTERNATIVE_DISCOUNT : confidence);
        if (intent) out.push(intent);
      });
    }
    for (const m of mentions) {
      this.recent = this.recent.filter((r) => r.tool !== m.tool);
      this.recent.push({ tool: m.tool, start: base + m.start, end: base + m.end, sentence: index });
      if (this.recent.length > 3) this.recent.shift();
    }
    return out;
  }

  private fromObject(info: ToolInfo, o: WrittenObject, base: number, implied = false): Intent | undefined {
    let args = o.args;
    if (o.positional !== undefined) {
      const p = bindingParam(info, new Map());
      if (!p) return undefined;
      args = { [p]: o.positional };
    }
    const keys = Object.keys(args);
    if (keys.length === 0 && info.required.length > 0) return undefined;
    // Keys written short (`m1`, `d`) stand for the one parameter each abbreviates, or for nothing.
    const bound = bindArgumentKeys(args, [...info.props.keys()], new Set(info.required));
    if (!bound) return undefined;
    const confidence = implied ? SCHEMA_IMPLIED_CONFIDENCE : bound.abbreviated ? SCHEMA_ABBREVIATED_CONFIDENCE : SCHEMA_OBJECT_CONFIDENCE;
    return this.intent(info, bound.args, [{ start: base + o.start, end: base + o.end }], confidence);
  }

  private fencedCalls(blocks: readonly FencedBlock[]): Intent[] {
    let out = NO_INTENTS;
    for (const b of blocks) {
      const call = fencedCommand(this.plan, b);
      const intent = call && this.intent(this.plan.tools.get(call.tool)!, call.args, [{ start: call.start, end: b.end }], SCHEMA_IMPLIED_CONFIDENCE);
      if (intent) out = out === NO_INTENTS ? [intent] : [...out, intent];
    }
    return out;
  }

  /** Recent normalisations: the same call restated sentence after sentence is checked once. */
  private readonly normalized = new Map<string, ReturnType<ArgumentNormalizer['normalize']>>();

  private intent(info: ToolInfo, args: Record<string, unknown>, spans: { start: number; end: number }[], confidence: number): Intent | undefined {
    const memo = `${info.name}\u0000${JSON.stringify(args)}`;
    let normalized = this.normalized.get(memo);
    if (!normalized) {
      normalized = this.normalizer.normalize(info.schema, args);
      if (this.normalized.size >= 256) this.normalized.delete(this.normalized.keys().next().value as string);
      this.normalized.set(memo, normalized);
    }
    if (!normalized.ok) return undefined;
    return {
      kind: 'call',
      tool: info.name,
      args: normalized.value,
      canonical: normalized.canonical,
      source: 'schema',
      ruleId: `schema:${info.name}`,
      confidence,
      span: { start: spans[0]!.start, end: Math.max(...spans.map((s) => s.end)) },
      at: this.length,
    };
  }

  private remember(tool: string, param: string, v: StatedValue, full: boolean, text: string, base: number, index: number): void {
    const info = this.plan.tools.get(tool);
    const prop = info?.props.get(param);
    if (!prop || !fits(prop, v)) return;
    let byParam = this.candidates.get(tool);
    if (!byParam) this.candidates.set(tool, (byParam = new Map()));
    const list = byParam.get(param) ?? [];
    list.push({ value: valueFor(prop, v, text), start: base + v.start, end: base + v.end, full, sentence: index });
    if (list.length > KEEP_PER_PARAM) list.shift();
    byParam.set(param, list);
  }

  /** The latest value labelled for `param` within the window, full labels first, not one already used. */
  private recall(tool: string, param: string, index: number, used: unknown[]): Candidate | undefined {
    const list = (this.candidates.get(tool)?.get(param) ?? []).filter((c) => index - c.sentence <= VALUE_WINDOW && !used.includes(c.value));
    const full = list.filter((c) => c.full);
    return (full.length > 0 ? full : list)[(full.length > 0 ? full : list).length - 1];
  }
}

/**
 * The parameter an unlabelled value binds to: the one required parameter not yet labelled,
 * else the only parameter not yet labelled. Undefined when the schema leaves it open.
 */
function bindingParam(info: ToolInfo, labelled: Map<string, unknown>): string | undefined {
  const requiredOpen = info.required.filter((p) => !labelled.has(p));
  if (requiredOpen.length === 1) return requiredOpen[0];
  if (requiredOpen.length > 1) return undefined;
  const open = [...info.props.keys()].filter((p) => !labelled.has(p));
  return open.length === 1 && labelled.size === 0 ? open[0] : undefined;
}

/** Parameter names that take the "from" side of a pair, and the "to" side. */
const FROM_PARAM = /^(?:from|origin|source|src|start|departure|depart|sender|old)|_(?:from|origin|source|src|start)$|^from_/i;
const TO_PARAM = /^(?:to|destination|dest|target|recipient|end|arrival|arrive|new)|_(?:to|destination|dest|target|end)$|^to_/i;

/**
 * Binds unlabelled values to a tool's open parameters by what fits: each value to the one open
 * parameter its type and format fit ("2026-03-14" to the date, 250 to the amount, "EUR" to the
 * currency enum), a value after "from" or "to" to the parameter named for that side, one
 * binding making the next one plain (constraint by constraint). All or nothing: a value that
 * fits none, or several equally, binds nothing, so an ambiguous sentence predicts no call.
 */
function bindByShape(info: ToolInfo, labelled: Map<string, unknown>, values: readonly StatedValue[], text: string): Map<string, StatedValue> {
  const open = [...info.props.keys()].filter((p) => !labelled.has(p));
  const options = values.map((v) => {
    let fit = open.filter((p) => fitsStrictly(info.props.get(p)!, v));
    const before = text.slice(Math.max(0, v.start - 8), v.start);
    const side = /\bfrom\s*$/i.test(before) ? FROM_PARAM : /\bto\s*$/i.test(before) ? TO_PARAM : undefined;
    if (side) {
      const sided = fit.filter((p) => side.test(p));
      if (sided.length > 0) fit = sided;
    }
    return fit;
  });
  const bound = new Map<string, StatedValue>();
  const placed = new Set<StatedValue>();
  for (let changed = true; changed; ) {
    changed = false;
    options.forEach((fit, k) => {
      const v = values[k]!;
      const left = fit.filter((p) => !bound.has(p));
      if (left.length === 1 && !placed.has(v)) {
        bound.set(left[0]!, v);
        placed.add(v);
        changed = true;
      }
    });
  }
  return bound.size === values.length ? bound : new Map();
}

/**
 * The value a parameter takes from what was read: with the number sign written right before
 * it ("order #W2378156") when the schema writes the parameter's values so (see `ParamInfo.hashed`).
 */
function valueFor(prop: ParamInfo | undefined, v: StatedValue, text: string): unknown {
  const value = v.value;
  if (!prop?.hashed || typeof value !== 'string' || value.startsWith('#') || prop.type === 'integer' || prop.type === 'number' || text.charCodeAt(v.start - 1) !== 35) return value;
  return `#${value}`;
}

/** `fits`, and a plain string does not fit a parameter with a format or an enum it does not meet, nor a number a string (any text would). */
function fitsStrictly(prop: ParamInfo, v: StatedValue): boolean {
  if (!fits(prop, v)) return false;
  if ((prop.type === 'string' || prop.type === undefined) && !prop.enum && !prop.format) {
    const text = String(v.value);
    return !/^-?\d+(?:\.\d+)?$/.test(text) && !/^\d{4}-\d{2}-\d{2}$/.test(text);
  }
  return true;
}

/** Whether a stated value fits a parameter's schema, as far as the sniffer can tell. */
function fits(prop: ParamInfo, v: StatedValue): boolean {
  const value = v.value;
  if (prop.enum) return prop.enum.some((e) => String(e) === String(value));
  // A word between label and value ("the location parameter as 'Paris'") is trusted with a quoted value or one with a digit.
  if (v.filler && !v.quoted && !/\d/.test(v.text)) return false;
  switch (prop.type) {
    case 'integer':
    case 'number':
      return typeof value === 'number' || (typeof value === 'string' && /^-?\d+(?:\.\d+)?$/.test(value));
    case 'boolean':
      return typeof value === 'boolean' || (typeof value === 'string' && /^(?:true|false)$/i.test(value));
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    case 'string':
    case undefined:
      if (typeof value !== 'string') return typeof value === 'number' && prop.type === undefined;
      if (prop.format === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
      if (v.how !== 'labelled' || v.quoted) return true;
      return looksLikeValue(value) || looksLikeName(value);
    default:
      return false;
  }
}

/** Words between a mention and a value that make the value a result, not the call's argument. */
const RESULT_WORDS =
  /\b(?:return(?:s|ed)?|show(?:s|ed)|points? to|pointed to|says|said|mention(?:s|ed)?|found|gave|gives|got|is|was|are|were|based|known|like|called|named|titled|about|result(?:s|ed)? in|yield(?:s|ed)|produc(?:es|ed)|print(?:s|ed)|output(?:s|ted)?|respond(?:s|ed)|report(?:s|ed)|suggest(?:s|ed)|indicat(?:es|ed)|means|meant)\b/i;
/** A sentence with no mention states a call's value only when it says what to do with it. */
const ACTION_CUE = /\b(?:I'll|I will|let me|let's|let us|we'll|we will|I should|we should|I need to|we need to|I'm going to|try|trying|use|using|call|run|enter|type|with|command|query|input|next|then|finally|first)\b/i;
/** A parameter named as an identifier takes, unlabelled, only a value shaped like one (not "The Silent Witness"). */
const IDENTIFIER_PARAM = /(?:^|_|[a-z](?=[A-Z]))(?:id|ids|uuid|guid|number|num|no|code|key|sku|isbn|ref|reference)$/i;
/** Quoted text, whose words are not the sentence's ("Call Me Maybe" is a title, not a call). */
const QUOTED = /"[^"\n]*"|`[^`\n]*`|\u201c[^\u201d\n]*\u201d/g;
/** Between two items of a list: a comma, "and", or both. */
const LIST_JOIN = /^\s*(?:,\s*(?:and\s+)?|,?\s+and\s+|\s*&\s*)$/i;
/** Between a mention and its value: a clause ends there. */
const CLAUSE_APART = /[,;:]|\b(?:so|then|but|since|because)\b/i;
/** A new clause that states the next step, right before a value: "…, so now I need", "; next I will use". */
const RESUMES = /(?:[,;:]|\b(?:so|then|now|next)\b)\s*(?:(?:so|then|now|next|after that)\s+)*(?:I|we|let me|let's|let us)(?:'ll| will| need to| must| should| have to| can)?\s+(?:\w+\s+){0,4}(?:for|with|on|about)?\s*$/i;
/** Longest stretch between a mention (or the previous value of a list) and the next value. */
const MAX_GAP = 60;

/**
 * The unlabelled values that read as the call's arguments: the first close after the mention,
 * each next one close after the previous ("search A, then B, then C"), none after words that
 * make it a result ("… returns "X""). In a sentence with no mention, only one that says what to do.
 */
function chained(text: string, from: number, values: readonly StatedValue[], carried: boolean): StatedValue[] {
  if (carried) return ACTION_CUE.test(text.replace(QUOTED, '')) ? values.filter((v) => v.how === 'quoted' || v.how === 'plan') : values.filter((v) => v.how === 'plan');
  const out: StatedValue[] = [];
  let at = from;
  let broken = false;
  for (const v of values) {
    const gap = text.slice(at, v.start);
    if (broken || gap.length > MAX_GAP || RESULT_WORDS.test(gap)) {
      // A result restated, then the next step in a clause of its own ("… gave 182.5 for "AAPL",
      // so now I need "MSFT""): the chain resumes at that step's value.
      broken = true;
      at = v.end;
      const step = RESUMES.exec(gap);
      if (!step || step[0].length > MAX_GAP || RESULT_WORDS.test(step[0])) continue;
      broken = false;
    }
    out.push(v);
    at = v.end;
  }
  return out;
}

/**
 * A verb or noun use of a tool right after another tool was named outright ("use the lookup
 * tool to search for X") describes that call, not a second one.
 */
function absorbVerbs(mentions: readonly Mention[], values: readonly StatedValue[]): Mention[] {
  const out: Mention[] = [];
  for (const m of mentions) {
    const prev = out[out.length - 1];
    if (prev && prev.explicit && !m.explicit && prev.tool !== m.tool && m.start - prev.end < 80 && !values.some((v) => v.start >= prev.end && v.start < m.start)) continue;
    if (prev && prev.tool === m.tool && !values.some((v) => v.start >= prev.end && v.start < m.start)) {
      // The same tool named twice with nothing between ("search … searching for"): one mention.
      if (!prev.explicit && m.explicit) out[out.length - 1] = { ...m, start: prev.start };
      continue;
    }
    out.push(m);
  }
  return out;
}
