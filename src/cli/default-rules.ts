import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The shipped default rule file, found from wherever this code runs (out/cli.js in the
 * package, src/cli under tsx): the nearest media/rules/default.sniff above it.
 */
export function defaultRulesPath(): string | undefined {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'media', 'rules', 'default.sniff');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return undefined;
}
