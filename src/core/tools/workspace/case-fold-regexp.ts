/**
 * Rewrites a regex source so it matches both cases of every ASCII letter without the `i`
 * flag (`a` becomes `[aA]`, `[a-f]` becomes `[a-fA-F]`), for engines that lack `i`, such as
 * V8's linear engine before Node 22. Escapes and group names are kept as they are.
 */
export function caseFoldSource(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      // \xHH, \uHHHH and \cX carry letters that are not to be folded.
      const next = source[i + 1];
      const length = next === 'x' ? 4 : next === 'u' ? 6 : next === 'c' ? 3 : 2;
      out += source.slice(i, i + length);
      i += length - 1;
    } else if (!inClass && c === '(' && source.startsWith('(?<', i) && source[i + 3] !== '=' && source[i + 3] !== '!') {
      const close = source.indexOf('>', i);
      const end = close === -1 ? source.length : close + 1;
      out += source.slice(i, end);
      i = end - 1;
    } else if (inClass) {
      if (c === ']') {
        inClass = false;
        out += c;
      } else if (source[i + 1] === '-' && i + 2 < source.length && source[i + 2] !== ']' && isLetter(c) && isLetter(source[i + 2]!)) {
        const to = source[i + 2]!;
        out += `${c}-${to}${swap(c)}-${swap(to)}`;
        i += 2;
      } else if (source[i + 1] === '-' && i + 2 < source.length && source[i + 2] !== ']') {
        out += source.slice(i, i + 3);
        i += 2;
      } else {
        out += isLetter(c) ? c + swap(c) : c;
      }
    } else if (c === '[') {
      inClass = true;
      out += c;
      if (source[i + 1] === '^') {
        out += '^';
        i++;
      }
    } else {
      out += isLetter(c) ? `[${c}${swap(c)}]` : c;
    }
  }
  return out;
}

function isLetter(c: string): boolean {
  return /^[A-Za-z]$/.test(c);
}

function swap(c: string): string {
  return c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase();
}
