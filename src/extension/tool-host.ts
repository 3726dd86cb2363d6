import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ConfirmRequest } from '../core/tools/workspace/confirm.js';
import type { Diagnostic } from '../core/tools/workspace/diagnostics-tool.js';
import type { ToolSetHost } from './tool-set.js';

const ALLOW = 'Allow';

/**
 * The editor's side of the tool set: the workspace's trust, its `.vscode/mcp.json` (read only
 * when trusted), modal confirmations and the diagnostics VS Code shows.
 */
export async function editorToolHost(root: string | undefined, log: vscode.LogOutputChannel): Promise<ToolSetHost> {
  const trusted = vscode.workspace.isTrusted;
  const workspaceMcpJson = await readWorkspaceMcpJson(log);
  return {
    trusted,
    root,
    ...(workspaceMcpJson ? { workspaceMcpJson } : {}),
    confirm: (request, signal) => ask(request.title, describe(request), signal),
    confirmCode: (language, code, signal) => ask(`The agent wants to run this ${language} program.`, code.length > 1500 ? `${code.slice(0, 1500)}\n…` : code, signal),
    diagnostics: (path) => Promise.resolve(vscode.languages.getDiagnostics(vscode.Uri.file(path)).map(toDiagnostic)),
    log: (level, line) => (level === 'warn' ? log.warn(line) : log.info(line)),
  };
}

/**
 * `.vscode/mcp.json` of the first workspace folder; undefined in Restricted Mode, when there is
 * none, or when it cannot be read (logged).
 */
export async function readWorkspaceMcpJson(log: vscode.LogOutputChannel): Promise<ToolSetHost['workspaceMcpJson']> {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath;
  if (!vscode.workspace.isTrusted || !folder) return undefined;
  const file = join(folder, '.vscode', 'mcp.json');
  try {
    return { file, text: await readFile(file, 'utf8'), workspaceFolder: folder };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log.warn(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}; its MCP servers are left out.`);
    return undefined;
  }
}

/** A modal question; a run stopped meanwhile counts as a no, whatever is answered later. */
async function ask(message: string, detail: string, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  const answer = await vscode.window.showWarningMessage(message, { modal: true, detail }, ALLOW);
  return answer === ALLOW && !signal.aborted;
}

function describe(request: ConfirmRequest): string {
  switch (request.kind) {
    case 'write_file':
      return `${request.exists ? 'Overwrite' : 'Create'} ${request.absolutePath} (${request.bytes} bytes):\n\n${request.preview}`;
    case 'run_command':
      return `${request.command}\n\nin ${request.cwd}`;
  }
}

const SEVERITY: Record<vscode.DiagnosticSeverity, Diagnostic['severity']> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'information',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

function toDiagnostic(d: vscode.Diagnostic): Diagnostic {
  const code = typeof d.code === 'object' ? d.code.value : d.code;
  return {
    severity: SEVERITY[d.severity],
    message: d.message,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
    ...(d.source ? { source: d.source } : {}),
    ...(code !== undefined ? { code } : {}),
  };
}
