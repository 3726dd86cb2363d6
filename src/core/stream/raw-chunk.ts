/** A `chat.completion.chunk` as it travels on the wire; loosely typed on purpose (servers vary). */
export interface RawChunk {
  id?: string;
  object?: string;
  created?: number;
  model?: string;
  choices?: RawChoice[];
  usage?: RawUsage | null;
  [extra: string]: unknown;
}

export interface RawChoice {
  index?: number;
  delta?: RawDelta;
  finish_reason?: string | null;
  [extra: string]: unknown;
}

export interface RawDelta {
  role?: string;
  content?: string | null;
  reasoning_content?: string | null;
  reasoning?: string | null;
  tool_calls?: RawToolCallDelta[];
  [extra: string]: unknown;
}

export interface RawToolCallDelta {
  index?: number;
  id?: string;
  type?: string;
  function?: { name?: string; arguments?: string };
}

export interface RawUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  completion_tokens_details?: { reasoning_tokens?: number } | null;
  [extra: string]: unknown;
}
