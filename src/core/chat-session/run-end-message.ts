import type { StreamError } from '../stream/events.js';
import type { EndpointKind, RunEndReason } from '../../shared/protocol.js';

/** An error whose message is already written for the user (what happened, what to do). */
export class UserFacingError extends Error {
  override readonly name = 'UserFacingError';
}

export interface RunEndContext {
  endpointKind: EndpointKind;
  maxSteps: number;
}

/**
 * The sentence the chat shows when a run ends without an answer; undefined for `answer`.
 * Stream errors already say what to do; the demo endpoint's 404 gets its own explanation,
 * since there it means "not one of the recorded prompts", not a wrong URL.
 */
export function runEndMessage(reason: RunEndReason, error: StreamError | undefined, context: RunEndContext): string | undefined {
  switch (reason) {
    case 'answer':
      return undefined;
    case 'stopped':
      return 'Stopped.';
    case 'maxSteps':
      return `The agent used all ${context.maxSteps} model calls of foresight.maxSteps without reaching an answer. Raise foresight.maxSteps or ask a narrower question.`;
    case 'error':
      if (!error) return 'The run failed for an unknown reason. See "Foresight: Show Log" for details.';
      if (context.endpointKind === 'demo' && error.kind === 'http' && error.status === 404) {
        return 'The demo endpoint only answers its recorded prompts. Pick a suggestion (New Chat shows them again) or set foresight.baseUrl to your own endpoint.';
      }
      return error.message;
  }
}
