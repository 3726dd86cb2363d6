import type { Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import type { Tool } from '../../chat/tool.js';
import type { JsonSchema } from '../../chat/types.js';
import type { Disposable } from '../../disposable.js';
import { matchesAnyGlob } from '../../util/glob.js';
import type { McpServerConfig } from './mcp-config.js';
import { decideMcpTool, type McpGateDecision, type McpToolHints } from './mcp-gate.js';
import { toToolResult } from './mcp-result.js';
import { McpServerConnection, McpServerError, type McpServerOptions } from './mcp-server.js';

/** What decides which MCP tools may run early, beside each server's own trust settings. */
export interface McpToolSourceOptions extends McpServerOptions {
  /** The user's read-only globs (never make a `destructiveHint` tool read-only). */
  readOnlyGlobs?: readonly string[];
  /** The user's open-world globs: open-world reads allowed to run early. */
  openWorldGlobs?: readonly string[];
  /** Names already taken (built-in tools): an MCP tool with one of them is namespaced. */
  reservedNames?: readonly string[];
}

/** One offered MCP tool and how it was judged, for listings (the CLI, the extension's log). */
export interface McpToolInfo {
  tool: Tool;
  server: string;
  /** The tool's name on its server (the offered name may carry a `server__` prefix). */
  serverToolName: string;
  trusted: boolean;
  hints: McpToolHints | undefined;
  decision: McpGateDecision;
}

/** Tools from every server that answered, and a sentence for each that did not. */
export interface McpListing {
  tools: McpToolInfo[];
  problems: string[];
  /**
   * Names of offered open-world read-only tools whose server allows open-world reads: add them
   * to the speculator's open-world allowance (`openWorldTools`), which goes by tool name.
   */
  openWorldAllowed: string[];
}

/** Separator of a namespaced name, `server__tool`, used only when two tools would share a name. */
export const NAMESPACE_SEPARATOR = '__';
const WIRE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The tools of a set of MCP servers as Foresight `Tool`s. Servers start lazily, on the first
 * `start`/`list` or call; one that fails gives a problem sentence and no tools, never blocks
 * the others. A tool keeps its server's name unless two servers (or a built-in tool) offer the
 * same one; then every tool of that name is offered as `server__tool`. `readOnly` and
 * `openWorld` come from `decideMcpTool`, so untrusted annotations never let a tool run early.
 */
export class McpToolSource implements Disposable {
  private readonly connections: McpServerConnection[];

  constructor(readonly servers: readonly McpServerConfig[], private readonly options: McpToolSourceOptions = {}) {
    this.connections = servers.map((s) => new McpServerConnection(s, options));
  }

  /** Starts every server (in parallel) and returns what failed, in words. */
  async start(signal: AbortSignal): Promise<string[]> {
    return (await this.list(signal)).problems;
  }

  /** Lists the tools of every server now (tools/list, all pages), judged and named. */
  async list(signal: AbortSignal): Promise<McpListing> {
    const listed = await Promise.all(
      this.connections.map(async (connection) => {
        try {
          return { connection, tools: await connection.listTools(signal) };
        } catch (err) {
          if (signal.aborted) throw signal.reason;
          return { connection, problem: err instanceof Error ? err.message : String(err) };
        }
      }),
    );
    const problems = listed.flatMap((l) => ('problem' in l && l.problem !== undefined ? [l.problem] : []));
    const counts = new Map<string, number>();
    for (const name of this.options.reservedNames ?? []) counts.set(name, 1);
    for (const l of listed) for (const t of l.tools ?? []) counts.set(t.name, (counts.get(t.name) ?? 0) + 1);
    const tools: McpToolInfo[] = [];
    const taken = new Set(this.options.reservedNames ?? []);
    for (const { connection, tools: serverTools } of listed) {
      for (const mcpTool of serverTools ?? []) {
        const clash = (counts.get(mcpTool.name) ?? 0) > 1;
        const name = clash ? `${wireSafe(connection.config.name)}${NAMESPACE_SEPARATOR}${mcpTool.name}` : mcpTool.name;
        if (taken.has(name) || !WIRE_NAME.test(name)) {
          problems.push(`MCP server "${connection.config.name}": tool "${mcpTool.name}" is left out: ${taken.has(name) ? `the name ${name} is taken` : `${name} is not a valid tool name (letters, digits, _ and -, at most 64)`}.`);
          continue;
        }
        taken.add(name);
        tools.push(this.toInfo(connection, mcpTool, name));
      }
    }
    const openWorldAllowed = tools.filter((t) => t.decision.readOnly && t.tool.openWorld === true && this.serverAllowsOpenWorld(t.server)).map((t) => t.tool.name);
    return { tools, problems, openWorldAllowed };
  }

  /** Lets servers that gave up after repeated crashes start again. */
  reset(): void {
    for (const c of this.connections) c.reset();
  }

  /** Stops every server process and closes every connection. */
  dispose(): void {
    void this.close();
  }

  /** Like dispose, resolving once every server is stopped. */
  async close(): Promise<void> {
    await Promise.all(this.connections.map((c) => c.close()));
  }

  private serverAllowsOpenWorld(server: string): boolean {
    return this.servers.find((s) => s.name === server)?.allowOpenWorld === true;
  }

  private toInfo(connection: McpServerConnection, mcpTool: McpTool, name: string): McpToolInfo {
    const config = connection.config;
    const hints = pickHints(mcpTool.annotations);
    const decision = decideMcpTool({
      trusted: config.trusted,
      serverAllowsOpenWorld: config.allowOpenWorld,
      hints,
      userReadOnly: matchesAnyGlob(name, this.options.readOnlyGlobs ?? []) || (name !== mcpTool.name && matchesAnyGlob(mcpTool.name, this.options.readOnlyGlobs ?? [])),
      userOpenWorld: matchesAnyGlob(name, this.options.openWorldGlobs ?? []),
    });
    const tool: Tool = {
      name,
      description: mcpTool.description ?? mcpTool.annotations?.title ?? mcpTool.title ?? '',
      parameters: mcpTool.inputSchema as JsonSchema,
      readOnly: decision.readOnly,
      openWorld: decision.openWorld,
      source: { kind: 'mcp', server: config.name, destructive: hints?.destructiveHint === true },
      async run(args, signal) {
        try {
          return toToolResult(await connection.callTool(mcpTool.name, args, signal));
        } catch (err) {
          if (signal.aborted) throw signal.reason;
          const message = err instanceof McpServerError || err instanceof Error ? err.message : String(err);
          return { output: `Error: ${message}`, isError: true };
        }
      },
      // Starting the server is all a warm rule may do; a failure shows at the formal call.
      warm: (signal) => connection.connect(signal),
    };
    return { tool, server: config.name, serverToolName: mcpTool.name, trusted: config.trusted, hints, decision };
  }
}

/** The four hints the tool gave; undefined when it gave none (a title alone is no hint). */
function pickHints(a: McpTool['annotations']): McpToolHints | undefined {
  const hints: McpToolHints = {};
  for (const key of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) {
    if (typeof a?.[key] === 'boolean') hints[key] = a[key];
  }
  return Object.keys(hints).length > 0 ? hints : undefined;
}

function wireSafe(server: string): string {
  return server.replace(/[^A-Za-z0-9_-]/g, '_');
}
