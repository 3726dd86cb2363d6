import { parseRules } from '../../core/rules/rule-parser.js';
import type { Rule, RuleFile } from '../../core/rules/rule-ast.js';

/** A rule file parsed once per version: its text, its lines and the parser's result. */
export interface ParsedDocument {
  text: string;
  lines: string[];
  file: RuleFile;
}

/** Parses a rule file's text with core's parser (never throws, whatever the text). */
export function parseDocument(text: string): ParsedDocument {
  // The main thread never runs a pattern; the evaluation worker checks risky ones before it does.
  return { text, lines: text.split(/\r?\n/), file: parseRules(text, { deferRedosCheck: true }) };
}

/** The rule whose lines (header to last body line) include `line`, if any. */
export function ruleAtLine(doc: ParsedDocument, line: number): Rule | undefined {
  // Rules are in file order, so a binary search keeps this cheap in a 10,000-rule file.
  const rules = doc.file.rules;
  let lo = 0;
  let hi = rules.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = rules[mid]!;
    if (line < r.range.start.line) hi = mid - 1;
    else if (line > r.range.end.line) lo = mid + 1;
    else return r;
  }
  return undefined;
}
