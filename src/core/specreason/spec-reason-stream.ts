import type { ChatStreamOptions, ChatStreamRequest } from '../stream/chat-stream.js';
import { streamChat } from '../stream/chat-stream.js';
import type { StreamError, StreamEvent } from '../stream/events.js';
import type { RawChunk } from '../stream/raw-chunk.js';
import type { RecordedSpecReasonStep } from '../session/format.js';
import { measureBaseOnly } from './base-only.js';
import { judgeStep, writeStep, type SpecReasonRole, type StepWrite, type TurnRequest } from './model-calls.js';
import type { SpecReasonEvent } from './spec-events.js';
import type { SpecReasonExchange } from './spec-exchange.js';
import { problemMessage, type SpecReasonProblemCode } from './spec-problems.js';
import { CONTINUATION_FIELDS, continuationMessages } from './spec-prompts.js';
import { SpecReasonTally } from './spec-tally.js';
import type { SpecReasonSettings } from './specreason-settings.js';
import { isAccepted } from './step-score.js';
import { countTokens } from './step-splitter.js';

/** Everything a SpecReason turn needs besides the request: the two models, the settings, a clock. */
export interface SpecReasonConfig {
  /** The small model that drafts steps. */
  draft: SpecReasonRole;
  /** The model that judges drafts, writes the steps it rejects, and writes the answer. */
  base: SpecReasonRole;
  settings: SpecReasonSettings;
  /** Milliseconds; inject a fixed or virtual clock in tests. */
  now: () => number;
}

/** `streamChat`'s options plus the side channel for SpecReason's own events. */
export interface SpecReasonStreamOptions extends ChatStreamOptions {
  onEvent?: (event: SpecReasonEvent) => void;
  /** Sees every model call that succeeded and what came back, to save them for the local endpoint to serve again. */
  onExchange?: (exchange: SpecReasonExchange) => void;
}

/**
 * One turn in SpecReason mode, as the same stream of typed events `streamChat` yields, so the
 * agent loop and the speculative engine consume it unchanged: the reasoning is the steps kept
 * (one `reasoning` event per step, in order), then the base model's answer streams as it comes,
 * with its tool calls. `request.model` is not used: the models are the config's.
 *
 * Steps: the first `reservedSteps` are the base model's; after that the draft writes each step
 * and the base model scores it; a step scored at or above the threshold is kept, otherwise the
 * base model writes that step. When the budget is spent or the reasoning closes, the base
 * model continues the kept reasoning to the answer. If the draft fails, cannot continue, or the
 * judge fails or gives no logprobs, a `fallback` event says so and the base model alone takes
 * the turn from the reasoning kept so far. `onChunk` sees a reasoning chunk per kept step and
 * then the answer's raw chunks, so a recording replays like any other turn. With
 * `measureBaseOnly`, a turn that ended well then sends the same request to the base model alone
 * and records its time in the summary (the stream ends after it). Never throws.
 */
export async function* streamSpecReason(config: SpecReasonConfig, request: ChatStreamRequest, options: SpecReasonStreamOptions = {}): AsyncGenerator<StreamEvent> {
  const { settings, now } = config;
  const signal = options.signal;
  const emit = (e: SpecReasonEvent) => options.onEvent?.(e);
  const tally = new SpecReasonTally(now());
  const turn: TurnRequest = {
    messages: request.messages,
    ...(request.tools ? { tools: request.tools } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.extraBody ? { extraBody: request.extraBody } : {}),
  };
  let reasoning = '';
  let budget = settings.tokenBudget;
  let closed = false;
  let baseContinues = true;
  let index = 0;

  const fallBack = (code: SpecReasonProblemCode, detail: string) => {
    const message = problemMessage(code, detail, settings.topLogprobs);
    tally.fellBack(code, message);
    emit({ type: 'fallback', reason: code, message });
  };
  const keep = (text: string, step: Omit<RecordedSpecReasonStep, 'start' | 'end'>): StreamEvent | undefined => {
    const recorded = tally.kept(text, step);
    emit({ type: 'stepKept', index: index++, text, ...recorded });
    if (text.length === 0) return undefined;
    reasoning += text;
    options.onChunk?.(reasoningChunk(text));
    return { type: 'reasoning', text };
  };
  const baseWrites = async (): Promise<StepWrite> => {
    const w = await writeStep(config.base, turn, reasoning, settings.stepTokenLimit, now, signal, options.onExchange);
    tally.baseCall(w.receivedTokens, w.ms);
    return w;
  };
  /** A failed base step: either the base cannot continue (fall back to a plain answer) or the turn fails. */
  const baseFailed = (w: Extract<StepWrite, { kind: 'failed' }>): StreamError | undefined => {
    if (!w.restarted && !isContinuationRejection(w.error)) return w.error;
    fallBack('baseNoContinuation', detailOf(w.error));
    baseContinues = false;
    return undefined;
  };

  while (!closed && budget > 0 && baseContinues && !tally.hasFallenBack) {
    if (signal?.aborted) break;
    if (index < settings.reservedSteps) {
      const w = await baseWrites();
      if (w.kind === 'failed') {
        const error = baseFailed(w);
        if (error) return yield* failWith(error);
        break;
      }
      const e = keep(w.step.text, { author: 'base', kind: 'reserved', tokens: w.step.tokens });
      if (e) yield e;
      budget -= w.step.tokens;
      closed = w.closed || w.step.tokens === 0;
      continue;
    }
    const d = await writeStep(config.draft, turn, reasoning, settings.stepTokenLimit, now, signal, options.onExchange);
    tally.draftCall(d.receivedTokens, d.ms);
    if (d.kind === 'failed') {
      if (d.error.kind === 'aborted') break;
      fallBack(d.restarted || isContinuationRejection(d.error) ? 'draftNoContinuation' : 'draftUnavailable', detailOf(d.error));
      break;
    }
    if (d.step.tokens === 0) {
      // The draft has nothing more to think: the base model decides how the reasoning ends.
      closed = true;
      break;
    }
    emit({ type: 'stepProposed', index, text: d.step.text, tokens: d.step.tokens });
    const j = await judgeStep(config.base, turn, { messages: request.messages, ...(request.tools ? { tools: request.tools } : {}), reasoning, step: d.step.text }, settings.scoring, settings.topLogprobs, now, signal, options.onExchange);
    tally.judgeCall(j.ms);
    if (j.kind === 'noLogprobs') {
      fallBack('noLogprobs', 'no logprobs in the answer');
      break;
    }
    if (j.kind === 'failed') {
      if (j.error.kind === 'aborted') break;
      fallBack('judgeUnavailable', detailOf(j.error));
      break;
    }
    const accepted = isAccepted(j.score, settings.threshold);
    tally.judged(accepted, j.score.kind === 'unscored');
    emit({ type: 'stepJudged', index, score: j.score, accepted, threshold: settings.threshold });
    const score = j.score.kind === 'scored' ? j.score.score : null;
    if (accepted) {
      const e = keep(d.step.text, { author: 'draft', kind: 'accepted', tokens: d.step.tokens, score });
      if (e) yield e;
      budget -= d.step.tokens;
      closed = d.closed;
      continue;
    }
    const w = await baseWrites();
    if (w.kind === 'failed') {
      const error = baseFailed(w);
      if (error) return yield* failWith(error);
      break;
    }
    const e = keep(w.step.text, { author: 'base', kind: 'rewritten', tokens: w.step.tokens, score });
    if (e) yield e;
    budget -= w.step.tokens;
    closed = w.closed || w.step.tokens === 0;
  }
  if (signal?.aborted) {
    yield { type: 'error', error: { kind: 'aborted', message: 'Stopped.' } };
    return;
  }

  const answerStarted = now();
  let answerTokens = 0;
  let delivered = false;
  const answerMessages = (continuing: boolean) => (continuing ? continuationMessages(request.messages, reasoning) : [...request.messages]);
  const answer = (continuing: boolean) =>
    streamChat(
      config.base.client,
      {
        model: config.base.model,
        messages: answerMessages(continuing),
        ...(request.tools ? { tools: request.tools } : {}),
        ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
        extraBody: { ...request.extraBody, ...config.base.extraBody, ...(continuing ? CONTINUATION_FIELDS : {}) },
      },
      { ...options, assumeThinking: continuing || options.assumeThinking === true },
    );
  let stream = answer(baseContinues);
  let said = emptyAnswer();
  for (;;) {
    let retryPlain = false;
    said = emptyAnswer();
    for await (const e of stream) {
      said.take(e);
      if (e.type === 'error' && !delivered && baseContinues && isContinuationRejection(e.error)) {
        fallBack('baseNoContinuation', detailOf(e.error));
        baseContinues = false;
        retryPlain = true;
        break;
      }
      delivered ||= e.type !== 'usage';
      if (e.type === 'reasoning' || e.type === 'contentWasReasoning') {
        const tokens = countTokens(e.text);
        tally.kept(e.text, { author: 'base', kind: 'continued', tokens });
      }
      if (e.type === 'reasoning' || e.type === 'content') answerTokens += countTokens(e.text);
      if (e.type === 'toolCallDelta') answerTokens += Math.ceil(e.argumentsDelta.length / 4);
      yield e;
      if (e.type === 'error') {
        tally.baseCall(answerTokens, now() - answerStarted);
        emit({ type: 'turnSummary', summary: tally.summary(now()) });
        return;
      }
    }
    if (!retryPlain) break;
    stream = answer(false);
  }
  tally.baseCall(answerTokens, now() - answerStarted);
  options.onExchange?.({ model: config.base.model, messages: answerMessages(baseContinues), continuation: baseContinues, answer: said.answer });
  // The mode's time ends with its answer; the base-only run comes after, so neither slows the other.
  const endedAt = now();
  if (settings.measureBaseOnly && !signal?.aborted) tally.measuredBaseOnly(await measureBaseOnly(config.base, request, now, signal));
  emit({ type: 'turnSummary', summary: tally.summary(endedAt) });

  function failWith(error: StreamError): Generator<StreamEvent> {
    emit({ type: 'turnSummary', summary: tally.summary(now()) });
    return (function* () {
      yield { type: 'error', error } satisfies StreamEvent;
    })();
  }
}

/** A 400 or 422 to a continuation request: the server does not take the continuation fields or an assistant-final conversation. */
function isContinuationRejection(error: StreamError): boolean {
  return error.kind === 'http' && (error.status === 400 || error.status === 422);
}

/** A short account of a failure for the fallback message (the stream error's own sentence names other settings). */
function detailOf(error: StreamError): string {
  switch (error.kind) {
    case 'http':
      return `it answered HTTP ${error.status ?? '?'}`;
    case 'network':
      return 'it could not be reached, or the connection broke';
    case 'aborted':
      return 'stopped';
    case 'protocol':
      return error.message;
  }
}

/** The chunk a recording gets for a kept step, so a replay streams the same reasoning. */
function reasoningChunk(text: string): RawChunk {
  return { object: 'chat.completion.chunk', choices: [{ index: 0, delta: { reasoning_content: text }, finish_reason: null }] };
}

/** What the base model's answer said, gathered from its events for `onExchange`. */
function emptyAnswer(): { answer: SpecReasonExchange['answer']; take: (e: StreamEvent) => void } {
  const answer: SpecReasonExchange['answer'] = {};
  const take = (e: StreamEvent) => {
    switch (e.type) {
      case 'reasoning':
        answer.reasoning = (answer.reasoning ?? '') + e.text;
        break;
      case 'contentWasReasoning':
        answer.reasoning = (answer.reasoning ?? '') + e.text;
        answer.content = (answer.content ?? '').slice(e.text.length);
        break;
      case 'content':
        answer.content = (answer.content ?? '') + e.text;
        break;
      case 'toolCallSealed':
        (answer.toolCalls ??= []).push({ id: e.call.id, name: e.call.name, arguments: e.call.arguments });
        break;
      case 'finish':
        answer.finishReason = e.reason;
        break;
      default:
        break;
    }
  };
  return { answer, take };
}
