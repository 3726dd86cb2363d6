import { MarkupKind, type InlayHint, type Range } from 'vscode-languageserver';
import type { TestOutcome } from '../../shared/lsp-protocol.js';
import type { ParsedDocument } from './parsed-document.js';

const LONGEST_GOT = 48;

/**
 * A mark after each test line in `range`: ✓ when it passes, ✗ and what it got when it fails,
 * "not run" for a test of a rule the evaluation could not run (a pattern not cleared of
 * catastrophic backtracking). `outcomes` must come from an evaluation of exactly this text,
 * since they are located by line. Pure.
 */
export function testInlayHints(doc: ParsedDocument, outcomes: readonly TestOutcome[], range: Range): InlayHint[] {
  const byLine = new Map(outcomes.map((o) => [o.line, o]));
  const hints: InlayHint[] = [];
  for (const rule of doc.file.rules) {
    for (const test of rule.tests) {
      const line = test.range.start.line;
      if (line < range.start.line || line > range.end.line) continue;
      const o = byLine.get(line);
      const hint: InlayHint = { position: test.range.end, label: '', paddingLeft: true };
      if (!o) {
        hint.label = '⊘ not run';
        hint.tooltip = `The tests of ${rule.id} did not run: one of its patterns could backtrack catastrophically or is not checked yet (see Problems).`;
      } else if (o.passed) {
        hint.label = '✓';
        hint.tooltip = `Passes: got ${o.actual}.`;
      } else {
        hint.label = `✗ got ${shorten(o.actual)}`;
        hint.tooltip = { kind: MarkupKind.Markdown, value: `**Fails.** Expected \`${o.expected}\`, got \`${o.actual}\`${o.message ? `: ${o.message}` : ''}.` };
      }
      hints.push(hint);
    }
  }
  return hints.sort((a, b) => a.position.line - b.position.line);
}

function shorten(text: string): string {
  return text.length > LONGEST_GOT ? `${text.slice(0, LONGEST_GOT - 1)}…` : text;
}
