import { MarkupKind, type Hover, type Position, type Range } from 'vscode-languageserver';
import type { ToolSpec } from '../../core/chat/types.js';
import type { RuleFigures } from '../../core/tuning/rule-figures.js';
import { explainRegex } from './regex-explain.js';
import { figuresTitle } from './figures-text.js';
import { keywordAt } from './keyword-at.js';
import { ruleAtLine, type ParsedDocument } from './parsed-document.js';
import type { ToolCatalog } from './tool-catalog.js';

/**
 * What hovering shows: on any keyword, role, flag, arrow or expectation, what it means; on a
 * rule's target, its tool's description and schema; on a rule's header, its figures on the
 * linked sessions; on a regex literal, the pattern in plain words. Pure.
 */
export function hover(doc: ParsedDocument, position: Position, catalog: ToolCatalog, figures: ReadonlyMap<string, RuleFigures> | undefined): Hover | null {
  const word = keywordAt(doc.lines[position.line] ?? '', position.line, position.character);
  const rule = ruleAtLine(doc, position.line);
  if (rule && contains(rule.headerRange, position)) {
    const onKeyword = word !== undefined && position.character <= rule.headerRange.start.character + rule.kind.length;
    const parts = word ? [word.help] : [];
    if (!onKeyword) {
      const tool = catalog.resolve(rule.target);
      parts.push(tool ? describeTool(tool) : `**${rule.id}**: no such tool is offered in the linked sessions or configured.`);
    }
    const f = figures?.get(rule.id);
    parts.push(f ? `On the linked sessions: ${figuresTitle(f)}.` : 'No figures yet: link sessions with "Foresight: Choose Sessions for Rule Tuning".');
    return markdown(parts.join('\n\n'), word?.range ?? rule.headerRange);
  }
  if (word) return markdown(word.help, word.range);
  const pattern = rule?.patterns.find((p) => contains(p.range, position));
  if (!pattern) return null;
  const words = explainRegex(pattern.source, pattern.flags);
  if (!words) return null;
  return markdown(['Matches, in order:', '', '```text', ...words, '```'].join('\n'), pattern.range);
}

function markdown(value: string, range: Range): Hover {
  return { contents: { kind: MarkupKind.Markdown, value }, range };
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
