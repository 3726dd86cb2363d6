import * as vscode from 'vscode';
import type { Ctx } from './ctx.js';
import { readWorkspaceMcpJson } from './tool-host.js';
import { configuredServers } from './tool-set.js';

/**
 * `Foresight: Trust MCP Server…`: picks one of the configured servers that is not trusted yet
 * and adds it to the user's foresight.mcp.trustedServers. Only the user does this; a workspace
 * can list servers but never trust them.
 */
export async function trustServer(ctx: Ctx): Promise<void> {
  const settings = ctx.config.settings;
  const { servers } = configuredServers(settings, { trusted: vscode.workspace.isTrusted, workspaceMcpJson: await readWorkspaceMcpJson(ctx.log) });
  const candidates = servers.filter((s) => !s.trusted);
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(
      servers.length === 0 ? 'Foresight: no MCP server is configured (foresight.mcp.servers, or .vscode/mcp.json in a trusted workspace).' : 'Foresight: every configured MCP server is trusted already.',
    );
    return;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((s) => ({ label: s.name, description: s.type === 'http' ? s.url : [s.command, ...(s.args ?? [])].join(' '), detail: `from ${s.origin}` })),
    { title: 'Trust an MCP server', placeHolder: 'Its tools that say they are read-only and closed-world may then run while the model is still thinking' },
  );
  if (!picked) return;
  await ctx.config.setUserValue('mcp.trustedServers', [...settings.tools.trustedServers, picked.label]);
  void vscode.window.showInformationMessage(`Foresight: MCP server "${picked.label}" is trusted. Its read-only, closed-world tools may run early from the next message.`);
}

/** `Foresight: Untrust MCP Server…`: removes one name from the user's foresight.mcp.trustedServers. */
export async function untrustServer(ctx: Ctx): Promise<void> {
  const trusted = ctx.config.settings.tools.trustedServers;
  if (trusted.length === 0) {
    void vscode.window.showInformationMessage('Foresight: no MCP server is trusted in foresight.mcp.trustedServers.');
    return;
  }
  const picked = await vscode.window.showQuickPick(trusted, { title: 'Stop trusting an MCP server', placeHolder: 'Its tools then run only when the model calls them' });
  if (!picked) return;
  await ctx.config.setUserValue('mcp.trustedServers', trusted.filter((name) => name !== picked));
}
