import type { ToolCall, Usage } from '../../chat/types.js';
import { replayTurnEvents } from '../../engine/replay-events.js';
import { replayTiming, type ReplayTiming } from '../../engine/replay-timing.js';
import type { Session, SessionTurn } from '../../session/format.js';
import type { RecordedSpeculationEvent } from '../../session/speculation-records.js';
import { assistantMessage, inputMessages, systemInstructions, toolDefinitions } from './genai-messages.js';

/** An attribute value as OTLP carries it; arrays are of strings only here. */
export type SpanAttributeValue = string | number | boolean | string[];

/**
 * A span before it has ids: `key` names it within its session, `parent` and links name
 * other spans by key. Times are Unix milliseconds.
 */
export interface SpanDraft {
  key: string;
  parent?: string;
  name: string;
  kind: 'internal' | 'client';
  startMs: number;
  endMs: number;
  attributes: Record<string, SpanAttributeValue>;
  links: { key: string; attributes: Record<string, SpanAttributeValue> }[];
  status: { code: 'unset' | 'ok' | 'error'; message?: string };
}

export interface SessionSpanOptions {
  /** Record messages, reasoning, tool arguments and results (opt-in in the conventions). */
  captureContent?: boolean;
  /** Pace of sessions imported without timing; the trace panel's by default. */
  timing?: ReplayTiming;
}

/** The spans of one session, the session's id as `gen_ai.conversation.id`. */
export interface SessionSpans {
  sessionId: string;
  foresightVersion: string;
  spans: SpanDraft[];
}

/**
 * One session as GenAI spans: an `invoke_agent` root; per model call a `chat` span (usage,
 * finish reasons, and with content capture the messages, the reasoning as a `reasoning`
 * part and the answer); per tool run an `execute_tool` span; per speculative run an
 * `execute_tool` span marked `foresight.speculative`, under the `chat` span whose reasoning
 * started it. A formal call served from a speculative run links to it, and carries the
 * outcome, rule, probability, lead and saving as `foresight.speculation.*`. Times are the
 * recorded ones; a session imported without timing is paced as the trace panel paces it.
 */
export function sessionSpans(session: Session, options: SessionSpanOptions = {}): SessionSpans {
  const capture = options.captureContent === true;
  const timing = options.timing ?? replayTiming();
  const paced = session.header.timing !== 'recorded';
  const origin = Date.parse(session.header.createdAt);
  const sessionStart = Number.isFinite(origin) ? origin : 0;
  const spans: SpanDraft[] = [];
  const root: SpanDraft = {
    key: 'agent',
    name: 'invoke_agent Foresight',
    kind: 'internal',
    startMs: sessionStart,
    endMs: sessionStart,
    attributes: {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'Foresight',
      'gen_ai.provider.name': 'openai',
      'gen_ai.conversation.id': session.header.id,
      'gen_ai.request.model': session.header.model,
      ...serverAttributes(session.header.endpoint),
      ...(session.header.demo === true ? { 'foresight.demo': true } : {}),
    },
    links: [],
    status: { code: 'unset' },
  };
  if (capture && session.header.tools.length > 0) root.attributes['gen_ai.tool.definitions'] = JSON.stringify(toolDefinitions(session.header.tools));
  spans.push(root);

  const speculative = new Map<number, { span: SpanDraft; startMs: number }>();
  let cursor = sessionStart;
  for (const [position, turn] of session.turns.entries()) {
    const turnStart = !paced && turn.startedAt !== undefined ? sessionStart + turn.startedAt : cursor;
    const summary = summariseTurn(turn, paced, timing, capture);
    const chatKey = `chat:${position}`;
    const chat: SpanDraft = {
      key: chatKey,
      parent: root.key,
      name: `chat ${session.header.model}`,
      kind: 'client',
      startMs: turnStart,
      endMs: turnStart + summary.endT,
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.conversation.id': session.header.id,
        'gen_ai.request.model': session.header.model,
        ...serverAttributes(session.header.endpoint),
        ...usageAttributes(summary.usage),
        'foresight.turn': position,
      },
      links: [],
      status: summary.error ? { code: 'error', message: summary.error.message } : { code: 'unset' },
    };
    if (summary.model !== undefined) chat.attributes['gen_ai.response.model'] = summary.model;
    if (summary.responseId !== undefined) chat.attributes['gen_ai.response.id'] = summary.responseId;
    if (summary.finishReason !== undefined) chat.attributes['gen_ai.response.finish_reasons'] = [summary.finishReason];
    if (summary.error) chat.attributes['error.type'] = summary.error.status !== undefined ? String(summary.error.status) : summary.error.kind;
    if (capture) {
      chat.attributes['gen_ai.input.messages'] = JSON.stringify(inputMessages(turn.request));
      const system = systemInstructions(turn.request);
      if (system.length > 0) chat.attributes['gen_ai.system_instructions'] = JSON.stringify(system);
      chat.attributes['gen_ai.output.messages'] = JSON.stringify([assistantMessage(summary.reasoning, summary.content, summary.calls, summary.finishReason)]);
    }
    spans.push(chat);

    const records = (turn.speculation ?? []).flatMap(({ t, event }) => (event.type === 'speculation' ? [{ t: turnStart + t, event: event.event }] : []));
    const metrics = (turn.speculation ?? []).find((s) => s.event.type === 'turnMetrics')?.event;
    if (metrics?.type === 'turnMetrics') {
      chat.attributes['foresight.turn.hits'] = metrics.metrics.hits;
      chat.attributes['foresight.turn.misfires'] = metrics.metrics.misfires;
      chat.attributes['foresight.turn.saved_ms'] = metrics.metrics.savedMs;
    }
    addSpeculativeRuns(records, chatKey, position, speculative, spans);
    const claims = new Map<string, { t: number; event: Extract<RecordedSpeculationEvent, { type: 'claim' }> }>();
    for (const r of records) if (r.event.type === 'claim') claims.set(r.event.callId, { t: r.t, event: r.event });

    let toolCursor = chat.endMs;
    let turnEnd = chat.endMs;
    for (const [i, result] of turn.toolResults.entries()) {
      const claim = claims.get(result.callId);
      // What the formal call waited: a recorded serve says so itself; a re-sniffed one saved part of the recorded run.
      const served = result.speculative === undefined && claim !== undefined && (claim.event.outcome === 'hit' || claim.event.outcome === 'partial');
      const waitedMs = served ? Math.max(0, result.durationMs - claim.event.savedMs) : result.durationMs;
      const at = !paced ? turn.toolResultsAt?.[i] : undefined;
      const endMs = at !== undefined ? turnStart + at : toolCursor + waitedMs;
      const startMs = Math.max(chat.startMs, endMs - waitedMs);
      toolCursor = endMs;
      turnEnd = Math.max(turnEnd, endMs);
      const tool: SpanDraft = {
        key: `tool:${position}:${i}`,
        parent: root.key,
        name: `execute_tool ${result.name}`,
        kind: 'internal',
        startMs,
        endMs,
        attributes: {
          'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.name': result.name,
          'gen_ai.tool.call.id': result.callId,
          'gen_ai.tool.type': 'function',
          'foresight.speculation.outcome': 'none',
        },
        links: [],
        status: result.isError ? { code: 'error', message: 'The tool reported an error.' } : { code: 'unset' },
      };
      if (result.isError) tool.attributes['error.type'] = 'tool_error';
      if (result.recorded === true) tool.attributes['foresight.recorded_stand_in'] = true;
      if (capture) {
        tool.attributes['gen_ai.tool.call.arguments'] = result.arguments;
        tool.attributes['gen_ai.tool.call.result'] = result.output;
      }
      const sealed = summary.sealedAt.get(result.callId);
      if (claim) describeClaim(tool, claim, sealed === undefined ? claim.t : turnStart + sealed, speculative);
      else if (result.speculative) {
        tool.attributes['foresight.speculation.outcome'] = result.speculative.outcome;
        tool.attributes['foresight.speculation.saved_ms'] = result.speculative.savedMs;
      }
      spans.push(tool);
    }
    for (const s of speculative.values()) turnEnd = Math.max(turnEnd, s.span.endMs);
    cursor = Math.max(turnEnd, turnStart) + 1;
    root.endMs = Math.max(root.endMs, turnEnd);
  }
  return { sessionId: session.header.id, foresightVersion: session.header.versions.foresight, spans };
}

function describeClaim(
  tool: SpanDraft,
  claim: { t: number; event: Extract<RecordedSpeculationEvent, { type: 'claim' }> },
  sealedMs: number,
  speculative: Map<number, { span: SpanDraft; startMs: number }>,
): void {
  const { event } = claim;
  tool.attributes['foresight.speculation.outcome'] = event.outcome;
  tool.attributes['foresight.speculation.saved_ms'] = event.savedMs;
  if (event.crossTurn === true) tool.attributes['foresight.speculation.cross_turn'] = true;
  const run = event.specId === undefined ? undefined : speculative.get(event.specId);
  if (!run) return;
  const rule = run.span.attributes['foresight.speculation.rule'];
  const probability = run.span.attributes['foresight.speculation.probability'];
  if (rule !== undefined) tool.attributes['foresight.speculation.rule'] = rule;
  if (probability !== undefined) tool.attributes['foresight.speculation.probability'] = probability;
  // How long before the model's formal call the tool was already running.
  tool.attributes['foresight.speculation.lead_ms'] = Math.max(0, Math.round(sealedMs - run.startMs));
  if (event.outcome === 'hit' || event.outcome === 'partial') run.span.attributes['foresight.speculation.outcome'] = event.outcome;
  tool.links.push({ key: run.span.key, attributes: { 'foresight.link': 'speculative_run' } });
}

/** Speculative runs of one turn as spans under its `chat` span, with the intent that fired each. */
function addSpeculativeRuns(
  records: readonly { t: number; event: RecordedSpeculationEvent }[],
  chatKey: string,
  position: number,
  speculative: Map<number, { span: SpanDraft; startMs: number }>,
  spans: SpanDraft[],
): void {
  // The run's arguments are normalised (defaults filled), the intent's as read: they pair on tool and rule.
  // The engine may report the run before the intent that fired it, so either may come first.
  const lastIntent = new Map<string, Extract<RecordedSpeculationEvent, { type: 'intent' }>>();
  const awaitingIntent = new Map<string, SpanDraft>();
  for (const { t, event } of records) {
    if (event.type === 'intent' && event.decision === 'fired') {
      const key = `${event.intent.tool}\u0000${event.intent.ruleId}`;
      const run = awaitingIntent.get(key);
      if (run) {
        run.attributes['foresight.speculation.probability'] = event.probability;
        awaitingIntent.delete(key);
      } else lastIntent.set(key, event);
    } else if (event.type === 'specStart') {
      const key = `${event.tool}\u0000${event.ruleId}`;
      const intent = lastIntent.get(key);
      lastIntent.delete(key);
      const span: SpanDraft = {
        key: `spec:${position}:${event.specId}`,
        parent: chatKey,
        name: `execute_tool ${event.tool}`,
        kind: 'internal',
        startMs: t,
        endMs: t,
        attributes: {
          'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.name': event.tool,
          'gen_ai.tool.type': 'function',
          'foresight.speculative': true,
          'foresight.speculation.rule': event.ruleId,
          'foresight.speculation.outcome': 'unclaimed',
          'foresight.speculation.arguments': event.canonical,
        },
        links: [],
        status: { code: 'unset' },
      };
      if (intent) span.attributes['foresight.speculation.probability'] = intent.probability;
      else awaitingIntent.set(key, span);
      speculative.set(event.specId, { span, startMs: t });
      spans.push(span);
    } else if (event.type === 'specEnd') {
      const run = speculative.get(event.specId);
      if (!run) continue;
      run.span.endMs = Math.max(run.startMs, t);
      if (event.status !== 'done') {
        run.span.status = { code: 'error', message: `The speculative run ended: ${event.status}.` };
        run.span.attributes['error.type'] = event.status;
      }
    } else if (event.type === 'misfire') {
      const run = speculative.get(event.specId);
      if (!run) continue;
      run.span.attributes['foresight.speculation.outcome'] = 'misfire';
      run.span.attributes['foresight.speculation.wasted_ms'] = event.wastedMs;
    }
  }
}

interface TurnSummary {
  endT: number;
  reasoning: string;
  content: string;
  calls: ToolCall[];
  /** When each call was sealed, by call id, in ms from the turn's request. */
  sealedAt: Map<string, number>;
  usage?: Usage;
  finishReason?: string;
  model?: string;
  responseId?: string;
  error?: { kind: string; status?: number; message: string };
}

/** What one model call answered, read through the same stream parser as the chat; text kept only when captured. */
function summariseTurn(turn: SessionTurn, paced: boolean, timing: ReplayTiming, capture: boolean): TurnSummary {
  const summary: TurnSummary = { endT: 0, reasoning: '', content: '', calls: [], sealedAt: new Map() };
  const first = turn.chunks[0]?.chunk;
  if (typeof first?.model === 'string') summary.model = first.model;
  if (typeof first?.id === 'string') summary.responseId = first.id;
  for (const { t, event } of replayTurnEvents(turn, paced, timing)) {
    summary.endT = Math.max(summary.endT, t);
    if (event.type === 'reasoning' && capture) summary.reasoning += event.text;
    else if (event.type === 'content' && capture) summary.content += event.text;
    else if (event.type === 'contentWasReasoning' && capture) {
      summary.reasoning += event.text;
      summary.content = '';
    } else if (event.type === 'toolCallSealed') {
      summary.calls.push(event.call);
      summary.sealedAt.set(event.call.id, t);
    }
    else if (event.type === 'usage') summary.usage = event.usage;
    else if (event.type === 'finish') summary.finishReason = event.reason;
    else if (event.type === 'error') summary.error = event.error.status === undefined ? { kind: event.error.kind, message: event.error.message } : { kind: event.error.kind, status: event.error.status, message: event.error.message };
  }
  return summary;
}

function usageAttributes(usage: Usage | undefined): Record<string, number> {
  if (!usage) return {};
  const out: Record<string, number> = { 'gen_ai.usage.input_tokens': usage.promptTokens, 'gen_ai.usage.output_tokens': usage.completionTokens };
  if (usage.reasoningTokens !== undefined) out['gen_ai.usage.reasoning.output_tokens'] = usage.reasoningTokens;
  return out;
}

function serverAttributes(endpoint: string): Record<string, string | number> {
  try {
    const url = new URL(endpoint);
    const port = url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    return { 'server.address': url.hostname, 'server.port': port };
  } catch {
    return {};
  }
}
