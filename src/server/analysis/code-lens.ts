import type { CodeLens } from 'vscode-languageserver';
import type { RuleFigures } from '../../core/tuning/rule-figures.js';
import { TEST_RULE_COMMAND } from '../../shared/lsp-protocol.js';
import { figuresTitle } from './figures-text.js';
import type { ParsedDocument } from './parsed-document.js';

/**
 * Two lenses above each rule: its figures on the linked sessions (or why there are none) and
 * "Test rule", which runs the rule's inline tests through the server's command. Pure.
 */
export function codeLenses(doc: ParsedDocument, uri: string, figures: ReadonlyMap<string, RuleFigures> | undefined, note: string | undefined): CodeLens[] {
  const out: CodeLens[] = [];
  for (const rule of doc.file.rules) {
    const range = rule.headerRange;
    const f = figures?.get(rule.id);
    const title = f ? figuresTitle(f) : (note ?? 'figures pending…');
    // An empty command id makes a lens that only shows its title.
    out.push({ range, command: { title, command: '' } });
    out.push({ range, command: { title: rule.tests.length > 0 ? `Test rule (${rule.tests.length})` : 'Test rule', command: TEST_RULE_COMMAND, arguments: [uri, rule.id] } });
  }
  return out;
}
