import type { JsonSchema, ToolSpec } from '../chat/types.js';
import type { ArgumentNormalizer } from '../schema/argument-normalizer.js';
import { intentKey, type Intent } from './intent.js';
import { PatternScanner, PatternSet, type ScanMatch, type ScanPattern } from './pattern-scanner.js';
import { PlanCache } from './plan-cache.js';
import { looksLikeValue, nameAsWords, SEPARATOR_SOURCE, splitName, statedValue, VALUE_SOURCE } from './value-patterns.js';

/** Prior of an intent whose every value was labelled with its parameter's full name. */
export const SCHEMA_FULL_LABEL_CONFIDENCE = 0.7;
/** Prior when some value was labelled only by the last word of its parameter ("date"). */
export const SCHEMA_PARTIAL_LABEL_CONFIDENCE = 0.5;

/** Last words too vague to label a value on their own. */
const VAGUE_WORDS = new Set(['type', 'name', 'value', 'data', 'info', 'details', 'method', 'id', 'ids', 'status', 'mode', 'text', 'list', 'options', 'kind', 'format']);

const WINDOW = 320;
/** A date may still gain " 16:14:56": wait that long before taking a value as final. */
const VALUE_SETTLE = 12;

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
  spec: ToolSpec;
  schema: JsonSchema | undefined;
  props: Record<string, { type?: unknown; enum?: unknown[] }>;
  required: string[];
}

/**
 * Recognises calls with no rule at all, from the request's tool list: an offered tool's name
 * (as written or in words) and values stated next to its parameters' names (`event_id is
 * "E1"`, `order number ORD-7`, `user_id (u_1)`, `Event ID: X`) anywhere in the turn's
 * reasoning. A call is predicted once the tool was named and every required parameter has a
 * value that fits its schema; a later, different set of values is a new prediction.
 */
export class SchemaSniffer {
  private readonly scanner: PatternScanner;
  private readonly tools: Map<string, ToolInfo>;
  private readonly mentionOf: Map<number, string>;
  private readonly labelOf: Map<number, LabelTarget[]>;
  private readonly mentions = new Map<string, { start: number; end: number }[]>();
  private readonly candidates = new Map<string, Map<string, Candidate[]>>();
  private readonly emitted = new Set<string>();
  /** Tools with evidence not yet assembled, and where their latest evidence ends. */
  private readonly dirty = new Map<string, number>();
  /** Sentence ends seen but not yet settled: matches ending before them may still be reported. */
  private readonly boundaries: number[] = [];
  /** The latest sentence end before which every match has been reported. */
  private lastBoundary = -1;
  private previousChar = '';

  constructor(
    tools: readonly ToolSpec[],
    private readonly normalizer: ArgumentNormalizer,
  ) {
    const plan = PLANS.get(JSON.stringify(tools), () => buildPlan(tools));
    this.tools = plan.tools;
    this.mentionOf = plan.mentionOf;
    this.labelOf = plan.labelOf;
    this.scanner = new PatternScanner(plan.patterns);
  }

  push(text: string): Intent[] {
    const start = this.scanner.length;
    this.noteBoundaries(text, start);
    this.absorb(this.scanner.push(text));
    return this.assembleReady(false);
  }

  flush(): Intent[] {
    this.absorb(this.scanner.flush());
    return this.assembleReady(true);
  }

  /**
   * Values of one call are usually listed in one sentence ("user_id is u1, isbn is X, quantity
   * is 1."), so a call is assembled only once the sentence holding its latest evidence ends:
   * assembling at the first complete set would predict a call that the rest of the sentence
   * changes.
   */
  private noteBoundaries(text: string, start: number): void {
    let prev = this.previousChar;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      const isSpace = c === 32 || c === 10 || c === 9 || c === 13;
      if (c === 10 || (isSpace && (prev === '.' || prev === '!' || prev === '?'))) this.boundaries.push(start + i);
      prev = text[i]!;
    }
    this.previousChar = prev;
  }

  private absorb(matches: ScanMatch[]): void {
    for (const m of matches) {
      const tool = this.mentionOf.get(m.key);
      if (tool !== undefined) {
        this.mentions.set(tool, [...(this.mentions.get(tool) ?? []), { start: m.start, end: m.end }]);
        this.dirty.set(tool, Math.max(this.dirty.get(tool) ?? 0, m.end));
        continue;
      }
      for (const target of this.labelOf.get(m.key) ?? []) {
        if (this.accept(target, m)) this.dirty.set(target.tool, Math.max(this.dirty.get(target.tool) ?? 0, m.end));
      }
    }
  }

  private assembleReady(all: boolean): Intent[] {
    const settled = this.scanner.length - VALUE_SETTLE;
    while (this.boundaries.length > 0 && this.boundaries[0]! <= settled) this.lastBoundary = this.boundaries.shift()!;
    const out: Intent[] = [];
    for (const [tool, lastEvidence] of this.dirty) {
      if (!all && lastEvidence > this.lastBoundary) continue;
      this.dirty.delete(tool);
      // Each mention takes the values stated up to the next mention of the same tool, so
      // "f with city A and f with city B" gives two calls.
      const mentions = this.mentions.get(tool) ?? [];
      mentions.forEach((mention, i) => {
        const intent = this.assemble(tool, mention, mentions[i + 1]?.start ?? Number.POSITIVE_INFINITY);
        if (intent) out.push(intent);
      });
    }
    return out;
  }

  /** Records a labelled value for a parameter if it fits the parameter's type. */
  private accept(target: LabelTarget, m: ScanMatch): boolean {
    const stated = statedValue(m.groups);
    if (!stated) return false;
    const info = this.tools.get(target.tool);
    const prop = info?.props[target.param];
    if (!info || !prop) return false;
    const type = prop.type;
    if (Array.isArray(prop.enum)) {
      if (!prop.enum.some((e) => String(e) === stated.text)) return false;
    } else if (type === 'integer' || type === 'number') {
      if (!/^-?\d+(?:\.\d+)?$/.test(stated.text)) return false;
    } else if (type === 'boolean') {
      if (!/^(?:true|false)$/i.test(stated.text)) return false;
    } else if (type === 'string' || type === undefined) {
      if (!stated.quoted && !looksLikeValue(stated.text)) return false;
    } else {
      return false;
    }
    if (m.groups.filler !== undefined && !/\d/.test(stated.text)) return false;
    let byParam = this.candidates.get(target.tool);
    if (!byParam) this.candidates.set(target.tool, (byParam = new Map()));
    const list = byParam.get(target.param) ?? [];
    list.push({ value: stated.text, start: m.start, end: m.end, full: target.full });
    byParam.set(target.param, list);
    return true;
  }

  private assemble(tool: string, mention: { start: number; end: number }, before: number): Intent | undefined {
    const info = this.tools.get(tool);
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
      at: this.scanner.length,
    };
  }
}

function hasFull(byParam: Map<string, Candidate[]>, param: string): boolean {
  // Decides only the order in which parameters pick values; the cut-off applies later.
  return (byParam.get(param) ?? []).some((c) => c.full);
}

/** What a tool list compiles to; shared by every turn offering the same tools. */
interface SchemaPlan {
  tools: Map<string, ToolInfo>;
  mentionOf: Map<number, string>;
  labelOf: Map<number, LabelTarget[]>;
  patterns: PatternSet;
}

const PLANS = new PlanCache<SchemaPlan>();

function buildPlan(specs: readonly ToolSpec[]): SchemaPlan {
  const tools = new Map<string, ToolInfo>();
  const mentionOf = new Map<number, string>();
  const labelOf = new Map<number, LabelTarget[]>();
    const patterns: ScanPattern[] = [];
    let key = 0;
    const labels = new Map<string, LabelTarget[]>();
    for (const spec of specs) {
      const schema = spec.function.parameters;
      const props = ((schema as { properties?: Record<string, { type?: unknown; enum?: unknown[] }> } | undefined)?.properties ?? {}) as ToolInfo['props'];
      const required = ((schema as { required?: unknown } | undefined)?.required ?? []) as string[];
      tools.set(spec.function.name, { spec, schema, props, required: Array.isArray(required) ? required : [] });
      const mentionKey = key++;
      mentionOf.set(mentionKey, spec.function.name);
      patterns.push({ key: mentionKey, source: String.raw`\b${nameAsWords(spec.function.name)}\b`, flags: 'i', window: 128 });
      const partials = new Map<string, string[]>();
      for (const param of Object.keys(props)) {
        const full = nameAsWords(param);
        labels.set(full, [...(labels.get(full) ?? []), { tool: spec.function.name, param, full: true }]);
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
      const labelKey = key++;
      labelOf.set(labelKey, targets);
      patterns.push({
        key: labelKey,
        source: String.raw`\b${label}\b(?<filler>\s+[A-Za-z]{2,10})??${SEPARATOR_SOURCE}${VALUE_SOURCE}`,
        flags: 'i',
        window: WINDOW,
        settle: VALUE_SETTLE,
      });
    }
  return { tools, mentionOf, labelOf, patterns: new PatternSet(patterns) };
}
