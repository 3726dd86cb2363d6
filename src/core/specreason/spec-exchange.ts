import type { ChatMessage } from '../chat/types.js';

/**
 * One model call of a SpecReason turn and what came back, in the shape the local endpoint's
 * `RecordedExchange` serves: a hand-written script expands into these, and a live turn reports
 * them (`onExchange`), so either can be served again for both roles. A continuation's answer
 * holds only what was read before the step ended (the client stops reading there).
 */
export interface SpecReasonExchange {
  model: string;
  messages: ChatMessage[];
  continuation: boolean;
  answer: {
    reasoning?: string;
    content?: string;
    toolCalls?: { id?: string; name: string; arguments: string }[];
    finishReason?: string;
    logprobs?: { token: string; logprob: number; top_logprobs: { token: string; logprob: number }[] }[];
  };
}
