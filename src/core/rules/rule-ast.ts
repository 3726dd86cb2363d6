/** A place in a rule file: 0-based line and 0-based UTF-16 column, as in LSP. */
export interface Position {
  line: number;
  character: number;
}

/** A span of a rule file, end exclusive, as in LSP. */
export interface Range {
  start: Position;
  end: Position;
}

/** What a tool role stands for; the sniffer resolves a role to the request's offered tools. */
export const TOOL_ROLES = ['code-runner', 'file-reader', 'searcher', 'fetcher'] as const;

/** One of `TOOL_ROLES`: `code-runner` runs code or shell commands, the others read files, search and fetch. */
export type ToolRole = (typeof TOOL_ROLES)[number];

/** Confidence of a rule that does not say `confidence`. */
export const DEFAULT_CONFIDENCE = 0.5;

/** Longest span (characters) a pattern may match when the rule does not say `window`. */
export const DEFAULT_WINDOW = 512;

/** Largest `window` a rule may ask for; it bounds the sniffer's look-back. */
export const MAX_WINDOW = 4096;

/** Stable identifiers of every problem the parser reports; tools and tests may switch on them. */
export type RuleProblemCode =
  | 'unknown-keyword'
  | 'misplaced-keyword'
  | 'body-without-header'
  | 'bad-target'
  | 'duplicate-rule'
  | 'no-patterns'
  | 'missing-regex'
  | 'unterminated-regex'
  | 'empty-pattern'
  | 'bad-regex'
  | 'bad-flag'
  | 'matches-empty'
  | 'catastrophic-pattern'
  | 'bad-number'
  | 'confidence-range'
  | 'window-range'
  | 'duplicate-setting'
  | 'bad-argument'
  | 'duplicate-argument'
  | 'argument-conflict'
  | 'bad-json'
  | 'bad-test'
  | 'unterminated-string'
  | 'bad-expectation'
  | 'unknown-test-target'
  | 'unexpected-text';

/** A mistake in a rule file, with a message telling the user what is wrong and how to fix it. */
export interface RuleProblem {
  range: Range;
  message: string;
  severity: 'error' | 'warning';
  code: RuleProblemCode;
}

/** What a rule fires for: a tool by its name, or any offered tool playing a role. */
export type RuleTarget = { by: 'name'; name: string } | { by: 'role'; role: ToolRole };

/** One `when` line: a regex literal, compiled when valid, with its named groups in source order. */
export interface RulePattern {
  /** The regex source exactly as written between the slashes. */
  source: string;
  flags: string;
  /** The whole literal, slashes and flags included. */
  range: Range;
  /** Per-pattern override of the rule's confidence. */
  confidence?: number;
  /** Names of the named capture groups, each once, in order of appearance. */
  groups: string[];
  /**
   * Compiled with `flags` (never `g` or `y`), on the linear-time engine when its shape is risky;
   * undefined when the literal is invalid or the pattern is unsafe to run.
   */
  regex?: RegExp;
  /**
   * `unsafe`: it could backtrack catastrophically, so its rule is not used (see `usableRules`);
   * `unchecked`: its shape is risky and the parser was asked to leave the ReDoS check to the
   * caller (`regex` is compiled but must not run until cleared). Absent otherwise.
   */
  risk?: 'unsafe' | 'unchecked';
}

/** A `with NAME = VALUE` line: an argument every intent of the rule carries, overriding any capture. */
export interface FixedArgument {
  name: string;
  value: unknown;
  range: Range;
}

/** What an inline test expects: the arguments extracted, no match at all, or (warm rules) a match. */
export type RuleTestExpectation = Record<string, unknown> | 'none' | 'warm';

/** An inline `test "TEXT" => EXPECTED` case; `text` is verbatim, without escapes. A case from a `test TARGET` block lies outside its rule's range. */
export interface RuleTest {
  text: string;
  expected: RuleTestExpectation;
  /** The whole test line's content. */
  range: Range;
  /** The text between the quotes. */
  textRange: Range;
}

/** A parsed `tool` or `warm` rule; every field is filled, defaults included. */
export interface Rule {
  kind: 'tool' | 'warm';
  target: RuleTarget;
  targetRange: Range;
  /** From the header to the end of the rule's last body line. */
  range: Range;
  /** The keyword and the target. */
  headerRange: Range;
  patterns: RulePattern[];
  fixed: FixedArgument[];
  /** The rule's prior in [0, 1]. */
  confidence: number;
  /** Where the `confidence` value is written, if it is. */
  confidenceRange?: Range;
  /** Longest span a pattern may match, 1..MAX_WINDOW. */
  window: number;
  tests: RuleTest[];
  /** Unique within the file and stable across edits elsewhere: "tool NAME", "warm role:ROLE", "tool NAME#2" for a second rule of the same kind and target. */
  id: string;
}

/** The result of parsing a rule file: the rules that could be read, and every problem found. */
export interface RuleFile {
  rules: Rule[];
  problems: RuleProblem[];
}

/** The rules that may run: those with no `unsafe` pattern. Same array when there is none. */
export function usableRules(rules: readonly Rule[]): readonly Rule[] {
  return rules.some((r) => r.patterns.some((p) => p.risk === 'unsafe')) ? rules.filter((r) => !r.patterns.some((p) => p.risk === 'unsafe')) : rules;
}

/** The target as written in a header: `NAME` or `role:ROLE`. */
export function targetText(target: RuleTarget): string {
  return target.by === 'name' ? target.name : `role:${target.role}`;
}
