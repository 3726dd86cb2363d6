import { parseJsonc } from './jsonc.js';

/**
 * One MCP server, whichever file it was declared in. `trusted` lets the server's own
 * annotations make a tool read-only; `allowOpenWorld` lets its read-only open-world tools run
 * early. Both default to false and are never set by a workspace's `.vscode/mcp.json`.
 */
export interface McpServerConfig {
  name: string;
  type: 'stdio' | 'http';
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  url?: string;
  headers?: Record<string, string>;
  trusted: boolean;
  allowOpenWorld: boolean;
  /** Where it was declared, for messages: "settings", a file path, "command line". */
  origin: string;
}

/** Server configurations read from one source, and sentences about entries that were left out. */
export interface McpConfigResult {
  servers: McpServerConfig[];
  problems: string[];
}

/** Values VS Code would substitute in an `mcp.json`: `${workspaceFolder}`, `${env:NAME}`. */
export interface VariableContext {
  workspaceFolder?: string;
  env?: Record<string, string | undefined>;
}

/**
 * Foresight's own list (`[{ name, type, command, args, env, url, headers, trusted, allowOpenWorld }]`).
 * Bad entries are skipped with a sentence saying which and why; the others are kept.
 */
export function parseForesightServers(value: unknown, origin = 'settings'): McpConfigResult {
  const servers: McpServerConfig[] = [];
  const problems: string[] = [];
  if (value === undefined || value === null) return { servers, problems };
  if (!Array.isArray(value)) return { servers, problems: [`${origin}: the MCP server list must be an array of { name, type, ... } objects.`] };
  value.forEach((entry: unknown, i) => {
    if (!isRecord(entry) || typeof entry.name !== 'string' || entry.name.trim() === '') {
      problems.push(`${origin}: MCP server #${i + 1} needs a "name".`);
      return;
    }
    const parsed = parseEntry(entry.name.trim(), entry, origin, {});
    if ('error' in parsed) problems.push(parsed.error);
    else servers.push({ ...parsed.server, trusted: entry.trusted === true, allowOpenWorld: entry.allowOpenWorld === true });
  });
  return { servers, problems };
}

/**
 * A workspace's `.vscode/mcp.json` in VS Code's format (`{ "servers": { NAME: { type, command,
 * args, env, url, headers, cwd } }, "inputs": [...] }`, comments and trailing commas allowed).
 * Never trusted: a repository someone else wrote must not decide what runs early. A server
 * that needs an `${input:...}` prompt, or of a type Foresight does not speak, is skipped with a
 * sentence naming the file.
 */
export function parseWorkspaceMcpJson(text: string, file: string, vars: VariableContext = {}): McpConfigResult {
  const parsed = parseJsonc(text);
  if ('error' in parsed) return { servers: [], problems: [`${file}: not valid JSON (${parsed.error}).`] };
  const root = parsed.value;
  if (!isRecord(root)) return { servers: [], problems: [`${file}: expected an object with "servers".`] };
  if (root.servers === undefined) return { servers: [], problems: [] };
  if (!isRecord(root.servers)) return { servers: [], problems: [`${file}: "servers" must be an object mapping names to servers.`] };
  const servers: McpServerConfig[] = [];
  const problems: string[] = [];
  for (const [name, entry] of Object.entries(root.servers)) {
    if (!isRecord(entry)) {
      problems.push(`${file}: server "${name}" must be an object.`);
      continue;
    }
    const result = parseEntry(name, entry, file, vars);
    if ('error' in result) problems.push(result.error);
    else servers.push({ ...result.server, trusted: false, allowOpenWorld: false });
  }
  return { servers, problems };
}

/**
 * Sets `trusted` / `allowOpenWorld` on the servers the user named (a user-level setting or
 * the CLI's --trust); the only way a workspace file's server becomes trusted.
 */
export function applyTrust(servers: readonly McpServerConfig[], trust: { trusted?: readonly string[]; allowOpenWorld?: readonly string[] | 'all' }): McpServerConfig[] {
  return servers.map((s) => ({
    ...s,
    trusted: s.trusted || (trust.trusted ?? []).includes(s.name),
    allowOpenWorld: s.allowOpenWorld || trust.allowOpenWorld === 'all' || (trust.allowOpenWorld ?? []).includes(s.name),
  }));
}

/**
 * Joins sources in order of precedence: a later server with a name already taken is left out
 * with a sentence, so a workspace file can never replace a server the user configured.
 */
export function mergeServerConfigs(...sources: readonly McpConfigResult[]): McpConfigResult {
  const servers: McpServerConfig[] = [];
  const problems: string[] = [];
  for (const source of sources) {
    problems.push(...source.problems);
    for (const s of source.servers) {
      const taken = servers.find((t) => t.name === s.name);
      if (taken) problems.push(`${s.origin}: MCP server "${s.name}" is already configured in ${taken.origin}; this one is ignored.`);
      else servers.push(s);
    }
  }
  return { servers, problems };
}

type Entry = Omit<McpServerConfig, 'trusted' | 'allowOpenWorld'>;

function parseEntry(name: string, entry: Record<string, unknown>, origin: string, vars: VariableContext): { server: Entry } | { error: string } {
  const where = `${origin}: MCP server "${name}"`;
  const type = entry.type ?? (typeof entry.command === 'string' ? 'stdio' : typeof entry.url === 'string' ? 'http' : undefined);
  const unresolved: string[] = [];
  const sub = (s: string) => substitute(s, vars, unresolved);
  const strings = (v: unknown) => (Array.isArray(v) && v.every((a) => typeof a === 'string') ? v.map(sub) : undefined);
  const record = (v: unknown): Record<string, string> | undefined => {
    if (!isRecord(v)) return undefined;
    const out: Record<string, string> = {};
    for (const [k, val] of Object.entries(v)) if (typeof val === 'string' || typeof val === 'number' || typeof val === 'boolean') out[k] = sub(String(val));
    return out;
  };
  let server: Entry;
  if (type === 'stdio') {
    if (typeof entry.command !== 'string' || entry.command.trim() === '') return { error: `${where} is "stdio" but has no "command".` };
    if (entry.args !== undefined && !strings(entry.args)) return { error: `${where}: "args" must be a list of strings.` };
    const args = strings(entry.args);
    const env = record(entry.env);
    server = { name, type, command: sub(entry.command), origin, ...(args ? { args } : {}), ...(env ? { env } : {}), ...(typeof entry.cwd === 'string' ? { cwd: sub(entry.cwd) } : {}) };
  } else if (type === 'http') {
    if (typeof entry.url !== 'string') return { error: `${where} is "http" but has no "url".` };
    const url = sub(entry.url);
    if (!/^https?:\/\//i.test(url)) return { error: `${where}: "url" must start with http:// or https://.` };
    const headers = record(entry.headers);
    server = { name, type, url, origin, ...(headers ? { headers } : {}) };
  } else {
    return { error: `${where} has type ${JSON.stringify(type)}; Foresight speaks "stdio" and "http" (Streamable HTTP).` };
  }
  if (unresolved.length > 0) return { error: `${where} uses ${unresolved.join(', ')}, which Foresight cannot fill in; write the value itself or set it in Foresight's own server list.` };
  return { server };
}

function substitute(s: string, vars: VariableContext, unresolved: string[]): string {
  return s.replace(/\$\{([^}]+)\}/g, (whole, key: string) => {
    if (key === 'workspaceFolder' && vars.workspaceFolder !== undefined) return vars.workspaceFolder;
    if (key.startsWith('env:')) {
      const value = (vars.env ?? process.env)[key.slice(4)];
      if (value !== undefined) return value;
    }
    if (!unresolved.includes(whole)) unresolved.push(whole);
    return whole;
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
