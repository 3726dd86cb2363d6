import type { JsonSchema, ToolSpec } from './types.js';

/** What a tool run gives back to the model, plus what the UI and the recording need. */
export interface ToolResult {
  /** Text handed back to the model as the tool message. */
  output: string;
  isError: boolean;
  /** Set by recorded stand-ins: the output was replayed, not computed. */
  recorded?: boolean;
  /**
   * Whether the result still holds (the file it read is unchanged, say). Checked when a
   * speculative result is claimed; a result without it never goes stale.
   */
  isFresh?: () => Promise<boolean>;
}

/**
 * A tool the agent may call. `readOnly` is the safety gate for speculation: only a tool that
 * changes nothing may ever run before the model formally calls it.
 */
export interface Tool {
  readonly name: string;
  readonly description: string;
  readonly parameters: JsonSchema;
  readonly readOnly: boolean;
  /**
   * Reaches outside this machine (the web, other people's systems): a speculative run could
   * leak what the model is thinking about, so it runs early only where the user opted in.
   */
  readonly openWorld?: boolean;
  /** A stand-in that replays recorded results; listed as such wherever tools are shown. */
  readonly recorded?: boolean;
  /**
   * Where a tool that is not built in came from. An MCP tool's `readOnly` and `openWorld` were
   * decided from its server's trust and annotations; one marked `destructive` must never be
   * made read-only by anything downstream (the user's read-only globs included).
   */
  readonly source?: { kind: 'mcp'; server: string; destructive: boolean };
  /** Runs the tool. Must honour `signal` promptly; errors the model should see are returned, not thrown. */
  run(args: Record<string, unknown>, signal: AbortSignal): Promise<ToolResult>;
  /**
   * Prepares the tool without running it (start a sandbox, open a connection). The only thing
   * a `warm` rule may do; must be safe to call any number of times.
   */
  warm?(signal: AbortSignal): Promise<void>;
}

/** The request-side declaration of a tool. */
export function toToolSpec(tool: Tool): ToolSpec {
  return {
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.parameters },
  };
}
