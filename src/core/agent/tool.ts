import type { JsonSchema, ToolSpec } from '../chat/types.js';

/** What a tool run gives back to the model, plus what the UI and the recording need. */
export interface ToolResult {
  /** Text handed back to the model as the tool message. */
  output: string;
  isError: boolean;
  /** Set by recorded stand-ins: the output was replayed, not computed. */
  recorded?: boolean;
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
  /** A stand-in that replays recorded results; listed as such wherever tools are shown. */
  readonly recorded?: boolean;
  /** Runs the tool. Must honour `signal` promptly; errors the model should see are returned, not thrown. */
  run(args: Record<string, unknown>, signal: AbortSignal): Promise<ToolResult>;
}

/** The request-side declaration of a tool. */
export function toToolSpec(tool: Tool): ToolSpec {
  return {
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.parameters },
  };
}
