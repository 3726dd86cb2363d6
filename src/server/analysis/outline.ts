import { FoldingRangeKind, SymbolKind, type DocumentSymbol, type FoldingRange } from 'vscode-languageserver';
import type { ParsedDocument } from './parsed-document.js';

/** The outline: one entry per rule (its id), with its patterns, fixed arguments and tests as children. Pure. */
export function documentSymbols(doc: ParsedDocument): DocumentSymbol[] {
  return doc.file.rules.map((rule) => ({
    name: rule.id,
    detail: `${rule.patterns.length} pattern${rule.patterns.length === 1 ? '' : 's'}, ${rule.tests.length} test${rule.tests.length === 1 ? '' : 's'}`,
    kind: rule.kind === 'tool' ? SymbolKind.Function : SymbolKind.Event,
    range: rule.range,
    selectionRange: rule.headerRange,
    children: [
      ...rule.patterns.map((p): DocumentSymbol => ({ name: `/${p.source}/${p.flags}`, kind: SymbolKind.String, range: p.range, selectionRange: p.range })),
      ...rule.fixed.map((f): DocumentSymbol => ({ name: `with ${f.name}`, kind: SymbolKind.Property, range: f.range, selectionRange: f.range })),
      // Tests of a `test TARGET` block lie outside the rule's range; an outline child must lie inside.
      ...rule.tests
        .filter((t) => t.range.start.line >= rule.range.start.line && t.range.end.line <= rule.range.end.line)
        .map((t): DocumentSymbol => ({ name: `test "${t.text.length > 40 ? `${t.text.slice(0, 40)}…` : t.text}"`, kind: SymbolKind.Method, range: t.range, selectionRange: t.textRange })),
    ],
  }));
}

/** One folding range per rule spanning more than its header line. Pure. */
export function foldingRanges(doc: ParsedDocument): FoldingRange[] {
  return doc.file.rules.filter((r) => r.range.end.line > r.range.start.line).map((r) => ({ startLine: r.range.start.line, endLine: r.range.end.line, kind: FoldingRangeKind.Region }));
}
