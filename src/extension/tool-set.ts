import type { Tool } from '../core/chat/tool.js';
import type { ChatSettings } from '../core/chat-session/settings.js';
import type { Disposable } from '../core/disposable.js';
import { createCodeRunner, type CodeRunner, type CodeRunnerOptions } from '../core/tools/code-runner.js';
import { applyTrust, mergeServerConfigs, parseForesightServers, parseWorkspaceMcpJson, type McpConfigResult, type McpServerConfig } from '../core/tools/mcp/mcp-config.js';
import type { McpServerOptions } from '../core/tools/mcp/mcp-server.js';
import { McpToolSource } from '../core/tools/mcp/mcp-tool-source.js';
import { declined, type ConfirmProvider } from '../core/tools/workspace/confirm.js';
import { createWorkspaceTools } from '../core/tools/workspace/create-workspace-tools.js';
import type { DiagnosticsProvider } from '../core/tools/workspace/diagnostics-tool.js';

// This file takes no `vscode` import: the editor's parts come in through ToolSetHost, so the
// composition is tested with plain functions.

/** The one line the chat shows in Restricted Mode. */
export const UNTRUSTED_NOTICE = 'Restricted Mode: the chat offers no tools (workspace tools, code runner, MCP servers) until you trust this workspace.';

/** What the editor supplies: its trust, its folder, its dialogs and its diagnostics. */
export interface ToolSetHost {
  /** `vscode.workspace.isTrusted`. Untrusted: no tool at all, and `.vscode/mcp.json` is not read. */
  trusted: boolean;
  /** Folder the workspace tools are confined to; undefined offers none. */
  root: string | undefined;
  /** The workspace's `.vscode/mcp.json`, read by the host only in a trusted workspace. */
  workspaceMcpJson?: { file: string; text: string; workspaceFolder: string };
  /** Asks before `write_file` and `run_command`. */
  confirm: ConfirmProvider;
  /** Asks before `run_code` runs a program. */
  confirmCode: (language: string, code: string, signal: AbortSignal) => Promise<boolean>;
  diagnostics: DiagnosticsProvider;
  log: (level: 'info' | 'warn', line: string) => void;
  /** Replaces the code runner's making, for tests. */
  createCodeRunner?: (options: CodeRunnerOptions) => Promise<CodeRunner>;
  /** Timeouts and restarts of the MCP servers, for tests. */
  mcpOptions?: McpServerOptions;
}

/** The tools of one run and what the run's speculation must know about them. */
export interface ToolListing {
  tools: Tool[];
  /** Open-world read-only tools their server lets run early: add to the setup's `openWorldTools`. */
  openWorldAllowed: string[];
  /** One sentence per MCP server that could not be listed (also logged); empty when all answered. */
  problems: string[];
}

/**
 * The tools a live chat offers, from the settings and the workspace's trust: the workspace
 * tools and the code runner (each switchable), and the MCP servers of the settings and of
 * `.vscode/mcp.json`. MCP servers start on the first `list`; a listing in which every server
 * answered is kept, one with problems is tried again on the next run. Holds the server
 * processes and the code runner's interpreters until disposed.
 */
export class ToolSet implements Disposable {
  /** Every configured MCP server with its trust, for the trust commands and the log. */
  readonly servers: readonly McpServerConfig[];
  /** Lines for the chat header: why tools are missing. */
  readonly notices: readonly string[];
  private readonly builtIn: Tool[];
  private readonly mcp: McpToolSource | undefined;
  private runner: Promise<CodeRunner | undefined> | undefined;
  private kept: ToolListing | undefined;
  private disposed = false;

  constructor(private readonly settings: ChatSettings, private readonly host: ToolSetHost) {
    const configs = configuredServers(settings, host);
    for (const p of configs.problems) host.log('warn', p);
    this.servers = configs.servers;
    if (!host.trusted) {
      this.notices = [UNTRUSTED_NOTICE];
      this.builtIn = [];
      this.mcp = undefined;
      return;
    }
    this.notices = [];
    this.builtIn = settings.tools.workspace && host.root ? createWorkspaceTools(host.root, { confirm: host.confirm, diagnostics: host.diagnostics }) : [];
    this.mcp =
      this.servers.length > 0
        ? new McpToolSource(this.servers, {
            ...host.mcpOptions,
            readOnlyGlobs: settings.speculation.readOnlyTools,
            openWorldGlobs: settings.speculation.openWorldTools,
            reservedNames: [...this.builtIn.map((t) => t.name), ...(settings.tools.codeRunner ? ['run_code'] : [])],
            onLog: (line) => host.log('info', line),
          })
        : undefined;
  }

  /** The tools for the next run; starts the MCP servers and the code runner the first time. */
  async list(signal: AbortSignal): Promise<ToolListing> {
    if (this.kept) return this.kept;
    const runner = await this.codeRunner();
    const builtIn = runner ? [...this.builtIn, askingFirst(runner, this.host.confirmCode)] : this.builtIn;
    if (!this.mcp) return (this.kept = { tools: builtIn, openWorldAllowed: [], problems: [] });
    const listing = await this.mcp.list(signal);
    const problems = listing.problems.map((p) => `${p} Its tools are left out of this message.`);
    for (const p of problems) this.host.log('warn', p);
    for (const t of listing.tools) this.host.log('info', `MCP tool ${t.tool.name} from "${t.server}": ${t.decision.speculative ? 'may run early' : 'runs only when called'} (${t.decision.reason})`);
    const result = { tools: [...builtIn, ...listing.tools.map((t) => t.tool)], openWorldAllowed: listing.openWorldAllowed, problems };
    if (problems.length === 0) this.kept = result;
    return result;
  }

  dispose(): void {
    this.disposed = true;
    this.mcp?.dispose();
    void this.runner?.then((r) => r?.dispose());
  }

  private codeRunner(): Promise<CodeRunner | undefined> {
    if (!this.host.trusted || !this.settings.tools.codeRunner || this.disposed) return Promise.resolve(undefined);
    this.runner ??= (this.host.createCodeRunner ?? createCodeRunner)({}).catch((err: unknown) => {
      this.host.log('warn', `the code runner could not be set up, run_code is not offered: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    });
    return this.runner;
  }
}

/** Foresight's own servers, then `.vscode/mcp.json`'s (never trusted by the file, never replacing one of the user's), with the user's trust applied. */
export function configuredServers(settings: ChatSettings, host: Pick<ToolSetHost, 'trusted' | 'workspaceMcpJson'>): McpConfigResult {
  const sources: McpConfigResult[] = [parseForesightServers(settings.tools.mcpServers, 'foresight.mcp.servers')];
  const file = host.workspaceMcpJson;
  if (host.trusted && file) sources.push(parseWorkspaceMcpJson(file.text, file.file, { workspaceFolder: file.workspaceFolder }));
  const merged = mergeServerConfigs(...sources);
  return { servers: applyTrust(merged.servers, { trusted: settings.tools.trustedServers, allowOpenWorld: settings.tools.openWorldServers }), problems: merged.problems };
}

/**
 * The tools of a demo run: the real tools, and the recorded stand-ins for the sessions' tools
 * no real tool answers to, so a recording made against real tools replays against them.
 */
export function withStandIns(real: readonly Tool[], standIns: readonly Tool[]): Tool[] {
  const names = new Set(real.map((t) => t.name));
  return [...real, ...standIns.filter((t) => !names.has(t.name))];
}

/** `run_code` asking the user before each program; its warm-up runs without asking, since it runs nothing. */
function askingFirst(runner: CodeRunner, confirm: ToolSetHost['confirmCode']): Tool {
  return {
    name: runner.name,
    description: runner.description,
    parameters: runner.parameters,
    readOnly: false,
    async run(args, signal) {
      const { language, code } = args;
      if (typeof language === 'string' && typeof code === 'string' && !(await confirm(language, code, signal))) return declined('running the program');
      return runner.run(args, signal);
    },
    warm: (signal) => runner.warm(signal),
  };
}
