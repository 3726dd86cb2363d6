/**
 * Foresight as a library, for an agent written in TypeScript or JavaScript: give it your
 * `openai` client and your own tool functions, and each run streams the model, reads the
 * reasoning as it arrives, runs the calls it predicts early when the tool says it is
 * read-only, and serves the formal call from that early run when it matches exactly. It is the
 * engine the Foresight chat runs (`runAgent` over `TurnEngine`), in your process.
 *
 * ```ts
 * import OpenAI from 'openai';
 * import { createForesightAgent } from 'foresight';
 *
 * const agent = createForesightAgent({ client: new OpenAI(), model: 'my-reasoner', tools: [getWeather] });
 * const run = agent.run([{ role: 'user', content: 'Weather in Porto?' }]);
 * for await (const event of run) if (event.type === 'toolEnd') console.log(event.call.name, event.speculative);
 * const { messages, served, metrics } = await run.result;
 * ```
 *
 * Only tools marked `readOnly: true` ever run before the model calls them; mark only tools
 * that change nothing. Tools that reach outside this machine (`openWorld`) run early only when
 * named in `allowOpenWorld`.
 */
import type OpenAI from 'openai';
import { readFileSync } from 'node:fs';
import { runAgent } from '../core/agent/agent-loop.js';
import type { AgentEvent, AgentStopReason } from '../core/agent/agent-events.js';
import type { Tool } from '../core/chat/tool.js';
import type { ChatMessage, JsonSchema, ToolCall } from '../core/chat/types.js';
import type { SpeculationSetup, SpeculativeServe } from '../core/engine/turn-engine.js';
import { usableRules, type Rule } from '../core/rules/rule-ast.js';
import { parseRules } from '../core/rules/rule-parser.js';
import { ArgumentNormalizer } from '../core/schema/argument-normalizer.js';
import { LatencyStats } from '../core/speculation/latency-stats.js';
import { emptyMetrics, type TurnSpeculationMetrics } from '../core/speculation/speculation-events.js';
import { DEFAULT_POLICY, type SpeculationPolicy } from '../core/speculation/speculation-policy.js';
import type { StreamError } from '../core/stream/events.js';
import { AsyncQueue } from '../core/util/async-queue.js';
import { defaultRulesPath } from '../cli/default-rules.js';

export type { AgentEvent, AgentStopReason, ChatMessage, JsonSchema, SpeculationPolicy, SpeculativeServe, StreamError, ToolCall, TurnSpeculationMetrics };

/** One of the agent's own tools. */
export interface AgentTool {
  name: string;
  description: string;
  /** JSON Schema of the arguments (an object schema). */
  parameters: JsonSchema;
  /** True only if running it changes nothing: then it may run before the model calls it. */
  readOnly: boolean;
  /** It reaches outside this machine (the web, others' systems); runs early only if allowed. */
  openWorld?: boolean;
  /** Runs the tool; honour `signal` (a speculative run may be cancelled). A thrown error becomes an error result. */
  run(args: Record<string, unknown>, signal: AbortSignal): Promise<string | { output: string; isError?: boolean }>;
}

export interface ForesightAgentOptions {
  client: OpenAI;
  model: string;
  tools: AgentTool[];
  /** Speculate (the default) or only run the agent loop. */
  speculation?: boolean;
  /** `.sniff` rule texts used besides (or, with `defaultRules: false`, instead of) the shipped ones. */
  rules?: string[];
  /** Use the shipped default rules; true by default. */
  defaultRules?: boolean;
  /** Recognise calls from the tools' names and parameters with no rule; true by default. */
  schemaSniffing?: boolean;
  /** Changes to the thresholds that decide whether a predicted call runs early. */
  policy?: Partial<SpeculationPolicy>;
  /** Open-world tools (globs) allowed to run early. */
  allowOpenWorld?: string[];
  /** Most model calls in one run (each tool round is one); 12 by default. */
  maxSteps?: number;
  temperature?: number;
  /** Passed into every request body unchanged (e.g. `chat_template_kwargs`). */
  extraBody?: Record<string, unknown>;
}

/** A tool result the run gave back to the model. */
export interface ServedResult {
  turn: number;
  call: ToolCall;
  output: string;
  isError: boolean;
  /** From the call's seal to its result, ms. */
  durationMs: number;
  /** Set when the result came from an early run: hit (finished before the call) or partial. */
  speculative?: SpeculativeServe;
}

/** What a run ended with. */
export interface ForesightResult {
  stopReason: AgentStopReason;
  /** The conversation with everything the run added. */
  messages: ChatMessage[];
  served: ServedResult[];
  /** Speculation figures summed over the run's turns. */
  metrics: TurnSpeculationMetrics;
  perTurn: TurnSpeculationMetrics[];
  error?: StreamError;
}

/** A run: iterate it for every event as it happens (they are buffered if you do not); `result` resolves when it ends. */
export interface ForesightRun extends AsyncIterable<AgentEvent> {
  result: Promise<ForesightResult>;
}

export interface ForesightAgent {
  /** Runs the agent on `messages` until an answer, the step limit, an error or `signal`. */
  run(messages: ChatMessage[], options?: { signal?: AbortSignal }): ForesightRun;
  /** Rule-file problems (rules with errors are left out); empty when all parsed. */
  readonly ruleProblems: string[];
}

/** Builds an agent over your client and tools; latencies are learnt across its runs. */
export function createForesightAgent(options: ForesightAgentOptions): ForesightAgent {
  const tools = options.tools.map(toTool);
  const { rules, problems } = loadRules(options);
  const setup: SpeculationSetup | undefined =
    options.speculation === false
      ? undefined
      : {
          rules,
          normalizer: new ArgumentNormalizer(),
          policy: { ...DEFAULT_POLICY, ...(options.policy ?? {}) },
          latency: new LatencyStats(),
          schemaSniffing: options.schemaSniffing ?? true,
          openWorldTools: options.allowOpenWorld ?? [],
        };
  return {
    ruleProblems: problems,
    run(messages, runOptions = {}) {
      const queue = new AsyncQueue<AgentEvent>();
      const events = runAgent({
        client: options.client,
        model: options.model,
        messages,
        tools,
        ...(options.maxSteps !== undefined ? { maxSteps: options.maxSteps } : {}),
        ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
        ...(options.extraBody ? { extraBody: options.extraBody } : {}),
        ...(runOptions.signal ? { signal: runOptions.signal } : {}),
        ...(setup ? { speculation: setup } : {}),
      });
      const result = (async (): Promise<ForesightResult> => {
        const served: ServedResult[] = [];
        const perTurn: TurnSpeculationMetrics[] = [];
        try {
          for await (const event of events) {
            queue.push(event);
            if (event.type === 'toolEnd') {
              served.push({ turn: event.turn, call: event.call, output: event.output, isError: event.isError, durationMs: event.durationMs, ...(event.speculative ? { speculative: event.speculative } : {}) });
            } else if (event.type === 'turnMetrics') {
              perTurn.push(event.metrics);
            } else if (event.type === 'done') {
              return { stopReason: event.reason, messages: event.messages, served, metrics: sum(perTurn), perTurn, ...(event.error ? { error: event.error } : {}) };
            }
          }
          // runAgent always ends with `done`; this is only reached if that promise is broken.
          return { stopReason: 'error', messages, served, metrics: sum(perTurn), perTurn, error: { kind: 'protocol', message: 'The run ended without a result.' } };
        } finally {
          queue.end();
        }
      })();
      return { [Symbol.asyncIterator]: () => queue[Symbol.asyncIterator](), result };
    },
  };
}

function toTool(t: AgentTool): Tool {
  return {
    name: t.name,
    description: t.description,
    parameters: t.parameters,
    readOnly: t.readOnly,
    ...(t.openWorld !== undefined ? { openWorld: t.openWorld } : {}),
    async run(args, signal) {
      const out = await t.run(args, signal);
      return typeof out === 'string' ? { output: out, isError: false } : { output: out.output, isError: out.isError ?? false };
    },
  };
}

function loadRules(options: ForesightAgentOptions): { rules: Rule[]; problems: string[] } {
  const texts: { name: string; text: string }[] = [];
  if (options.defaultRules !== false) {
    const path = defaultRulesPath();
    if (path) texts.push({ name: 'default.sniff', text: readFileSync(path, 'utf8') });
  }
  (options.rules ?? []).forEach((text, i) => texts.push({ name: `rules[${i}]`, text }));
  const rules: Rule[] = [];
  const problems: string[] = [];
  for (const { name, text } of texts) {
    const file = parseRules(text);
    rules.push(...usableRules(file.rules));
    for (const p of file.problems) if (p.severity === 'error') problems.push(`${name}:${p.range.start.line + 1}: ${p.message}`);
  }
  return { rules, problems };
}

function sum(list: readonly TurnSpeculationMetrics[]): TurnSpeculationMetrics {
  const total = emptyMetrics();
  for (const m of list) for (const key of Object.keys(total) as (keyof TurnSpeculationMetrics)[]) total[key] += m[key] ?? 0;
  return total;
}
