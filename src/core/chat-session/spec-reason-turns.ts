import type { SpecReasonReport } from '../agent/agent-events.js';
import type { TurnStreamer } from '../agent/agent-loop.js';
import type { ToolSpec } from '../chat/types.js';
import type { SpecReasonEvent } from '../specreason/spec-events.js';
import { streamSpecReason, type SpecReasonConfig } from '../specreason/spec-reason-stream.js';

/**
 * A turn streamer that runs every turn of the agent in SpecReason mode with `config`, handing
 * SpecReason's own events to the agent loop (which surfaces and records them). `shownTools`
 * replaces the tools the models are told about (the run's tools still run the calls): the
 * embedded demo's recorded calls were written for its scripts' tools, whatever else the chat offers.
 */
export function specReasonTurns(config: SpecReasonConfig, shownTools?: ToolSpec[]): TurnStreamer {
  return (request, options) => {
    const { onSpecReason, ...rest } = options;
    const asked = shownTools ? { ...request, tools: shownTools } : request;
    return streamSpecReason(config, asked, { ...rest, ...(onSpecReason ? { onEvent: (e) => onSpecReason(toReport(e)) } : {}) });
  };
}

/** The agent's copy of a SpecReason event: the same fields, the judge's score as a number or null. */
export function toReport(event: SpecReasonEvent): SpecReasonReport {
  if (event.type !== 'stepJudged') return event;
  return { ...event, score: event.score.kind === 'scored' ? event.score.score : null };
}
