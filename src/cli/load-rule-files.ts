import { readFile } from 'node:fs/promises';
import { usableRules, type Rule } from '../core/rules/rule-ast.js';
import { parseRules } from '../core/rules/rule-parser.js';
import { CliError } from './cli-args.js';

/**
 * Rules of several files; problems are printed to stderr, and errors stop the command, except
 * a catastrophic pattern: its rule is left out (the message names it) and the others run.
 */
export async function loadRuleFiles(paths: readonly string[]): Promise<Rule[]> {
  const rules: Rule[] = [];
  let errors = 0;
  for (const path of paths) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      throw new CliError(`cannot read rule file ${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const file = parseRules(text);
    for (const p of file.problems) {
      console.error(`${path}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.severity}: ${p.message}`);
      if (p.severity === 'error' && p.code !== 'catastrophic-pattern') errors++;
    }
    rules.push(...usableRules(file.rules));
  }
  if (errors > 0) throw new CliError(`${errors} error(s) in the rule files; fix them first (foresight test shows them too).`);
  return rules;
}
