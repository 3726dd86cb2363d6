import type { ToolSpec } from '../chat/types.js';
import type { Rule, RulePattern } from '../rules/rule-ast.js';
import type { ArgumentNormalizer } from '../schema/argument-normalizer.js';
import type { LiteralHit } from './aho-corasick.js';
import { intentKey, type Intent } from './intent.js';
import { PatternScanner, PatternSet, type ScanMatch, type ScanPattern } from './pattern-scanner.js';
import { PlanCache } from './plan-cache.js';
import { namedByName, namedByOwnWords, parameterFor, toolsForRole } from './tool-roles.js';

const NO_INTENTS: Intent[] = [];

interface ActivePattern {
  rule: Rule;
  pattern: RulePattern;
  tool: ToolSpec;
  /** For a role several offered tools play: all of them, bound per match by the name the reasoning uses. */
  candidates?: ToolSpec[];
}

/** Reasoning kept before a match, to find which of several candidate tools it names. */
const NAMING_LOOK_BACK = 120;

/** A rule that cannot fire in this request, and why (shown in the editor and in eval). */
export interface InactiveRule {
  ruleId: string;
  reason: string;
}

/**
 * Runs `.sniff` rules over a turn's reasoning, incrementally. Each rule is bound to an offered
 * tool (by name, or by role through the tool's declaration); a rule whose tool is not offered
 * is inactive. Named captures become arguments (by parameter name, or the generic names path,
 * query, url and code through the tool's matching parameter), fixed arguments are added, and
 * the result must pass the tool's schema, else it is no prediction.
 */
export class RuleSniffer {
  private readonly scanner: PatternScanner;
  private readonly patternSet: PatternSet;
  private readonly byKey: Map<number, ActivePattern>;
  /** Pattern keys of the warm rules, by the tool they warm. */
  private readonly warmKeys: Map<string, Set<number>>;
  private readonly emitted = new Set<string>();
  readonly inactive: readonly InactiveRule[];
  /** Some active pattern binds its tool by the name the reasoning uses (see `named`). */
  private readonly namesCandidates: boolean;

  constructor(
    rules: readonly Rule[],
    tools: readonly ToolSpec[],
    private readonly normalizer: ArgumentNormalizer,
  ) {
    let byTools = PLANS.get(rules);
    if (!byTools) PLANS.set(rules, (byTools = new PlanCache<RulePlan>()));
    const plan = byTools.getFor(tools, () => JSON.stringify(tools), () => buildPlan(rules, tools));
    this.byKey = plan.byKey;
    this.warmKeys = plan.warmKeys;
    this.inactive = plan.inactive;
    this.patternSet = plan.patterns;
    this.namesCandidates = [...plan.byKey.values()].some((a) => a.candidates !== undefined);
    this.scanner = new PatternScanner(plan.patterns);
  }

  /** The last stretch of reasoning, for binding a role rule with several candidate tools. */
  private tail = '';

  push(text: string): Intent[] {
    this.keep(text);
    return this.toIntents(this.scanner.push(text));
  }

  private keep(text: string): void {
    // Only a role rule with several candidate tools reads the tail: without one, nothing is kept.
    if (!this.namesCandidates) return;
    this.tail += text;
    if (this.tail.length > 4 * NAMING_LOOK_BACK) this.tail = this.tail.slice(-2 * NAMING_LOOK_BACK);
  }

  /** No pattern is waiting for text: a chunk with no literal hit would find nothing (see `PatternScanner.idle`). */
  get idle(): boolean {
    return this.scanner.idle;
  }

  /** The trigger literals of this rule set's patterns, by id (see `pushHits`). */
  get literals(): readonly string[] {
    return this.patternSet.literals;
  }

  /** Like `push`, with this chunk's literal hits found by an automaton shared with another sniffer. */
  pushHits(text: string, hits: readonly LiteralHit[]): Intent[] {
    this.keep(text);
    return this.toIntents(this.scanner.pushHits(text, hits));
  }

  flush(): Intent[] {
    return this.toIntents(this.scanner.flush());
  }

  private toIntents(matches: ScanMatch[]): Intent[] {
    if (matches.length === 0) return NO_INTENTS;
    const out: Intent[] = [];
    for (const m of matches) {
      const active = this.byKey.get(m.key);
      if (!active) continue;
      const intent = this.intentOf(active, m);
      if (!intent) continue;
      // Calls are deduplicated by the Sniffer, which reports a call again when it is restated more firmly.
      const key = intentKey(intent.tool, intent.kind === 'warm' ? 'warm' : intent.canonical);
      if (intent.kind === 'warm' && this.emitted.has(key)) continue;
      this.emitted.add(key);
      out.push(intent);
      // A tool is warmed once per turn: its warm patterns have nothing left to find.
      if (intent.kind === 'warm') this.scanner.disable(this.warmKeys.get(intent.tool) ?? new Set());
    }
    return out;
  }

  /**
   * Which candidate the reasoning names right before the match (same sentence), else inside it,
   * else which one's own declaration words it uses there (never counting the captured values:
   * searching for "web design" is no word for the web search tool); none when it names none, so
   * an ambiguous role predicts nothing rather than the wrong tool.
   */
  private named(candidates: readonly ToolSpec[], m: ScanMatch): ToolSpec | undefined {
    const offset = this.scanner.length - this.tail.length;
    const before = this.tail.slice(Math.max(0, m.start - offset - NAMING_LOOK_BACK), Math.max(0, m.start - offset));
    const sentence = before.split(/[.!?]\s|\n/).pop() ?? '';
    // Names first, in the sentence then in the match; then words only one candidate's declaration uses, outside the captured values.
    let own = m.text;
    for (const v of Object.values(m.groups)) if (v) own = own.replace(v, ' ');
    return namedByName(candidates, sentence) ?? namedByName(candidates, m.text) ?? namedByOwnWords(candidates, sentence) ?? namedByOwnWords(candidates, own);
  }

  private intentOf(active: ActivePattern, m: ScanMatch): Intent | undefined {
    const { rule, pattern } = active;
    const tool = active.candidates ? this.named(active.candidates, m) : active.tool;
    if (!tool) return undefined;
    const confidence = pattern.confidence ?? rule.confidence;
    const span = { start: m.start, end: m.end };
    const at = this.scanner.length;
    // Written out, not spread from a common base: a spread costs more than the rest of the sniffing of its chunk.
    if (rule.kind === 'warm') return { tool: tool.function.name, source: 'rule', ruleId: rule.id, confidence, span, at, kind: 'warm', args: {}, canonical: '' };
    const args: Record<string, unknown> = {};
    for (const [group, value] of Object.entries(m.groups)) {
      const param = parameterFor(tool, group);
      if (param === undefined) return undefined;
      args[param] = value;
    }
    for (const fixed of rule.fixed) args[parameterFor(tool, fixed.name) ?? fixed.name] = fixed.value;
    const normalized = this.normalizer.normalize(tool.function.parameters, args);
    if (!normalized.ok) return undefined;
    return { tool: tool.function.name, source: 'rule', ruleId: rule.id, confidence, span, at, kind: 'call', args: normalized.value, canonical: normalized.canonical };
  }
}

/** What a rule set compiles to for one tool list; shared by every turn offering those tools. */
interface RulePlan {
  byKey: Map<number, ActivePattern>;
  warmKeys: Map<string, Set<number>>;
  inactive: InactiveRule[];
  patterns: PatternSet;
}

/** Per rule set (by identity), per tool list. */
const PLANS = new WeakMap<readonly Rule[], PlanCache<RulePlan>>();

function buildPlan(rules: readonly Rule[], tools: readonly ToolSpec[]): RulePlan {
  const byKey = new Map<number, ActivePattern>();
  const warmKeys = new Map<string, Set<number>>();
  const inactive: InactiveRule[] = [];
  const patterns: ScanPattern[] = [];
  let key = 0;
  for (const rule of rules) {
    const target = rule.target;
    const candidates = target.by === 'name' ? [] : toolsForRole(tools, target.role);
    const tool = target.by === 'name' ? tools.find((t) => t.function.name === target.name) : candidates[0];
    if (!tool) {
      inactive.push({ ruleId: rule.id, reason: target.by === 'name' ? `no tool named ${target.name} is offered` : `no offered tool plays the role ${target.role}` });
      continue;
    }
    for (const pattern of rule.patterns) {
      if (!pattern.regex) continue;
      byKey.set(key, { rule, pattern, tool, ...(rule.kind === 'tool' && candidates.length > 1 ? { candidates } : {}) });
      if (rule.kind === 'warm') warmKeys.set(tool.function.name, (warmKeys.get(tool.function.name) ?? new Set()).add(key));
      patterns.push({ key, source: pattern.source, flags: pattern.flags, window: rule.window });
      key++;
    }
  }
  return { byKey, warmKeys, inactive, patterns: new PatternSet(patterns) };
}
