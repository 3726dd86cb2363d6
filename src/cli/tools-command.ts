import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Tool } from '../core/chat/tool.js';
import { markReadOnly } from '../core/engine/speculation-setup.js';
import { createFileTools } from '../core/tools/file-tools.js';
import { applyTrust, mergeServerConfigs, parseWorkspaceMcpJson, type McpConfigResult, type McpServerConfig } from '../core/tools/mcp/mcp-config.js';
import { McpToolSource } from '../core/tools/mcp/mcp-tool-source.js';
import { CliError, globList, numberOption } from './cli-args.js';
import { TOOLS_USAGE } from './usage.js';


/** One row of the listing; `server` is null for built-in tools. */
export interface ToolsRow {
  name: string;
  server: string | null;
  readOnly: boolean;
  openWorld: boolean;
  trusted: boolean;
  speculative: boolean;
  reason: string;
}

/** `foresight tools`: lists the offered tools as a table or JSON, or runs one with --call. */
export async function toolsCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'mcp-stdio': { type: 'string', multiple: true },
      'mcp-http': { type: 'string', multiple: true },
      'mcp-json': { type: 'string', multiple: true },
      trust: { type: 'string', multiple: true },
      'allow-open-world': { type: 'boolean' },
      readonly: { type: 'string', multiple: true },
      root: { type: 'string' },
      'timeout-ms': { type: 'string' },
      call: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(TOOLS_USAGE);
    return 0;
  }
  if (positionals.length > (values.call === undefined ? 0 : 1)) throw new CliError(`unexpected argument "${positionals.at(-1)}"; a command line for --mcp-stdio must be quoted as one argument.`);
  const readOnlyGlobs = globList(values.readonly);
  const configs = await serverConfigs(values['mcp-stdio'] ?? [], values['mcp-http'] ?? [], values['mcp-json'] ?? []);
  for (const p of configs.problems) console.error(`warning: ${p}`);
  const unknownTrust = (values.trust ?? []).filter((t) => !configs.servers.some((s) => s.name === t));
  if (unknownTrust.length > 0) throw new CliError(`--trust names no configured server: ${unknownTrust.join(', ')} (servers: ${configs.servers.map((s) => s.name).join(', ') || 'none'}).`);
  const servers = applyTrust(configs.servers, { trusted: values.trust ?? [], allowOpenWorld: values['allow-open-world'] ? 'all' : [] });
  const builtIn = values.root === undefined ? [] : markReadOnly(createFileTools(resolve(values.root)), readOnlyGlobs);
  const timeoutMs = numberOption(values['timeout-ms'], '--timeout-ms');
  const source = new McpToolSource(servers, {
    readOnlyGlobs,
    reservedNames: builtIn.map((t) => t.name),
    ...(timeoutMs !== undefined ? { callTimeoutMs: timeoutMs, startTimeoutMs: timeoutMs } : {}),
    maxRestarts: 0,
  });
  try {
    const listing = await source.list(new AbortController().signal);
    for (const p of listing.problems) console.error(`warning: ${p}`);
    const rows: ToolsRow[] = [
      ...builtIn.map((t) => builtInRow(t)),
      ...listing.tools.map((t) => ({ name: t.tool.name, server: t.server, readOnly: t.tool.readOnly, openWorld: t.tool.openWorld === true, trusted: t.trusted, speculative: t.decision.speculative, reason: t.decision.reason })),
    ];
    if (values.call !== undefined) {
      const tools: Tool[] = [...builtIn, ...listing.tools.map((t) => t.tool)];
      return await callOnce(tools, values.call, positionals[0], values.json === true);
    }
    if (values.json) console.log(JSON.stringify({ tools: rows }, null, 2));
    else printRows(rows);
    return listing.problems.length > 0 || configs.problems.length > 0 ? 1 : 0;
  } finally {
    await source.close();
  }
}

async function callOnce(tools: readonly Tool[], name: string, argsText: string | undefined, json: boolean): Promise<number> {
  const tool = tools.find((t) => t.name === name);
  if (!tool) {
    console.error(`foresight: no tool named "${name}"; offered: ${tools.map((t) => t.name).join(', ') || 'none'}.`);
    return 1;
  }
  let args: unknown;
  try {
    args = JSON.parse(argsText ?? '{}');
  } catch (err) {
    console.error(`foresight: the arguments for ${name} are not valid JSON (${err instanceof Error ? err.message : String(err)}).`);
    return 1;
  }
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    console.error(`foresight: the arguments for ${name} must be a JSON object, such as '{"city": "Oslo"}'.`);
    return 1;
  }
  const result = await tool.run(args as Record<string, unknown>, new AbortController().signal);
  if (json) console.log(JSON.stringify({ tool: name, isError: result.isError, output: result.output }, null, 2));
  else if (!result.isError) console.log(result.output);
  if (result.isError) {
    if (!json) console.error(`foresight: ${name} failed: ${result.output}`);
    return 1;
  }
  return 0;
}

function builtInRow(t: Tool): ToolsRow {
  const openWorld = t.openWorld === true;
  return { name: t.name, server: null, readOnly: t.readOnly, openWorld, trusted: true, speculative: t.readOnly && !openWorld, reason: t.readOnly ? (openWorld ? 'open-world not allowed' : 'built-in, read-only') : 'not read-only' };
}

async function serverConfigs(stdio: readonly string[], http: readonly string[], jsonFiles: readonly string[]): Promise<McpConfigResult> {
  const fromFlags: McpServerConfig[] = [];
  const named = (name: string) => {
    let unique = name;
    for (let n = 2; fromFlags.some((s) => s.name === unique); n++) unique = `${name}-${n}`;
    return unique;
  };
  for (const spec of stdio) {
    const { name, rest } = splitName(spec);
    const words = splitCommandLine(rest);
    const [command, ...args] = words;
    if (command === undefined) throw new CliError(`--mcp-stdio needs a command line; got "${spec}".`);
    fromFlags.push({ name: named(name ?? basename(command).replace(/\.[^.]+$/, '')), type: 'stdio', command, args, trusted: false, allowOpenWorld: false, origin: 'command line' });
  }
  for (const spec of http) {
    const { name, rest } = splitName(spec);
    let url: URL;
    try {
      url = new URL(rest);
    } catch {
      throw new CliError(`--mcp-http needs a URL such as http://127.0.0.1:3000/mcp; got "${spec}".`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`--mcp-http needs an http:// or https:// URL; got "${spec}".`);
    fromFlags.push({ name: named(name ?? url.hostname), type: 'http', url: url.href, trusted: false, allowOpenWorld: false, origin: 'command line' });
  }
  const sources: McpConfigResult[] = [{ servers: fromFlags, problems: [] }];
  for (const file of jsonFiles) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new CliError(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    sources.push(parseWorkspaceMcpJson(text, file, { workspaceFolder: resolve(file, '..', '..') }));
  }
  return mergeServerConfigs(...sources);
}

/** `NAME=rest` when what precedes `=` is a plain name (so `A=1 cmd` or a URL's query is not taken for one). */
function splitName(spec: string): { name?: string; rest: string } {
  const m = /^([A-Za-z0-9_.-]+)=(.*)$/s.exec(spec.trim());
  return m && m[1] && !m[1].includes('/') ? { name: m[1], rest: m[2] ?? '' } : { rest: spec.trim() };
}

/** Words of a command line as a POSIX shell splits them: quotes group, backslash escapes. */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? '';
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (c === '\\' && i + 1 < line.length && (quote === undefined || /["\\$`]/.test(line[i + 1] ?? ''))) {
      word += line[++i];
      inWord = true;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new CliError(`unclosed ${quote} in the command line "${line}".`);
  if (inWord) words.push(word);
  return words;
}

function printRows(rows: readonly ToolsRow[]): void {
  if (rows.length === 0) {
    console.log('no tools: give --root DIR, --mcp-stdio, --mcp-http or --mcp-json.');
    return;
  }
  const header = ['tool', 'server', 'read-only', 'open-world', 'trusted', 'runs early', 'why'];
  const yes = (b: boolean) => (b ? 'yes' : 'no');
  const table = rows.map((r) => [r.name, r.server ?? '(built-in)', yes(r.readOnly), yes(r.openWorld), yes(r.trusted), yes(r.speculative), r.reason]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] ?? '').length)));
  for (const row of [header, ...table]) console.log(row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '));
}

