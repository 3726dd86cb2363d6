import { linearRegExp } from './linear-regexp.js';

/**
 * A matcher for workspace-relative paths with `/` separators: `*` any run within one folder
 * name, `?` one character but `/`, `**` any run of folders, `{a,b}` alternatives, `[…]` a
 * character class. A pattern without `/` matches a file's name at any depth. Compiled for the
 * linear regex engine when it is there, so no pattern backtracks for long.
 */
export function compileGlob(pattern: string): (relativePath: string) => boolean {
  const anchored = pattern.includes('/') ? pattern.replace(/^\.?\//, '') : `**/${pattern}`;
  const source = `^${globBody(anchored)}$`;
  let re: RegExp;
  try {
    re = linearRegExp(source, '');
  } catch {
    try {
      re = new RegExp(source);
    } catch {
      // Not a glob this syntax can read (a class such as [z-a]): match the text as written.
      return (p) => p === anchored || p.endsWith(`/${pattern}`);
    }
  }
  return (p) => re.test(p);
}

function globBody(glob: string): string {
  let out = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const slashAfter = glob[i + 2] === '/';
        const atSegmentStart = i === 0 || glob[i - 1] === '/';
        i += slashAfter ? 2 : 1;
        if (atSegmentStart && slashAfter) out += '(?:[^/]*/)*';
        else out += '.*';
      } else {
        out += '[^/]*';
      }
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close === -1) {
        out += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, close).replace(/\\/g, '\\\\');
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      out += `[${body}]`;
      i = close;
    } else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (c === ',' && braces > 0) {
      out += '|';
    } else {
      out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return out + ')'.repeat(braces);
}
