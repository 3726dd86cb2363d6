import type { TextEdit } from 'vscode-languageserver';

/**
 * The file laid out the one way: headers at column 0, body lines (and comments among them)
 * indented by two spaces, trailing blanks removed, no blank lines inside a rule, exactly one
 * blank line between rules (a rule's block starts with the column-0 comments just above its
 * header), one newline at the end. A single edit replacing the whole text, or none when it is
 * already so. Never changes what a line says, only its indentation and the blank lines.
 */
export function formatRules(text: string): TextEdit[] {
  const lines = text.split(/\r?\n/);
  const blocks: string[][] = [];
  let current: string[] | undefined;
  let heldComments: string[] = [];
  for (const raw of lines) {
    const content = raw.trim();
    if (content === '') continue;
    const indented = /^\s/.test(raw);
    if (content.startsWith('#') && !indented) {
      heldComments.push(content);
    } else if (!indented) {
      blocks.push((current = [...heldComments, content]));
      heldComments = [];
    } else if (current) {
      // Column-0 comments followed by more body lines are part of the rule.
      current.push(...heldComments.map((c) => `  ${c}`), `  ${content}`);
      heldComments = [];
    } else {
      // A body line before any header is an error the parser reports; keep it in the preamble, indented.
      blocks.push((current = [...heldComments, `  ${content}`]));
      heldComments = [];
    }
  }
  if (heldComments.length > 0) blocks.push(heldComments);
  const formatted = blocks.length === 0 ? '' : `${blocks.map((b) => b.join('\n')).join('\n\n')}\n`;
  if (formatted === text) return [];
  const last = lines.length - 1;
  return [{ range: { start: { line: 0, character: 0 }, end: { line: last, character: lines[last]?.length ?? 0 } }, newText: formatted }];
}
