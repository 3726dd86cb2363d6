import type { ToolSpec } from '../../core/chat/types.js';
import type { Rule, RulePattern } from '../../core/rules/rule-ast.js';
import { parseRules } from '../../core/rules/rule-parser.js';
import { formatExpectation, runRuleTests } from '../../core/rules/rule-tests.js';
import { ResniffCache, ruleText } from '../../core/tuning/resniff-cache.js';
import type { SessionDigest } from '../../core/tuning/session-digest.js';
import { checkRedos, type RedosOutcome } from '../../core/rules/redos-check.js';
import { needsRedosCheck } from '../../core/rules/safe-pattern.js';
import { patternKey, type EvaluationResult, type RedosVerdict } from './evaluation-result.js';

/** Time limits of one evaluation; the ReDoS checker is slow, so it works within a budget and resumes next time. */
export interface EvaluationBudget {
  redosBudgetMs: number;
  redosPerPatternMs: number;
  /** Files with more rules get no figures: re-sniffing them all on each keystroke would lag. */
  maxFigureRules: number;
}

export const DEFAULT_BUDGET: EvaluationBudget = { redosBudgetMs: 1500, redosPerPatternMs: 300, maxFigureRules: 500 };

/**
 * Evaluates a rule file against its tests and the linked sessions, never running a pattern the
 * ReDoS screen and checker have not cleared. Keeps checker verdicts per pattern and figures per
 * rule text across calls, so an edit re-runs only what changed. Blocks: run it in a worker.
 */
export class RuleEvaluator {
  private readonly redos = new Map<string, RedosOutcome>();
  private readonly resniff = new ResniffCache();

  constructor(private readonly budget: EvaluationBudget = DEFAULT_BUDGET) {}

  setSessions(digests: readonly SessionDigest[]): void {
    this.resniff.setSessions(digests);
  }

  /** `testsOnly` skips re-sniffing the sessions (and leaves the figures cached for the open files untouched). */
  async evaluate(text: string, tools: readonly ToolSpec[], testsOnly = false): Promise<EvaluationResult> {
    const file = parseRules(text, { deferRedosCheck: true });
    const unchecked = this.screen(file.rules);
    const runnable = file.rules.map((rule) => withoutUnsafePatterns(rule, (p) => this.unsafe(p, unchecked)));
    const schemaFor = (name: string) => tools.find((t) => t.function.name === name)?.function.parameters;
    // A rule with a skipped pattern would fail tests for a reason its ReDoS diagnostic already gives.
    const complete = runnable.filter((rule, i) => rule === file.rules[i]);
    const tests = runRuleTests({ rules: complete, problems: [] }, { schemaFor }).map((r) => ({
      line: r.test.range.start.line,
      ruleId: r.rule.id,
      passed: r.passed,
      expected: formatExpectation(r.test.expected),
      actual: formatExpectation(r.actual),
      ...(r.message !== undefined ? { message: r.message } : {}),
      ...(r.match ? { match: { start: r.test.textRange.start.character + r.match.index, end: r.test.textRange.start.character + r.match.index + r.match.length } } : {}),
    }));
    const redos: Record<string, RedosVerdict> = {};
    const undecided: string[] = [];
    for (const [key, outcome] of this.redos) {
      if (outcome.status === 'vulnerable') redos[key] = outcome.verdict;
      else if (outcome.status === 'unknown') undecided.push(key);
    }
    const result: EvaluationResult = { tests, redos, undecided, uncheckedPatterns: unchecked.size, figures: [], sessions: this.resniff.sessionCount };
    if (testsOnly) {
      result.figuresNote = 'only the tests were run';
    } else if (this.resniff.sessionCount === 0) {
      result.figuresNote = 'no sessions linked';
    } else if (runnable.length > this.budget.maxFigureRules) {
      result.figuresNote = `more than ${this.budget.maxFigureRules} rules: figures are not computed`;
    } else {
      const lines = text.split(/\r?\n/);
      // A pattern skipped as unsafe changes the figures without changing the text, so it is part of the key.
      result.figures = await this.resniff.figures(runnable, (rule) => `${ruleText(lines, rule)}\u0000${rule.patterns.map((p) => (p.regex ? 1 : 0)).join('')}`);
    }
    return result;
  }

  /** Checks the suspicious patterns not yet checked, within the budget; returns the keys left over. */
  private screen(rules: readonly Rule[]): Set<string> {
    const deadline = Date.now() + this.budget.redosBudgetMs;
    const unchecked = new Set<string>();
    for (const rule of rules) {
      for (const p of rule.patterns) {
        if (!p.regex) continue;
        const key = patternKey(p.source, p.flags);
        if (this.redos.has(key) || unchecked.has(key)) continue;
        if (!needsRedosCheck(p.source, p.flags)) {
          this.redos.set(key, { status: 'safe' });
        } else if (Date.now() < deadline) {
          this.redos.set(key, checkRedos(p.source, p.flags, this.budget.redosPerPatternMs));
        } else {
          unchecked.add(key);
        }
      }
    }
    return unchecked;
  }

  /**
   * Run only what is cleared: patterns found exponential, patterns of a suspicious shape the
   * checker could not clear in time, and patterns not checked yet are skipped. A pattern of
   * that shape left to run could hang the evaluation for ever on the wrong text.
   */
  private unsafe(p: RulePattern, unchecked: ReadonlySet<string>): boolean {
    const key = patternKey(p.source, p.flags);
    if (unchecked.has(key)) return true;
    const outcome = this.redos.get(key);
    return outcome === undefined || outcome.status === 'unknown' || (outcome.status === 'vulnerable' && outcome.verdict.complexity === 'exponential');
  }
}

function withoutUnsafePatterns(rule: Rule, unsafe: (p: RulePattern) => boolean): Rule {
  if (!rule.patterns.some((p) => p.regex && unsafe(p))) return rule;
  return { ...rule, patterns: rule.patterns.map((p) => (p.regex && unsafe(p) ? { ...p, regex: undefined } : p)) };
}
