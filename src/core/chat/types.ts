/**
 * Chat messages and tool declarations in the OpenAI Chat Completions wire shape, so they pass
 * through the SDK unchanged and are stored in sessions as they were sent.
 */

export interface WireToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface SystemMessage {
  role: 'system' | 'developer';
  content: string;
}

export interface UserMessage {
  role: 'user';
  content: string;
}

export interface AssistantMessage {
  role: 'assistant';
  content: string | null;
  /** Reasoning text of that turn; kept for display and recording, never needed by the endpoint. */
  reasoning_content?: string;
  tool_calls?: WireToolCall[];
}

export interface ToolMessage {
  role: 'tool';
  tool_call_id: string;
  content: string;
}

export type ChatMessage = SystemMessage | UserMessage | AssistantMessage | ToolMessage;

/** JSON Schema of a tool's arguments; an object schema in practice. */
export type JsonSchema = Record<string, unknown>;

/** A tool as offered to the model in a request. */
export interface ToolSpec {
  type: 'function';
  function: { name: string; description?: string; parameters?: JsonSchema };
}

/** A complete tool call once its arguments have been fully streamed. */
export interface ToolCall {
  id: string;
  name: string;
  /** The raw JSON text of the arguments as the model wrote it. */
  arguments: string;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  reasoningTokens?: number;
}
