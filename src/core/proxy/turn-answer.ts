import type { AssistantMessage, ToolCall } from '../chat/types.js';
import type { StreamError, StreamEvent } from '../stream/events.js';

/**
 * Folds one answer's stream events into what the conversation continues with: the assistant
 * message the agent will send back, its calls, its finish reason, or the error that ended it.
 */
export class TurnAnswer {
  private reasoning = '';
  private content = '';
  private readonly calls: ToolCall[] = [];
  private finishReason: string | undefined;
  private failure: StreamError | undefined;

  push(event: StreamEvent): void {
    switch (event.type) {
      case 'reasoning':
        this.reasoning += event.text;
        return;
      case 'contentWasReasoning':
        this.reasoning += event.text;
        this.content = this.content.slice(event.text.length);
        return;
      case 'content':
        this.content += event.text;
        return;
      case 'toolCallSealed':
        this.calls.push(event.call);
        return;
      case 'finish':
        this.finishReason = event.reason;
        return;
      case 'error':
        this.failure ??= event.error;
        return;
      default:
        return;
    }
  }

  /** The calls the model made, in order. */
  get madeCalls(): readonly ToolCall[] {
    return this.calls;
  }

  get finish(): string | undefined {
    return this.finishReason;
  }

  get error(): StreamError | undefined {
    return this.failure;
  }

  /** The answer as the assistant message of the conversation. */
  message(): AssistantMessage {
    const text = this.content.trim();
    const message: AssistantMessage = { role: 'assistant', content: text.length > 0 ? text : null };
    if (this.reasoning.length > 0) message.reasoning_content = this.reasoning;
    if (this.calls.length > 0) message.tool_calls = this.calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
    return message;
  }
}
