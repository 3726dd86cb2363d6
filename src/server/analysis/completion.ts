import { CompletionItemKind, type CompletionItem, type Position } from 'vscode-languageserver';
import { TOOL_ROLES, type Rule } from '../../core/rules/rule-ast.js';
import { ALLOWED_FLAGS, lexRegexLiteral } from '../../core/rules/regex-literal.js';
import { BODY_KEYWORDS, HEADER_KEYWORDS } from '../../core/rules/rule-keywords.js';
import { FLAG_NAMES } from './keyword-help.js';
import { ruleAtLine, type ParsedDocument } from './parsed-document.js';
import { ROLE_ALIASES, parametersOf, type ToolCatalog } from './tool-catalog.js';


/**
 * What may be typed at `position`: keywords at the start of a line, tool names and roles after
 * `tool`/`warm`/`test`, parameter names inside `(?<` and after `with`, and flags right after a
 * regex literal's closing slash. Pure.
 */
export function complete(doc: ParsedDocument, position: Position, catalog: ToolCatalog): CompletionItem[] {
  const line = doc.lines[position.line] ?? '';
  const before = line.slice(0, position.character);
  const header = /^(tool|warm|test)\s+(\S*)$/.exec(before);
  if (header) {
    const tools = catalog.all().map((t): CompletionItem => ({ label: t.function.name, kind: CompletionItemKind.Function, detail: t.function.description ?? '' }));
    if (header[1] === 'test') return tools;
    const roles = TOOL_ROLES.map((r): CompletionItem => ({ label: `role:${r}`, kind: CompletionItemKind.EnumMember, detail: 'whichever offered tool plays this role' }));
    return [...tools, ...roles];
  }
  const rule = ruleAtLine(doc, position.line) ?? previousRule(doc, position.line);
  const inGroupName = /\(\?<([A-Za-z_$][\w$]*)?$/.exec(before);
  if (inGroupName && /^\s+when\s+\//.test(before)) return parameters(rule, catalog, 'group');
  const withName = /^\s+with\s+([\w.-]*)$/.exec(before);
  if (withName) return parameters(rule, catalog, 'with');
  const flags = flagsAt(line, position.character);
  if (flags !== undefined) {
    return [...ALLOWED_FLAGS].filter((f) => !flags.includes(f)).map((f) => ({ label: f, kind: CompletionItemKind.Constant, detail: FLAG_NAMES[f] ?? '' }));
  }
  if (/^\w*$/.test(before)) return keywords(HEADER_KEYWORDS);
  if (/^\s+\w*$/.test(before)) return keywords(BODY_KEYWORDS);
  return [];
}

function keywords(words: readonly string[]): CompletionItem[] {
  return words.map((w) => ({ label: w, kind: CompletionItemKind.Keyword }));
}

function parameters(rule: Rule | undefined, catalog: ToolCatalog, where: 'group' | 'with'): CompletionItem[] {
  if (!rule) return [];
  const tool = catalog.resolve(rule.target);
  const names = parametersOf(tool);
  if (rule.target.by === 'role') names.push(...ROLE_ALIASES.filter((a) => !names.includes(a)));
  return names.map((name) => ({
    label: name,
    kind: CompletionItemKind.Field,
    detail: tool ? `parameter of ${tool.function.name}` : 'role parameter',
    insertText: where === 'group' ? `${name}>` : `${name} = `,
  }));
}

/** The flags already written when the cursor is right after a `when` literal's closing slash, else undefined. */
function flagsAt(line: string, character: number): string | undefined {
  const when = /^\s+when\s+/.exec(line);
  if (!when || line[when[0].length] !== '/') return undefined;
  const literal = lexRegexLiteral(line, when[0].length);
  if (!literal.ok || character < literal.flagsStart || character > literal.end) return undefined;
  return literal.flags;
}

/** While typing a new body line after a rule's end, the rule above is the one being written. */
function previousRule(doc: ParsedDocument, line: number): Rule | undefined {
  let found: Rule | undefined;
  for (const r of doc.file.rules) {
    if (r.range.start.line > line) break;
    found = r;
  }
  return found;
}
