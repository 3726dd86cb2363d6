import {
  DEFAULT_CONFIDENCE,
  DEFAULT_WINDOW,
  TOOL_ROLES,
  targetText,
  type FixedArgument,
  type Position,
  type Range,
  type Rule,
  type RuleFile,
  type RulePattern,
  type RuleProblem,
  type RuleProblemCode,
  type RuleTarget,
  type RuleTest,
  type ToolRole,
} from './rule-ast.js';
import { readConfidence, readFixedArgument, readPattern, readTestCase, readWindow, type LineContext, type PendingTest } from './body-lines.js';
import { redosBudget, type RedosBudget } from './safe-pattern.js';
import { closestWord, contentEnd, quoteWord, skipBlanks, span, trimBlanksEnd, wordEnd } from './line-scanner.js';
import { BODY_KEYWORDS as BODY, HEADER_KEYWORDS as HEADER } from './rule-keywords.js';

const HEADER_KEYWORDS: readonly string[] = HEADER;
const BODY_KEYWORDS: readonly string[] = BODY;

const TARGET_NAME = /^[A-Za-z0-9_.:-]+$/;

/**
 * Parses a `.sniff` rule file (grammar in docs/rule-language.md). Never throws: every mistake
 * becomes a problem with an LSP range and the line is skipped, so the rest of the file still
 * parses. One pass over the text, O(text length) plus compiling each pattern once.
 *
 * No pattern it compiles can hang a match: a pattern of a risky shape runs on the linear-time
 * engine, or is cleared by the ReDoS checker (within `REDOS_FILE_MS` for the file), or is
 * reported as `catastrophic-pattern` and marked `unsafe`, which keeps its rule out of
 * `usableRules`.
 */
export function parseRules(text: string, options: ParseOptions = {}): RuleFile {
  return new RuleParser(options.deferRedosCheck ? undefined : redosBudget()).parse(text);
}

/** How to parse a rule file. */
export interface ParseOptions {
  /**
   * Leave risky patterns the linear engine cannot take `unchecked` instead of asking the ReDoS
   * checker, which can block for a second a pattern: for a caller that never runs the patterns
   * on this thread (the language server's main thread) or checks them itself (its worker).
   */
  deferRedosCheck?: boolean;
}

interface RuleDraft {
  /** Both undefined for the body of a header that could not be read: checked, never emitted. */
  kind?: 'tool' | 'warm';
  target?: RuleTarget;
  id: string;
  targetRange: Range;
  headerRange: Range;
  end: Position;
  patterns: RulePattern[];
  fixed: FixedArgument[];
  fixedNames: Set<string>;
  confidence: number;
  confidenceRange?: Range;
  window: number;
  settings: Set<'confidence' | 'window'>;
  tests: RuleTest[];
  wroteWhen: boolean;
}

interface TestBlock {
  target?: RuleTarget;
  targetRange: Range;
  cases: PendingTest[];
}

type Block = { type: 'rule'; draft: RuleDraft } | { type: 'tests'; tests: TestBlock };

class RuleParser {
  private readonly rules: Rule[] = [];
  private readonly problems: RuleProblem[] = [];
  private readonly headerLines = new Map<string, number[]>();
  private readonly testBlocks: TestBlock[] = [];
  private block: Block | undefined;

  constructor(private readonly redos: RedosBudget | undefined) {}

  parse(text: string): RuleFile {
    const lines = text.split(/\r\n|\r|\n/);
    for (let n = 0; n < lines.length; n++) this.scanLine(lines[n] ?? '', n);
    this.closeBlock();
    this.resolveTestBlocks();
    return { rules: this.rules, problems: this.problems };
  }

  private scanLine(line: string, n: number): void {
    const indent = skipBlanks(line, 0);
    if (indent === line.length || line[indent] === '#') return;
    if (indent === 0) this.headerLine(line, n);
    else this.bodyLine(line, n, indent);
  }

  private headerLine(line: string, n: number): void {
    const keywordEnd = wordEnd(line, 0);
    const keyword = line.slice(0, keywordEnd);
    const end = contentEnd(line, 0);
    const targetStart = skipBlanks(line, keywordEnd);
    if (line[0] === '"' || (keyword === 'test' && line[targetStart] === '"')) {
      this.report('misplaced-keyword', n, 0, end, 'A test case belongs to a rule: indent it under the rule\'s header, as in  test "TEXT" => EXPECTED.');
      return;
    }
    if (BODY_KEYWORDS.includes(keyword) && !HEADER_KEYWORDS.includes(keyword)) {
      this.report('misplaced-keyword', n, 0, keywordEnd, `"${keyword}" belongs to a rule's body: indent it under the rule's tool or warm line.`);
      return;
    }
    this.closeBlock();
    if (keyword !== 'tool' && keyword !== 'warm' && keyword !== 'test') {
      const guess = closestWord(keyword, HEADER_KEYWORDS);
      this.report(
        'unknown-keyword',
        n,
        0,
        keywordEnd,
        `Unknown keyword ${quoteWord(keyword)}. A rule starts at column 0 with "tool TARGET" or "warm TARGET"; the lines of its body are indented.${guess ? ` Did you mean "${guess}"?` : ''}`,
      );
      this.block = { type: 'rule', draft: this.newDraft(undefined, undefined, n, 0, keywordEnd) };
      return;
    }
    const targetEnd = wordEnd(line, targetStart);
    let target: RuleTarget | undefined;
    if (targetStart >= end) {
      const example = keyword === 'warm' ? 'warm role:code-runner' : `${keyword} read_file`;
      this.report('bad-target', n, 0, keywordEnd, `"${keyword}" needs a target: a tool name or role:ROLE, as in "${example}".`);
    } else {
      target = this.target(line, n, targetStart, targetEnd);
      if (targetEnd < end) {
        this.report('unexpected-text', n, skipBlanks(line, targetEnd), end, `A header holds only "${keyword} TARGET". Put the rest on indented lines below it.`);
      }
    }
    const headerEnd = Math.max(targetEnd, keywordEnd);
    if (keyword === 'test') {
      const tests: TestBlock = { targetRange: span(n, targetStart, targetEnd), cases: [] };
      if (target) tests.target = target;
      this.block = { type: 'tests', tests };
    } else {
      this.block = { type: 'rule', draft: this.newDraft(keyword, target, n, targetStart, headerEnd) };
    }
  }

  private target(line: string, n: number, start: number, end: number): RuleTarget | undefined {
    const token = line.slice(start, end);
    if (token.startsWith('role:')) {
      const role = token.slice('role:'.length);
      if ((TOOL_ROLES as readonly string[]).includes(role)) return { by: 'role', role: role as ToolRole };
      this.report('bad-target', n, start, end, `Unknown role ${quoteWord(role)}. A role is one of ${TOOL_ROLES.join(', ')}, as in "warm role:code-runner".`);
      return undefined;
    }
    if (TARGET_NAME.test(token)) return { by: 'name', name: token };
    this.report('bad-target', n, start, end, `${quoteWord(token)} is not a tool name. A tool name uses letters, digits and _ . : - only; a role is written role:ROLE.`);
    return undefined;
  }

  private newDraft(kind: 'tool' | 'warm' | undefined, target: RuleTarget | undefined, n: number, targetStart: number, headerEnd: number): RuleDraft {
    const headerRange = span(n, 0, headerEnd);
    const draft: RuleDraft = {
      id: '',
      targetRange: span(n, targetStart, headerEnd),
      headerRange,
      end: headerRange.end,
      patterns: [],
      fixed: [],
      fixedNames: new Set(),
      confidence: DEFAULT_CONFIDENCE,
      window: DEFAULT_WINDOW,
      settings: new Set(),
      tests: [],
      wroteWhen: false,
    };
    if (kind === undefined || target === undefined) return draft;
    draft.kind = kind;
    draft.target = target;
    const key = `${kind} ${targetText(target)}`;
    const earlier = this.headerLines.get(key) ?? [];
    draft.id = earlier.length === 0 ? key : `${key}#${earlier.length + 1}`;
    if (earlier[0] !== undefined) {
      this.report(
        'duplicate-rule',
        n,
        0,
        headerEnd,
        `Another "${key}" rule starts on line ${earlier[0] + 1}. Both are kept (this one as "${draft.id}"); merge them or remove one.`,
        'warning',
      );
    }
    earlier.push(n);
    this.headerLines.set(key, earlier);
    return draft;
  }

  private bodyLine(line: string, n: number, indent: number): void {
    const block = this.block;
    const lineEnd = trimBlanksEnd(line, indent, line.length);
    if (block === undefined) {
      this.report('body-without-header', n, indent, lineEnd, 'This indented line comes before any rule. Start a rule above it with "tool NAME" or "warm NAME" at column 0.');
      this.block = { type: 'rule', draft: this.newDraft(undefined, undefined, n, 0, 0) };
      return;
    }
    const keywordEnd = wordEnd(line, indent);
    const keyword = line.slice(indent, keywordEnd);
    if (block.type === 'tests') {
      if (line[indent] === '"' || keyword === 'test') {
        const pending = readTestCase(this.lineContext(line, n), indent, line[indent] === '"' ? indent : keywordEnd);
        if (pending) block.tests.cases.push(pending);
      } else {
        this.report('misplaced-keyword', n, indent, keywordEnd, 'A "test TARGET" block holds only test cases, one a line:  "TEXT" => EXPECTED.');
      }
      return;
    }
    const draft = block.draft;
    draft.end = { line: n, character: lineEnd };
    const ctx = this.lineContext(line, n);
    switch (keyword) {
      case 'when': {
        draft.wroteWhen = true;
        const pattern = readPattern(ctx, indent, keywordEnd, { ruleId: draft.id, budget: this.redos });
        if (pattern) draft.patterns.push(pattern);
        return;
      }
      case 'with': {
        const fixed = readFixedArgument(ctx, indent, keywordEnd, draft.fixedNames);
        if (fixed) {
          draft.fixedNames.add(fixed.name);
          draft.fixed.push(fixed);
        }
        return;
      }
      case 'confidence': {
        if (this.duplicateSetting(draft, 'confidence', ctx, indent, keywordEnd)) return;
        const confidence = readConfidence(ctx, indent, keywordEnd, contentEnd(line, keywordEnd));
        if (confidence === undefined) return;
        draft.confidence = confidence.value;
        draft.confidenceRange = confidence.range;
        draft.settings.add('confidence');
        return;
      }
      case 'window': {
        if (this.duplicateSetting(draft, 'window', ctx, indent, keywordEnd)) return;
        const size = readWindow(ctx, indent, keywordEnd);
        if (size === undefined) return;
        draft.window = size;
        draft.settings.add('window');
        return;
      }
      case 'test': {
        const pending = readTestCase(ctx, indent, keywordEnd);
        if (pending && this.expectationFits(draft.kind, pending)) draft.tests.push(pending.test);
        return;
      }
      case 'tool':
      case 'warm':
        this.report('misplaced-keyword', n, indent, keywordEnd, `A rule header starts at column 0: remove the indentation before "${keyword}".`);
        return;
    }
    if (line[indent] === '"') {
      this.report('bad-test', n, indent, lineEnd, 'Write "test" before a test case in a rule:  test "TEXT" => EXPECTED.');
      return;
    }
    const guess = closestWord(keyword, BODY_KEYWORDS);
    this.report(
      'unknown-keyword',
      n,
      indent,
      keywordEnd,
      `Unknown keyword ${quoteWord(keyword)}. A rule's body lines start with when, with, confidence, window or test.${guess ? ` Did you mean "${guess}"?` : ''}`,
    );
  }

  private lineContext(text: string, n: number): LineContext {
    return { text, n, report: (code, start, end, message, severity) => this.report(code, n, start, end, message, severity) };
  }

  private duplicateSetting(draft: RuleDraft, setting: 'confidence' | 'window', ctx: LineContext, indent: number, keywordEnd: number): boolean {
    if (!draft.settings.has(setting)) return false;
    ctx.report('duplicate-setting', indent, keywordEnd, `This rule already sets its ${setting} on an earlier line; keep one of the two.`);
    return true;
  }

  private expectationFits(kind: 'tool' | 'warm' | undefined, pending: PendingTest): boolean {
    const { expected } = pending.test;
    let message: string | undefined;
    if (kind === 'tool' && expected === 'warm') {
      message = '"warm" is what a warm rule\'s test expects. A tool rule\'s test expects the arguments as a JSON object, or none.';
    } else if (kind === 'warm' && typeof expected === 'object') {
      message = 'A warm rule extracts no arguments: its test expects warm (the rule matches) or none.';
    }
    if (message === undefined) return true;
    const { start, end } = pending.expectedRange;
    this.report('bad-expectation', start.line, start.character, end.character, message);
    return false;
  }

  private closeBlock(): void {
    const block = this.block;
    this.block = undefined;
    if (block === undefined) return;
    if (block.type === 'tests') {
      if (block.tests.target) this.testBlocks.push(block.tests);
      return;
    }
    const d = block.draft;
    if (d.kind === undefined || d.target === undefined) return;
    const { start, end } = d.headerRange;
    if (!d.wroteWhen) {
      this.report('no-patterns', start.line, start.character, end.character, 'This rule has no "when" line, so it never fires. Add one below the header, such as  when /read (?<path>\\S+)/i.');
    }
    const captured = new Set(d.patterns.flatMap((p) => p.groups));
    for (const f of d.fixed) {
      if (!captured.has(f.name)) continue;
      const at = f.range.start;
      this.report('argument-conflict', at.line, at.character, at.character + f.name.length, `"${f.name}" is both captured by a pattern and fixed by "with"; the fixed value wins. Drop one of them.`, 'warning');
    }
    this.rules.push({
      kind: d.kind,
      target: d.target,
      targetRange: d.targetRange,
      range: { start: d.headerRange.start, end: d.end },
      headerRange: d.headerRange,
      patterns: d.patterns,
      fixed: d.fixed,
      confidence: d.confidence,
      ...(d.confidenceRange ? { confidenceRange: d.confidenceRange } : {}),
      window: d.window,
      tests: d.tests,
      id: d.id,
    });
  }

  /** Attaches each `test TARGET` block's cases to the first tool rule with that target, else the first warm rule. */
  private resolveTestBlocks(): void {
    if (this.testBlocks.length === 0) return;
    const first = new Map<string, Rule>();
    for (const rule of this.rules) {
      const key = `${rule.kind} ${targetText(rule.target)}`;
      if (!first.has(key)) first.set(key, rule);
    }
    for (const block of this.testBlocks) {
      if (block.target === undefined) continue;
      const name = targetText(block.target);
      const rule = first.get(`tool ${name}`) ?? first.get(`warm ${name}`);
      if (rule === undefined) {
        const { start, end } = block.targetRange;
        this.report('unknown-test-target', start.line, start.character, end.character, `No "tool ${name}" or "warm ${name}" rule in this file for these tests. Check the name, or move the tests into the rule as  test "TEXT" => EXPECTED  lines.`);
        continue;
      }
      for (const pending of block.cases) if (this.expectationFits(rule.kind, pending)) rule.tests.push(pending.test);
    }
  }

  private report(code: RuleProblemCode, line: number, start: number, end: number, message: string, severity: 'error' | 'warning' = 'error'): void {
    this.problems.push({ range: span(line, start, end), message, severity, code });
  }
}
