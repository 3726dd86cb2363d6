import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { JsonSchema } from '../core/chat/types.js';
import { usableRules, type RuleProblem } from '../core/rules/rule-ast.js';
import { parseRules } from '../core/rules/rule-parser.js';
import { formatExpectation, runRuleTests } from '../core/rules/rule-tests.js';
import { CliError } from './cli-args.js';
import { TEST_USAGE } from './usage.js';


/** `foresight test`: parses each rule file, prints its problems, runs its inline tests. */
export async function testCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions(argv);
  if (values.help) {
    console.log(TEST_USAGE);
    return 0;
  }
  if (positionals.length === 0) throw new CliError(`test needs at least one rule file.\n\n${TEST_USAGE}`);
  const schemas = values.tools === undefined ? undefined : await readToolSchemas(values.tools);
  let passed = 0;
  let failed = 0;
  let errors = 0;
  for (const path of positionals) {
    const file = parseRules(await readText(path));
    const problems = [...file.problems].sort(byPosition);
    for (const p of problems) console.log(`${path}:${p.range.start.line + 1}:${p.range.start.character + 1}: ${p.severity}: ${p.message}`);
    errors += problems.filter((p) => p.severity === 'error').length;
    if (schemas !== undefined) {
      for (const rule of file.rules) {
        if (rule.target.by !== 'name' || schemas.has(rule.target.name)) continue;
        const at = rule.targetRange.start;
        console.log(`${path}:${at.line + 1}:${at.character + 1}: warning: "${rule.target.name}" is not in ${values.tools}; its tests ran without a schema.`);
      }
    }
    const usable = new Set(usableRules(file.rules));
    for (const rule of file.rules) {
      if (usable.has(rule) || rule.tests.length === 0) continue;
      console.log(`${path}:${rule.headerRange.start.line + 1}: ${rule.id}: ${rule.tests.length} test(s) not run: the rule is not used (see the error above)`);
    }
    const schemaFor = schemas === undefined ? undefined : (name: string) => schemas.get(name);
    for (const result of runRuleTests(file, schemaFor ? { schemaFor } : {})) {
      if (result.passed) {
        passed++;
        continue;
      }
      failed++;
      const line = result.test.range.start.line + 1;
      console.log(`${path}:${line}: ${result.rule.id}: expected ${formatExpectation(result.test.expected)}, got ${formatExpectation(result.actual)}`);
      if (result.message !== undefined) console.log(`  ${result.message}`);
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 || errors > 0 ? 1 : 0;
}

function parseOptions(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, options: { tools: { type: 'string' }, help: { type: 'boolean' } } });
  } catch (err) {
    throw new CliError(`${err instanceof Error ? err.message : String(err)}\n\n${TEST_USAGE}`);
  }
}

async function readText(path: string): Promise<string> {
  try {
    const text = await readFile(path, 'utf8');
    return text.startsWith('\uFEFF') ? text.slice(1) : text;
  } catch (err) {
    throw new CliError(`cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Tool name to parameter schema, from a JSON array of `{type: 'function', function: {name, parameters}}`. */
async function readToolSchemas(path: string): Promise<Map<string, JsonSchema | undefined>> {
  let tools: unknown;
  try {
    tools = JSON.parse(await readText(path)) as unknown;
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`${path} is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!Array.isArray(tools)) throw new CliError(`${path} must hold a JSON array of tool specs like {"type": "function", "function": {"name": "read_file", "parameters": {…}}}.`);
  const schemas = new Map<string, JsonSchema | undefined>();
  tools.forEach((tool: unknown, index) => {
    const fn = isRecord(tool) && isRecord(tool.function) ? tool.function : tool;
    if (!isRecord(fn) || typeof fn.name !== 'string') {
      throw new CliError(`${path}: tool ${index} has no function name; expected {"type": "function", "function": {"name": …, "parameters": …}}.`);
    }
    schemas.set(fn.name, isRecord(fn.parameters) ? fn.parameters : undefined);
  });
  return schemas;
}

function byPosition(a: RuleProblem, b: RuleProblem): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
