import type { Tool } from '../../chat/tool.js';
import { createFileTools } from '../file-tools.js';
import type { ConfirmProvider } from './confirm.js';
import { diagnosticsTool, type DiagnosticsProvider } from './diagnostics-tool.js';
import { findFilesTool } from './find-files-tool.js';
import { gitDiffTool } from './git-diff-tool.js';
import { gitStatusTool } from './git-status-tool.js';
import { DEFAULT_READ_LINES_LIMITS, readLinesTool } from './read-lines-tool.js';
import { runCommandTool } from './run-command-tool.js';
import { searchTextTool } from './search-text-tool.js';
import { DEFAULT_SKIPPED_FOLDERS } from './walk-files.js';
import { writeFileTool } from './write-file-tool.js';

export interface WorkspaceToolsOptions {
  /** Asks the user before `write_file` and `run_command`; without it those two are not offered. */
  confirm?: ConfirmProvider;
  /** The editor's diagnostics; without it `get_diagnostics` is not offered. */
  diagnostics?: DiagnosticsProvider;
  /** Time limit of every read, search and git command (ms); 10 s by default. */
  readTimeoutMs?: number;
  /** Time limit of `run_command` (ms); 60 s by default. */
  commandTimeoutMs?: number;
  /** Folder names walks skip; `node_modules` and `.git` by default. */
  skipFolders?: readonly string[];
  /** The git program; `git` on the PATH by default. */
  git?: string;
}

/**
 * Every workspace tool over `root`: the read-only `read_file`, `list_directory`,
 * `read_lines`, `find_files`, `search_text`, `git_status`, `git_diff` and (with a provider)
 * `get_diagnostics`, which may run speculatively; and (with `confirm`) `write_file` and
 * `run_command`, which never do and ask the user each time. All are confined to `root`.
 */
export function createWorkspaceTools(root: string, options: WorkspaceToolsOptions = {}): Tool[] {
  const timeoutMs = options.readTimeoutMs ?? 10_000;
  const skipFolders = options.skipFolders ?? DEFAULT_SKIPPED_FOLDERS;
  const git = { timeoutMs, maxOutputBytes: 256 * 1024, git: options.git ?? 'git' };
  const tools: Tool[] = [
    ...createFileTools(root),
    readLinesTool(root, { ...DEFAULT_READ_LINES_LIMITS, timeoutMs }),
    findFilesTool(root, { timeoutMs, maxResults: 500, maxEntries: 200_000, skipFolders }),
    searchTextTool(root, { timeoutMs, maxMatches: 200, maxEntries: 200_000, maxFileBytes: 8 * 1024 * 1024, maxTotalBytes: 256 * 1024 * 1024, skipFolders }),
    gitStatusTool(root, git),
    gitDiffTool(root, git),
  ];
  if (options.diagnostics) tools.push(diagnosticsTool(root, options.diagnostics, timeoutMs));
  if (options.confirm) {
    tools.push(writeFileTool(root, options.confirm, 10 * 1024 * 1024));
    tools.push(runCommandTool(root, options.confirm, { timeoutMs: options.commandTimeoutMs ?? 60_000, maxOutputBytes: 64 * 1024 }));
  }
  return tools;
}
