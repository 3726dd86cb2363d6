/** The behaviour hints an MCP server may attach to a tool (MCP spec, `ToolAnnotations`). */
export interface McpToolHints {
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/** What the early-run decision for one MCP tool depends on. */
export interface McpGateInput {
  /** The server is trusted by a user-level setting (never by a workspace file). */
  trusted: boolean;
  /** The user let this server's read-only open-world tools run early. */
  serverAllowsOpenWorld: boolean;
  /** The tool's annotations as listed; undefined when it has none. */
  hints: McpToolHints | undefined;
  /** The tool's name matches the user's read-only globs. */
  userReadOnly: boolean;
  /** The tool's name matches the user's open-world globs. */
  userOpenWorld: boolean;
}

/** The decision: the `Tool` fields to set, whether it may run early, and why, in words. */
export interface McpGateDecision {
  readOnly: boolean;
  openWorld: boolean;
  /** readOnly, and closed-world or its open-world reads allowed. */
  speculative: boolean;
  reason: string;
}

/**
 * Default deny. Read-only only when the user's globs say so, or the server is trusted and the
 * tool says `readOnlyHint: true`; never when it says `destructiveHint: true` (whoever says
 * it: that hint can only forbid). Open-world unless a trusted server says `openWorldHint:
 * false`, since an untrusted server's hint must not widen what runs. An open-world read runs
 * early only with the server's opt-in or the user's open-world globs.
 */
export function decideMcpTool(input: McpGateInput): McpGateDecision {
  const { hints, trusted } = input;
  const openWorld = !(trusted && hints?.openWorldHint === false);
  const no = (reason: string): McpGateDecision => ({ readOnly: false, openWorld, speculative: false, reason });
  if (hints?.destructiveHint === true) return no('destructive');
  const serverSaysReadOnly = trusted && hints?.readOnlyHint === true;
  if (!serverSaysReadOnly && !input.userReadOnly) {
    if (!trusted) return no(hints?.readOnlyHint === true ? 'server not trusted' : 'not read-only');
    return no(hints === undefined ? 'no annotations' : 'not read-only');
  }
  if (!openWorld) return { readOnly: true, openWorld, speculative: true, reason: 'read-only, closed-world' };
  const allowed = input.serverAllowsOpenWorld || input.userOpenWorld;
  return { readOnly: true, openWorld, speculative: allowed, reason: allowed ? 'read-only, open-world allowed' : 'open-world not allowed' };
}
