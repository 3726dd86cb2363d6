import { readFile } from 'node:fs/promises';
import type { ChatMessage, ToolSpec } from '../chat/types.js';
import type { SpecReasonExchange } from './spec-exchange.js';
import { continuationMessages, judgeMessages } from './spec-prompts.js';

/** A judge's recorded answer: the token it emitted and its alternatives' logprobs. */
export interface ScriptJudge {
  token: string;
  /** Alternatives, token to logprob, most likely first. */
  top: Record<string, number>;
}

/** A step of a script: a reserved step the base model writes, or a draft with the judge's answer (and the base's rewrite when the judge rejects it). */
export type ScriptStep = { by: 'base'; text: string } | { draft: string; judge: ScriptJudge; base?: string };

/**
 * A hand-written SpecReason turn: the conversation, the steps as each model writes them, the
 * judge's answers, and the base model's answer. `exchangesOfScript` turns it into the exchanges
 * an endpoint serves for the draft, the judge and the continuations.
 */
export interface SpecReasonScript {
  handWritten: true;
  title: string;
  models: { draft: string; base: string };
  tools?: ToolSpec[];
  messages: ChatMessage[];
  steps: ScriptStep[];
  answer: { reasoning?: string; content?: string; toolCalls?: { id?: string; name: string; arguments: string }[] };
  /** The base model's answer to the same conversation alone (no draft, no prefill), served to `foresight.specReason.measureBaseOnly`. */
  baseOnly?: { reasoning?: string; content?: string; toolCalls?: { id?: string; name: string; arguments: string }[] };
}

/**
 * Every exchange a SpecReason turn of the script makes, built with the same prompts the step
 * loop sends. Steps are joined by blank lines; each continuation answers its step and then the
 * next kept step (as a model would go on), so the loop has to cut it at the blank line; the
 * last step's continuations close the reasoning with the answer's tool calls or text.
 */
export function exchangesOfScript(script: SpecReasonScript): SpecReasonExchange[] {
  const { models, messages, steps } = script;
  const kept = steps.map((s) => ('by' in s ? s.text : (s.base ?? s.draft)));
  const texts = kept.map((t, i) => (i < kept.length - 1 ? `${t}\n\n` : t));
  const closing = { ...(script.answer.content ? { content: script.answer.content } : {}), ...(script.answer.toolCalls ? { toolCalls: script.answer.toolCalls } : {}) };
  const continuing = (i: number, text: string): SpecReasonExchange['answer'] =>
    i < steps.length - 1 ? { reasoning: `${text}\n\n${kept[i + 1]}` } : { reasoning: text, ...(Object.keys(closing).length > 0 ? closing : { content: ' ' }) };
  const out: SpecReasonExchange[] = [];
  let reasoning = '';
  steps.forEach((step, i) => {
    const prefill = continuationMessages(messages, reasoning);
    if ('by' in step) {
      out.push({ model: models.base, messages: prefill, continuation: true, answer: continuing(i, step.text) });
    } else {
      const draftText = i < steps.length - 1 ? `${step.draft}\n\n` : step.draft;
      out.push({ model: models.draft, messages: prefill, continuation: true, answer: continuing(i, step.draft) });
      out.push({ model: models.base, messages: judgeMessages({ messages, ...(script.tools ? { tools: script.tools } : {}), reasoning, step: draftText }), continuation: true, answer: judgeAnswer(step.judge) });
      if (step.base !== undefined) out.push({ model: models.base, messages: prefill, continuation: true, answer: continuing(i, step.base) });
    }
    reasoning += texts[i];
  });
  out.push({ model: models.base, messages: continuationMessages(messages, reasoning), continuation: true, answer: script.answer });
  if (script.baseOnly) out.push({ model: models.base, messages: [...messages], continuation: false, answer: script.baseOnly });
  return out;
}

function judgeAnswer(judge: ScriptJudge): SpecReasonExchange['answer'] {
  const top = Object.entries(judge.top).map(([token, logprob]) => ({ token, logprob }));
  const logprob = judge.top[judge.token] ?? Math.log(0.01);
  return { content: judge.token, logprobs: [{ token: judge.token, logprob, top_logprobs: top }] };
}

/** Checks a parsed script file; a sentence saying what is wrong, or undefined. */
export function scriptProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'a SpecReason script is a JSON object';
  const s = value as Record<string, unknown>;
  if (s.handWritten !== true) return 'a SpecReason script must say "handWritten": true: it is a demonstration, not a model\'s output';
  const models = s.models as Record<string, unknown> | undefined;
  if (typeof models?.draft !== 'string' || typeof models.base !== 'string') return '"models" needs "draft" and "base" model names';
  if (models.draft === models.base) return 'the draft and base models need different names, so one endpoint can serve both';
  if (!Array.isArray(s.messages) || s.messages.length === 0) return '"messages" needs the conversation';
  if (!Array.isArray(s.steps) || s.steps.length === 0) return '"steps" needs at least one step';
  for (const [i, step] of (s.steps as unknown[]).entries()) {
    const st = step as Record<string, unknown> | null;
    const ok = st !== null && typeof st === 'object' && ((st.by === 'base' && typeof st.text === 'string') || (typeof st.draft === 'string' && typeof (st.judge as { token?: unknown } | undefined)?.token === 'string'));
    if (!ok) return `steps[${i}] is either { "by": "base", "text" } or { "draft", "judge": { "token", "top" }, "base"? }`;
  }
  if (typeof s.answer !== 'object' || s.answer === null) return '"answer" needs the base model\'s answer';
  if (s.baseOnly !== undefined && (typeof s.baseOnly !== 'object' || s.baseOnly === null)) return '"baseOnly", when given, is the base model\'s answer alone: { "reasoning", "content"?, "toolCalls"? }';
  return undefined;
}

/** Reads and checks a script file; rejects with a sentence naming the file and what is wrong. */
export async function readSpecReasonScript(file: string): Promise<SpecReasonScript> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: not a readable JSON file (${err instanceof Error ? err.message : String(err)})`);
  }
  const problem = scriptProblem(value);
  if (problem) throw new Error(`${file}: ${problem}`);
  return value as SpecReasonScript;
}
