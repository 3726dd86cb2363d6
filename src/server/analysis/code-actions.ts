import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import type { DiagnosticData } from './diagnostics.js';
import { nearest } from './edit-distance.js';
import { ruleAtLine, type ParsedDocument } from './parsed-document.js';
import { parameterType, type ToolCatalog } from './tool-catalog.js';

/**
 * Quick fixes for the diagnostics in `diagnostics`: rename a capture group to the nearest
 * parameter name (edit distance), or add a `with NAME = VALUE` line for a missing required
 * argument, with a placeholder of the parameter's type. Pure.
 */
export function quickFixes(doc: ParsedDocument, uri: string, diagnostics: readonly Diagnostic[], catalog: ToolCatalog): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    const data = d.data as DiagnosticData | undefined;
    if (data?.kind === 'rename-group') {
      const name = nearest(data.group, data.candidates);
      if (name === undefined) continue;
      out.push({
        title: `Rename group "${data.group}" to "${name}"`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        isPreferred: true,
        edit: { changes: { [uri]: [{ range: d.range, newText: name }] } },
      });
    } else if (data?.kind === 'add-argument') {
      const rule = ruleAtLine(doc, d.range.start.line);
      if (!rule) continue;
      const line = rule.range.end.line + 1;
      const value = placeholder(parameterType(catalog.get(data.tool), data.parameter));
      out.push({
        title: `Add "with ${data.parameter} = ${value}"`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        edit: { changes: { [uri]: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `  with ${data.parameter} = ${value}\n` }] } },
      });
    }
  }
  return out;
}

function placeholder(type: string | undefined): string {
  switch (type) {
    case 'integer':
    case 'number':
      return '0';
    case 'boolean':
      return 'false';
    case 'array':
      return '[]';
    case 'object':
      return '{}';
    default:
      return '""';
  }
}
