import type { JsonSchema, ToolSpec } from '../chat/types.js';
import type { ArgumentNormalizer } from '../schema/argument-normalizer.js';
import { LiteralAutomaton, LiteralMatcher, type LiteralHit } from './aho-corasick.js';
import { intentKey, type Intent } from './intent.js';
import { isWordChar, readLabelledValue, type LabelledRead, type LabelledValue } from './labelled-value.js';
import { PlanCache } from './plan-cache.js';
import { looksLikeValue, splitName } from './value-patterns.js';

/** Prior of an intent whose every value was labelled with its parameter's full name. */
export const SCHEMA_FULL_LABEL_CONFIDENCE = 0.7;
/** Prior when some value was labelled only by the last word of its parameter ("date"). */
export const SCHEMA_PARTIAL_LABEL_CONFIDENCE = 0.5;

/** Last words too vague to label a value on their own. */
const VAGUE_WORDS = new Set(['type', 'name', 'value', 'data', 'info', 'details', 'method', 'id', 'ids', 'status', 'mode', 'text', 'list', 'options', 'kind', 'format']);
/** A label's value starts within this many characters, quoted values included. */
const MAX_LABEL_SPAN = 240;
const NO_INTENTS: Intent[] = [];

interface LabelTarget {
  tool: string;
  param: string;
  full: boolean;
}

interface Candidate {
  value: string;
  start: number;
  end: number;
  full: boolean;
}

interface ToolInfo {
  schema: JsonSchema | undefined;
  props: Record<string, { type?: unknown; enum?: unknown[] }>;
  required: string[];
}

/** What one literal of the automaton stands for. */
type LiteralMeaning = { kind: 'mention'; tool: string } | { kind: 'label'; targets: LabelTarget[] } | { kind: 'sentence-end' };

/** A sentence ends at whitespace after . ! or ?, or at a newline; found by the same automaton. */
const SENTENCE_ENDS = ['. ', '.\t', '.\r', '! ', '!\t', '? ', '?\t', '\n'];

/** A label occurrence whose value the text has not decided yet. */
interface OpenLabel {
  start: number;
  end: number;
  targets: LabelTarget[];
}

/**
 * Recognises calls with no rule at all, from the request's tool list: an offered tool's name
 * (as written or in words) and values stated next to its parameters' names (`event_id is
 * "E1"`, `order number ORD-7`, `user_id (u_1)`, `Event ID: X`) anywhere in the turn's
 * reasoning. A call is predicted once the tool was named and every required parameter has a
 * value that fits its schema, at the end of the sentence that completed it; each mention of
 * the tool takes the values stated before the next mention, so parallel calls come out apart.
 * Costs one automaton pass per chunk plus an exact read at each label occurrence.
 */
export class SchemaSniffer {
  private readonly plan: SchemaPlan;
  private readonly matcher: LiteralMatcher;
  private tail = '';
  private tailStart = 0;
  private length = 0;
  private readonly open: OpenLabel[] = [];
  /** Mentions waiting for the character after them (a word boundary). */
  private readonly openMentions: { tool: string; start: number; end: number }[] = [];
  private readonly mentions = new Map<string, { start: number; end: number }[]>();
  private readonly candidates = new Map<string, Map<string, Candidate[]>>();
  private readonly emitted = new Set<string>();
  /** The values each mention was last assembled from, so an unchanged set is not checked again. */
  private readonly assembledFrom = new Map<string, string>();
  /** Tools with evidence not yet assembled, and where their latest evidence ends. */
  private readonly dirty = new Map<string, number>();
  /** Sentence ends not yet passed by every open label before them. */
  private readonly boundaries: number[] = [];
  private lastBoundary = -1;

  /** The automaton's literals, by id, for a caller that finds hits with a shared automaton. */
  get literals(): readonly string[] {
    return this.plan.literals;
  }

  constructor(
    tools: readonly ToolSpec[],
    private readonly normalizer: ArgumentNormalizer,
  ) {
    this.plan = PLANS.getFor(tools, () => JSON.stringify(tools), () => buildPlan(tools));
    this.matcher = new LiteralMatcher(this.plan.automaton);
  }

  push(text: string): Intent[] {
    if (text.length === 0) return NO_INTENTS;
    return this.pushHits(text, this.matcher.push(text));
  }

  /** Like `push`, with this chunk's literal hits found by an automaton shared with another sniffer. */
  pushHits(text: string, hits: readonly LiteralHit[]): Intent[] {
    if (text.length === 0) return NO_INTENTS;
    this.tail += text;
    this.length += text.length;
    for (const hit of hits) {
      const meaning = this.plan.meanings[hit.id]!;
      if (meaning.kind === 'sentence-end') {
        // The whitespace (or newline) that ends the sentence is the hit's last character.
        this.boundaries.push(hit.end - 1);
        continue;
      }
      const start = hit.end - this.plan.automaton.lengths[hit.id]!;
      if (start > this.tailStart && isWordChar(this.tail.charCodeAt(start - this.tailStart - 1))) continue;
      if (meaning.kind === 'mention') this.openMentions.push({ tool: meaning.tool, start, end: hit.end });
      else this.open.push({ start, end: hit.end, targets: meaning.targets });
    }
    if (this.openMentions.length > 0 || this.open.length > 0) this.resolve(false);
    const out = this.assembleReady(false);
    this.trim();
    return out;
  }

  flush(): Intent[] {
    this.resolve(true);
    this.boundaries.length = 0;
    return this.assembleReady(true);
  }

  private resolve(final: boolean): void {
    for (let k = 0; k < this.openMentions.length; ) {
      const m = this.openMentions[k]!;
      const after = m.end - this.tailStart;
      if (after >= this.tail.length && !final) {
        k++;
        continue;
      }
      this.openMentions.splice(k, 1);
      if (after < this.tail.length && isWordChar(this.tail.charCodeAt(after))) continue;
      this.mentions.set(m.tool, [...(this.mentions.get(m.tool) ?? []), { start: m.start, end: m.end }]);
      this.markDirty(m.tool, m.end);
    }
    for (let k = 0; k < this.open.length; ) {
      const label = this.open[k]!;
      const decided = this.decide(label, final);
      if (decided) this.open.splice(k, 1);
      else k++;
    }
  }

  /** Reads a label's value if the text decides it; true once decided (value taken or not). */
  private decide(label: OpenLabel, final: boolean): boolean {
    const at = label.end - this.tailStart;
    if (at < this.tail.length && isWordChar(this.tail.charCodeAt(at))) return true;
    if (at >= this.tail.length && !final) return false;
    if (this.length - label.start > MAX_LABEL_SPAN + 16) final = true;
    const plain = readLabelledValue(this.tail, at, final, false);
    if (plain.status === 'more') return false;
    const pending = label.targets.filter((t) => !(plain.status === 'value' && this.accept(t, plain.value, label.start)));
    if (pending.length === 0) return true;
    // "event start time 2026-…": one word between label and value, for targets the plain read did not suit.
    const withFiller: LabelledRead = readLabelledValue(this.tail, at, final, true);
    if (withFiller.status === 'more') {
      label.targets = pending;
      return false;
    }
    if (withFiller.status === 'value') for (const t of pending) this.accept(t, withFiller.value, label.start);
    return true;
  }

  /** Records a labelled value for a parameter if it fits the parameter's type. */
  private accept(target: LabelTarget, value: LabelledValue, start: number): boolean {
    const info = this.plan.tools.get(target.tool);
    const prop = info?.props[target.param];
    if (!info || !prop) return false;
    const text = value.text;
    const type = prop.type;
    if (Array.isArray(prop.enum)) {
      if (!prop.enum.some((e) => String(e) === text)) return false;
    } else if (type === 'integer' || type === 'number') {
      if (!/^-?\d+(?:\.\d+)?$/.test(text)) return false;
    } else if (type === 'boolean') {
      if (!/^(?:true|false)$/i.test(text)) return false;
    } else if (type === 'string' || type === undefined) {
      if (!value.quoted && !looksLikeValue(text)) return false;
    } else {
      return false;
    }
    if (value.filler && !/\d/.test(text)) return false;
    let byParam = this.candidates.get(target.tool);
    if (!byParam) this.candidates.set(target.tool, (byParam = new Map()));
    const end = this.tailStart + value.end;
    const list = byParam.get(target.param);
    const candidate = { value: text, start, end, full: target.full };
    if (list) list.push(candidate);
    else byParam.set(target.param, [candidate]);
    // A tool not named yet has nothing to assemble; naming it later marks it.
    if (this.mentions.has(target.tool)) this.markDirty(target.tool, end);
    return true;
  }

  private markDirty(tool: string, end: number): void {
    this.dirty.set(tool, Math.max(this.dirty.get(tool) ?? 0, end));
  }

  // Values of one call are usually listed in one sentence ("user_id is u1, isbn is X, quantity
  // is 1."), so a call is assembled only once the sentence holding its latest evidence has ended
  // and every label before that end is decided; sentence ends arrive as automaton hits.

  private assembleReady(all: boolean): Intent[] {
    if (this.dirty.size === 0 && !all) {
      if (this.open.length === 0 && this.openMentions.length === 0) this.boundaries.length = 0;
      return NO_INTENTS;
    }
    const firstOpen = Math.min(this.open[0]?.start ?? Infinity, this.openMentions[0]?.start ?? Infinity);
    while (this.boundaries.length > 0 && this.boundaries[0]! <= firstOpen) this.lastBoundary = this.boundaries.shift()!;
    if (this.dirty.size === 0) return NO_INTENTS;
    let out = NO_INTENTS;
    for (const [tool, lastEvidence] of this.dirty) {
      if (!all && lastEvidence > this.lastBoundary) continue;
      this.dirty.delete(tool);
      const mentions = this.mentions.get(tool) ?? [];
      mentions.forEach((mention, i) => {
        const intent = this.assemble(tool, mention, mentions[i + 1]?.start ?? Number.POSITIVE_INFINITY);
        if (intent) (out === NO_INTENTS ? (out = []) : out).push(intent);
      });
    }
    return out;
  }

  private assemble(tool: string, mention: { start: number; end: number }, before: number): Intent | undefined {
    const info = this.plan.tools.get(tool);
    if (!info) return undefined;
    const byParam = this.candidates.get(tool) ?? new Map<string, Candidate[]>();
    const args: Record<string, unknown> = {};
    const used: Candidate[] = [];
    const taken = new Set<string>();
    // Full labels first, so a value a full label claimed is not handed to a partial one.
    const order = Object.keys(info.props).sort((a, b) => Number(hasFull(byParam, b)) - Number(hasFull(byParam, a)));
    for (const param of order) {
      const list = (byParam.get(param) ?? []).filter((c) => c.start < before);
      const full = list.filter((c) => c.full);
      const pool = full.length > 0 ? full : info.required.includes(param) ? list.filter((c) => !taken.has(c.value)) : [];
      const pick = pool[pool.length - 1];
      if (!pick) {
        if (info.required.includes(param)) return undefined;
        continue;
      }
      args[param] = pick.value;
      taken.add(pick.value);
      used.push(pick);
    }
    const mentionKey = `${tool}@${mention.start}`;
    const from = used.map((c) => c.start).join(',');
    if (this.assembledFrom.get(mentionKey) === from) return undefined;
    this.assembledFrom.set(mentionKey, from);
    const normalized = this.normalizer.normalize(info.schema, args);
    if (!normalized.ok) return undefined;
    const key = intentKey(tool, normalized.canonical);
    if (this.emitted.has(key)) return undefined;
    this.emitted.add(key);
    const spans = [mention, ...used];
    return {
      kind: 'call',
      tool,
      args: normalized.value,
      canonical: normalized.canonical,
      source: 'schema',
      ruleId: `schema:${tool}`,
      confidence: used.every((c) => c.full) ? SCHEMA_FULL_LABEL_CONFIDENCE : SCHEMA_PARTIAL_LABEL_CONFIDENCE,
      span: { start: Math.min(...spans.map((s) => s.start)), end: Math.max(...spans.map((s) => s.end)) },
      at: this.length,
    };
  }

  /**
   * Keeps only the text open labels may still read (and one character before, for a word
   * boundary). A long concatenated tail would be copied whole each time it is read.
   */
  private trim(): void {
    if (this.tail.length < 256) return;
    let keepFrom = this.length - 1;
    for (const o of this.open) keepFrom = Math.min(keepFrom, o.start - 1);
    for (const m of this.openMentions) keepFrom = Math.min(keepFrom, m.start - 1);
    if (keepFrom <= this.tailStart) return;
    this.tail = this.tail.slice(keepFrom - this.tailStart);
    this.tailStart = keepFrom;
  }
}

function isSentenceEnd(c: number): boolean {
  return c === 46 || c === 33 || c === 63;
}

function hasFull(byParam: Map<string, Candidate[]>, param: string): boolean {
  return (byParam.get(param) ?? []).some((c) => c.full);
}

/** What a tool list compiles to; shared by every turn offering the same tools. */
interface SchemaPlan {
  tools: Map<string, ToolInfo>;
  automaton: LiteralAutomaton;
  literals: string[];
  meanings: LiteralMeaning[];
}

const PLANS = new PlanCache<SchemaPlan>();

/** The spellings a name is written in: as is, and its words joined by space, hyphen, underscore or nothing. */
function spellings(name: string): string[] {
  const words = splitName(name);
  return [...new Set([name.toLowerCase(), ...[' ', '-', '_', ''].map((sep) => words.join(sep))])].filter((s) => s.length >= 2);
}

function buildPlan(specs: readonly ToolSpec[]): SchemaPlan {
  const tools = new Map<string, ToolInfo>();
  const literals: string[] = [];
  const meanings: LiteralMeaning[] = [];
  const labels = new Map<string, LabelTarget[]>();
  for (const spec of specs) {
    const schema = spec.function.parameters;
    const props = ((schema as { properties?: ToolInfo['props'] } | undefined)?.properties ?? {}) as ToolInfo['props'];
    const required = (schema as { required?: unknown } | undefined)?.required;
    tools.set(spec.function.name, { schema, props, required: Array.isArray(required) ? (required as string[]) : [] });
    for (const s of spellings(spec.function.name)) {
      literals.push(s);
      meanings.push({ kind: 'mention', tool: spec.function.name });
    }
    const partials = new Map<string, string[]>();
    for (const param of Object.keys(props)) {
      for (const s of spellings(param)) labels.set(s, [...(labels.get(s) ?? []), { tool: spec.function.name, param, full: true }]);
      const words = splitName(param);
      const last = words[words.length - 1];
      if (words.length > 1 && last !== undefined && last.length >= 4 && !VAGUE_WORDS.has(last)) partials.set(last, [...(partials.get(last) ?? []), param]);
    }
    for (const [word, params] of partials) {
      // A last word shared by two parameters of one tool ("new_time", "current_time") labels neither.
      if (params.length !== 1) continue;
      labels.set(word, [...(labels.get(word) ?? []), { tool: spec.function.name, param: params[0]!, full: false }]);
    }
  }
  for (const [label, targets] of labels) {
    literals.push(label);
    meanings.push({ kind: 'label', targets });
  }
  for (const end of SENTENCE_ENDS) {
    literals.push(end);
    meanings.push({ kind: 'sentence-end' });
  }
  return { tools, automaton: new LiteralAutomaton(literals), literals, meanings };
}
