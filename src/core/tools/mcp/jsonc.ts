/**
 * Parses JSON with comments (`//`, `/* *\/`) and trailing commas, the dialect VS Code's own
 * settings and `mcp.json` files are written in. Comments and trailing commas are blanked out
 * (lengths kept, so positions stay true) and the rest goes to `JSON.parse`; an error says the
 * line and column. Returns the value, or an error sentence without the file name.
 */
export function parseJsonc(text: string): { value: unknown } | { error: string } {
  const plain = blankCommentsAndTrailingCommas(text.replace(/^\uFEFF/, ''));
  try {
    return { value: JSON.parse(plain) as unknown };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const at = /position (\d+)/.exec(message);
    if (!at) return { error: message };
    const { line, column } = lineAndColumn(plain, Number(at[1]));
    return { error: `${message.replace(/\s*(?:in JSON )?at position \d+.*$/, '')} at line ${line}, column ${column}` };
  }
}

function blankCommentsAndTrailingCommas(text: string): string {
  const out = text.split('');
  let i = 0;
  // Index of the last comma outside strings still waiting to see what follows it.
  let pendingComma = -1;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      pendingComma = -1;
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') out[i++] = ' ';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      for (; i < stop; i++) if (text[i] !== '\n') out[i] = ' ';
    } else if (c === ',') {
      pendingComma = i++;
    } else if (c === '}' || c === ']') {
      if (pendingComma >= 0) out[pendingComma] = ' ';
      pendingComma = -1;
      i++;
    } else {
      if (c !== undefined && !/\s/.test(c)) pendingComma = -1;
      i++;
    }
  }
  return out.join('');
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}
