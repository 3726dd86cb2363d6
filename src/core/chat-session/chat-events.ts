import type { AgentEvent, SpecReasonReport } from '../agent/agent-events.js';
import { assertNever } from '../stream/events.js';
import type { ChatEvent } from '../../shared/protocol.js';

/**
 * The chat events the webview draws for one agent event of run `runId`. `done` maps to nothing:
 * the run's end needs a sentence for the user, which the chat session writes. `servers` names
 * the server of each tool that came from one (an MCP server); its tool events carry it.
 */
export function toChatEvents(runId: number, event: AgentEvent, servers: ReadonlyMap<string, string> = new Map()): ChatEvent[] {
  const server = (name: string) => {
    const found = servers.get(name);
    return found !== undefined ? { server: found } : {};
  };
  switch (event.type) {
    case 'turnStart':
      return [{ type: 'turnStart', runId, turn: event.turn }];
    case 'stream':
      return fromStream(runId, event.turn, event.event);
    case 'toolStart':
      return [
        { type: 'toolStart', runId, turn: event.turn, callId: event.call.id, name: event.call.name, arguments: event.call.arguments, ...server(event.call.name) },
      ];
    case 'toolEnd':
      return [
        {
          type: 'toolEnd',
          runId,
          turn: event.turn,
          callId: event.call.id,
          name: event.call.name,
          ...server(event.call.name),
          output: event.output,
          isError: event.isError,
          recorded: event.recorded,
          durationMs: Math.round(event.durationMs),
          ...(event.speculative
            ? { speculative: { outcome: event.speculative.outcome, savedMs: Math.round(event.speculative.savedMs), ...(event.speculative.crossTurn ? { crossTurn: true } : {}) } }
            : {}),
        },
      ];
    case 'speculation':
    case 'turnMetrics':
      // Drawn by the trace panel, not the chat.
      return [];
    case 'turnEnd':
      return [{ type: 'turnEnd', runId, turn: event.turn, finishReason: event.finishReason }];
    case 'specReason':
      return fromSpecReason(runId, event.turn, event.event);
    case 'done':
      return [];
    default:
      return assertNever(event);
  }
}

/** The chat shows who wrote each kept step and every fallback; proposals, verdicts and figures are the trace panel's. */
function fromSpecReason(runId: number, turn: number, event: SpecReasonReport): ChatEvent[] {
  switch (event.type) {
    case 'stepKept':
      return [
        {
          type: 'reasoningStep',
          runId,
          turn,
          author: event.author,
          kind: event.kind,
          start: event.start,
          end: event.end,
          ...(event.score !== undefined ? { score: event.score } : {}),
        },
      ];
    case 'fallback':
      return [{ type: 'notice', runId, turn, text: event.message }];
    case 'stepProposed':
    case 'stepJudged':
    case 'turnSummary':
      return [];
    default:
      return assertNever(event);
  }
}

function fromStream(runId: number, turn: number, event: Extract<AgentEvent, { type: 'stream' }>['event']): ChatEvent[] {
  switch (event.type) {
    case 'reasoning':
    case 'content':
    case 'contentWasReasoning':
      return [{ type: event.type, runId, turn, text: event.text }];
    case 'toolCallStarted':
      return [{ type: 'toolCallStarted', runId, turn, index: event.index, callId: event.id, name: event.name }];
    case 'toolCallDelta':
      return [{ type: 'toolCallDelta', runId, turn, index: event.index, argumentsDelta: event.argumentsDelta }];
    case 'toolCallSealed':
      return [
        {
          type: 'toolCallSealed',
          runId,
          turn,
          index: event.index,
          callId: event.call.id,
          name: event.call.name,
          arguments: event.call.arguments,
        },
      ];
    case 'usage':
    case 'finish':
    case 'error':
      // The error reaches the user through the run's end; usage and finish are not drawn yet.
      return [];
    default:
      return assertNever(event);
  }
}
