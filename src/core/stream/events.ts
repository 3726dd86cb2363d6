import type { ToolCall, Usage } from '../chat/types.js';

/** Why a stream failed, in terms a user can act on. */
export type StreamErrorKind = 'http' | 'network' | 'aborted' | 'protocol';

export interface StreamError {
  kind: StreamErrorKind;
  /** HTTP status for `http` errors. */
  status?: number;
  /** A sentence for the user: what happened and what to do. */
  message: string;
}

/**
 * One typed event of a model's streamed answer. Events arrive in stream order; every
 * `toolCallStarted` is followed by zero or more `toolCallDelta` and exactly one
 * `toolCallSealed` for the same index, unless the stream ends in `error`.
 */
export type StreamEvent =
  | { type: 'reasoning'; text: string }
  | { type: 'content'; text: string }
  /**
   * Content streamed so far (exactly `text`, all of it) turned out to be reasoning: a lone
   * `</think>` arrived with no opening tag. Consumers move it from the answer to the reasoning.
   */
  | { type: 'contentWasReasoning'; text: string }
  | { type: 'toolCallStarted'; index: number; id: string; name: string }
  | { type: 'toolCallDelta'; index: number; id: string; argumentsDelta: string }
  | { type: 'toolCallSealed'; index: number; call: ToolCall }
  | { type: 'usage'; usage: Usage }
  | { type: 'finish'; reason: string }
  | { type: 'error'; error: StreamError };

/** Compile-time exhaustiveness check for switches over discriminated unions. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
