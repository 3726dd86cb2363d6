import { MarkupKind, type Hover, type Position, type Range } from 'vscode-languageserver';
import type { ToolSpec } from '../../core/chat/types.js';
import type { RuleFigures } from '../../core/tuning/rule-figures.js';
import { explainRegex } from './regex-explain.js';
import { figuresTitle } from './figures-text.js';
import { ruleAtLine, type ParsedDocument } from './parsed-document.js';
import type { ToolCatalog } from './tool-catalog.js';

/**
 * What hovering shows: on a rule's header, its tool's description and schema and the rule's
 * figures on the linked sessions; on a regex literal, the pattern in plain words. Pure.
 */
export function hover(doc: ParsedDocument, position: Position, catalog: ToolCatalog, figures: ReadonlyMap<string, RuleFigures> | undefined): Hover | null {
  const rule = ruleAtLine(doc, position.line);
  if (!rule) return null;
  if (contains(rule.headerRange, position)) {
    const tool = catalog.resolve(rule.target);
    const parts = [tool ? describeTool(tool) : `**${rule.id}**: no such tool is offered in the linked sessions or configured.`];
    const f = figures?.get(rule.id);
    parts.push(f ? `On the linked sessions: ${figuresTitle(f)}.` : 'No figures yet: link sessions with "Foresight: Choose Sessions for Rule Tuning".');
    return { contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n') }, range: rule.headerRange };
  }
  const pattern = rule.patterns.find((p) => contains(p.range, position));
  if (!pattern) return null;
  const words = explainRegex(pattern.source, pattern.flags);
  if (!words) return null;
  return { contents: { kind: MarkupKind.Markdown, value: ['Matches, in order:', '', '```text', ...words, '```'].join('\n') }, range: pattern.range };
}

function describeTool(tool: ToolSpec): string {
  const fn = tool.function;
  return [`**${fn.name}**${fn.description ? `: ${fn.description}` : ''}`, '', '```json', JSON.stringify(fn.parameters ?? {}, null, 2), '```'].join('\n');
}

function contains(range: Range, p: Position): boolean {
  if (p.line < range.start.line || p.line > range.end.line) return false;
  if (p.line === range.start.line && p.character < range.start.character) return false;
  if (p.line === range.end.line && p.character > range.end.character) return false;
  return true;
}

