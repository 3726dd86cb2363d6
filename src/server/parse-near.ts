import type { TextDocument } from 'vscode-languageserver-textdocument';
import { parseDocument, type ParsedDocument } from './analysis/parsed-document.js';

/**
 * A parse good for one position of a large file without parsing the whole file: the block
 * around `line` (from the header at or above it to the line before the next header), with the
 * lines before it left blank so every range is the file's own. A block is read alone, so what
 * depends on other blocks (a duplicate's "#2" id, `test TARGET` blocks) may differ from the
 * full parse; hover and completion do not need it. Costs O(block) plus the blank lines.
 */
export function parseNear(doc: TextDocument, line: number): ParsedDocument {
  const last = doc.lineCount - 1;
  const at = Math.max(0, Math.min(line, last));
  let start = at;
  while (start > 0 && !isHeader(lineOf(doc, start))) start--;
  let end = at + 1;
  while (end <= last && !isHeader(lineOf(doc, end))) end++;
  const block = doc.getText({ start: { line: start, character: 0 }, end: { line: end, character: 0 } });
  return parseDocument('\n'.repeat(start) + block);
}

function lineOf(doc: TextDocument, line: number): string {
  return doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
}

/** A line that starts a block: text at column 0 that is no comment. */
function isHeader(line: string): boolean {
  const c = line[0];
  return c !== undefined && c !== ' ' && c !== '\t' && c !== '#' && c !== '\r' && c !== '\n';
}
