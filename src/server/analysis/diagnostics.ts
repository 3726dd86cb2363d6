import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { Rule, RulePattern, RuleProblem } from '../../core/rules/rule-ast.js';
import { quickSafety, unsafeMessage } from '../../core/rules/safe-pattern.js';
import { toolForRole, parameterFor } from '../../core/sniff/tool-roles.js';
import type { ParsedDocument } from './parsed-document.js';
import { patternKey, type EvaluationResult } from './evaluation-result.js';
import { regexSyntaxProblem } from './regex-syntax.js';
import { ROLE_ALIASES, parametersOf, requiredWithoutDefault, type ToolCatalog } from './tool-catalog.js';

/** Data a quick fix needs, carried on the diagnostic. */
export type DiagnosticData = { kind: 'rename-group'; group: string; candidates: string[] } | { kind: 'add-argument'; parameter: string; tool: string };

const SOURCE = 'foresight';

/**
 * Every problem of a rule file: the parser's (with regex syntax errors narrowed to the exact
 * column by regexpp), capture groups that are no parameter of the tool, required parameters a
 * pattern leaves out, unknown tools, and from the last evaluation ReDoS-prone patterns and
 * failing tests. Pure: the same inputs give the same diagnostics.
 */
export function validate(doc: ParsedDocument, catalog: ToolCatalog, evaluation?: EvaluationResult): Diagnostic[] {
  const out: Diagnostic[] = [];
  const invalid = new Map<string, RulePattern>();
  for (const rule of doc.file.rules) for (const p of rule.patterns) if (p.regex === undefined) invalid.set(rangeKey(p.range), p);
  for (const problem of doc.file.problems) out.push(fromProblem(problem, invalid));
  const known = catalog.size > 0;
  for (const rule of doc.file.rules) {
    if (known) checkTool(rule, catalog, out);
    if (evaluation) checkRedos(rule, evaluation, out);
  }
  if (evaluation) {
    for (const t of evaluation.tests) {
      if (t.passed) continue;
      const line = doc.lines[t.line] ?? '';
      const start = line.length - line.trimStart().length;
      out.push({
        range: { start: { line: t.line, character: start }, end: { line: t.line, character: line.trimEnd().length } },
        severity: DiagnosticSeverity.Error,
        code: 'test-failed',
        source: SOURCE,
        message: `This test fails: expected ${t.expected}, got ${t.actual}${t.message ? ` (${t.message})` : ''}.`,
      });
    }
  }
  return out;
}

function fromProblem(problem: RuleProblem, invalid: ReadonlyMap<string, RulePattern>): Diagnostic {
  const base: Diagnostic = {
    range: problem.range,
    message: problem.message,
    severity: problem.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: problem.code,
    source: SOURCE,
  };
  if (problem.code !== 'bad-regex') return base;
  const pattern = invalid.get(rangeKey(problem.range));
  const syntax = pattern ? regexSyntaxProblem(pattern.source, pattern.flags) : undefined;
  if (!pattern || !syntax) return base;
  // The pattern starts one character after the opening slash; the error is on one line.
  const line = pattern.range.start.line;
  const character = pattern.range.start.character + 1 + syntax.index;
  return { ...base, range: { start: { line, character }, end: { line, character: character + 1 } }, message: `Invalid regular expression: ${syntax.message}. Fix it, or escape the character with \\ if you meant it literally.` };
}

function checkTool(rule: Rule, catalog: ToolCatalog, out: Diagnostic[]): void {
  const target = rule.target;
  if (target.by === 'name' && !catalog.get(target.name)) {
    out.push({
      range: rule.targetRange,
      severity: DiagnosticSeverity.Warning,
      code: 'unknown-tool',
      source: SOURCE,
      message: `No tool named "${target.name}" is offered in the linked sessions or configured. Check the spelling, or link sessions that offer it (Foresight: Choose Sessions for Rule Tuning).`,
    });
    return;
  }
  if (rule.kind !== 'tool') return;
  const tool = target.by === 'name' ? catalog.get(target.name) : toolForRole(catalog.all(), target.role);
  if (!tool) return;
  const params = parametersOf(tool);
  const allowed = target.by === 'role' ? [...params, ...ROLE_ALIASES] : params;
  const fixed = new Set(rule.fixed.map((f) => f.name));
  const required = requiredWithoutDefault(tool);
  for (const pattern of rule.patterns) {
    const provides = new Set<string>();
    for (const group of pattern.groups) {
      const param = parameterFor(tool, group);
      // The sniffer maps the generic names path, query, url and code to the tool's own parameter.
      if (param !== undefined) {
        provides.add(param);
        continue;
      }
      const range = groupNameRange(pattern, group);
      if (!range) continue;
      out.push({
        range,
        severity: DiagnosticSeverity.Warning,
        code: 'unknown-parameter',
        source: SOURCE,
        message: `"${group}" is not a parameter of ${tool.function.name}, so this capture is dropped. Parameters: ${params.join(', ') || '(none)'}${target.by === 'role' ? `; a role rule may also use ${ROLE_ALIASES.join(', ')}` : ''}.`,
        data: { kind: 'rename-group', group, candidates: allowed } satisfies DiagnosticData,
      });
    }
    for (const r of required) {
      if (provides.has(r) || fixed.has(r)) continue;
      out.push({
        range: pattern.range,
        severity: DiagnosticSeverity.Warning,
        code: 'missing-required',
        source: SOURCE,
        message: `${tool.function.name} requires "${r}", which this pattern does not capture and no "with" line fixes, so a match can never become a call. Capture it with (?<${r}>…) or add "with ${r} = VALUE".`,
        data: { kind: 'add-argument', parameter: r, tool: tool.function.name } satisfies DiagnosticData,
      });
    }
  }
}

function checkRedos(rule: Rule, evaluation: EvaluationResult, out: Diagnostic[]): void {
  const undecided = new Set(evaluation.undecided);
  for (const pattern of rule.patterns) {
    const key = patternKey(pattern.source, pattern.flags);
    const verdict = evaluation.redos[key];
    const exponential = verdict?.complexity === 'exponential';
    if (undecided.has(key) || exponential) {
      // The same words as `foresight test` and the chat, which do not use the rule either.
      const screened = quickSafety(pattern.source, pattern.flags);
      const blocker = screened.kind === 'unchecked' ? screened.blocker : '';
      out.push({
        range: pattern.range,
        severity: DiagnosticSeverity.Error,
        code: 'catastrophic-backtracking',
        source: SOURCE,
        message: unsafeMessage({ kind: 'unsafe', reason: exponential ? 'exponential' : 'undecided', blocker, ...(verdict?.attack !== undefined ? { attack: verdict.attack } : {}) }, rule.id),
      });
      continue;
    }
    if (!verdict) continue;
    out.push({
      range: pattern.range,
      severity: DiagnosticSeverity.Information,
      code: 'catastrophic-backtracking',
      source: SOURCE,
      message: `This pattern can take ${ordinal(verdict.degree ?? 2)}-degree polynomial time on long text; the rule's window (${rule.window} characters) bounds it. Prefer a negated class such as [^"]* over .* before a literal.`,
    });
  }
}

/** Where a named group's name is written in its pattern (the pattern is on one line). */
export function groupNameRange(pattern: RulePattern, group: string): Diagnostic['range'] | undefined {
  const index = pattern.source.indexOf(`(?<${group}>`);
  if (index < 0) return undefined;
  const line = pattern.range.start.line;
  const character = pattern.range.start.character + 1 + index + 3;
  return { start: { line, character }, end: { line, character: character + group.length } };
}

function rangeKey(r: RuleProblem['range']): string {
  return `${r.start.line}:${r.start.character}:${r.end.line}:${r.end.character}`;
}

function ordinal(n: number): string {
  return n === 2 ? '2nd' : n === 3 ? '3rd' : `${n}th`;
}
