import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Tool } from '../chat/tool.js';
import type { SpecReasonSettings } from '../specreason/specreason-settings.js';
import { withSpecReason } from './backends.js';
import type { ChatBackend } from './chat-session.js';
import type { ChatMessage, ToolSpec } from '../chat/types.js';
import type { SpecReasonExchange } from '../specreason/spec-exchange.js';
import { exchangesOfScript, readSpecReasonScript, type SpecReasonScript } from '../specreason/demo-script.js';
import { canonicalArguments, textOfContent } from '../session/message-key.js';
import { canonicalJson } from '../util/canonical-json.js';

/** The hand-written SpecReason turns the embedded endpoint serves in SpecReason mode, and what the chat needs around them. */
export interface SpecReasonDemo {
  /** Every model call of every script, for both roles. */
  exchanges: SpecReasonExchange[];
  /** The draft and base model names of the scripts (the first script's); undefined without scripts. */
  models: { draft: string; base: string } | undefined;
  /** The opening prompt of each script that starts a conversation. */
  suggestions: string[];
  /** The tools the scripts' recorded calls were written for, as the models are to be told about them. */
  toolSpecs: ToolSpec[];
  /** Stand-ins answering the tool calls the scripts' conversations contain, with their results. */
  tools: Tool[];
  /** A sentence per script that could not be read. */
  problems: string[];
}

/** Reads every `*.json` script of `dir` in file-name order; a script that cannot be read is a problem, the others still load. */
export async function loadSpecReasonDemo(dir: string): Promise<SpecReasonDemo> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  const scripts: SpecReasonScript[] = [];
  const problems: string[] = [];
  for (const name of names) {
    try {
      scripts.push(await readSpecReasonScript(join(dir, name)));
    } catch (err) {
      problems.push(err instanceof Error ? err.message : String(err));
    }
  }
  const suggestions = scripts.flatMap((s) => {
    const only = s.messages.length === 1 && s.messages[0]?.role === 'user' ? textOfContent(s.messages[0].content).trim() : '';
    return only ? [only] : [];
  });
  return {
    exchanges: scripts.flatMap(exchangesOfScript),
    models: scripts[0]?.models,
    suggestions: [...new Set(suggestions)],
    toolSpecs: scriptToolSpecs(scripts),
    tools: scriptStandIns(scripts),
    problems,
  };
}

/**
 * Recorded stand-ins for the tools of the scripts: a call with the arguments of a call in a
 * script's conversation gets the tool message that followed it; any other call gets an error
 * saying so. They compute nothing and answer at once.
 */
export function scriptStandIns(scripts: readonly SpecReasonScript[]): Tool[] {
  const results = new Map<string, string>();
  for (const script of scripts) {
    for (const [key, output] of callResults(script.messages)) if (!results.has(key)) results.set(key, output);
  }
  return scriptToolSpecs(scripts).map((spec) => ({
    name: spec.function.name,
    description: `${spec.function.description ?? ''} (recorded stand-in: replays results from hand-written SpecReason turns)`.trim(),
    parameters: spec.function.parameters ?? { type: 'object' },
    readOnly: true,
    recorded: true,
    run(args) {
      const output = results.get(`${spec.function.name}\u0000${canonicalJson(args)}`);
      if (output === undefined) {
        return Promise.resolve({ output: `Error: no recorded result for ${spec.function.name} with arguments ${canonicalJson(args)}. This is a recorded stand-in; it can only answer the calls of its recordings.`, isError: true, recorded: true });
      }
      return Promise.resolve({ output, isError: false, recorded: true });
    },
  }));
}

/** The tools of the scripts, first mention first. */
function scriptToolSpecs(scripts: readonly SpecReasonScript[]): ToolSpec[] {
  const specs = new Map<string, ToolSpec>();
  for (const spec of scripts.flatMap((s) => s.tools ?? [])) if (!specs.has(spec.function.name)) specs.set(spec.function.name, spec);
  return [...specs.values()];
}

/** Each tool call of a conversation that a tool message answered, keyed by name and canonical arguments. */
function callResults(messages: readonly ChatMessage[]): [string, string][] {
  const out: [string, string][] = [];
  for (const [i, m] of messages.entries()) {
    if (m.role !== 'assistant' || !m.tool_calls) continue;
    for (const call of m.tool_calls) {
      const answer = messages.slice(i + 1).find((n) => n.role === 'tool' && n.tool_call_id === call.id);
      if (answer) out.push([`${call.function.name}\u0000${canonicalArguments(call.function.arguments)}`, textOfContent(answer.content)]);
    }
  }
  return out;
}

/** `primary` first; a tool of `fallback` with the same name answers what `primary` has no recording for. */
export function mergeStandIns(primary: readonly Tool[], fallback: readonly Tool[]): Tool[] {
  const others = new Map(fallback.map((t) => [t.name, t]));
  const merged = primary.map((tool): Tool => {
    const other = others.get(tool.name);
    if (!other) return tool;
    return {
      ...tool,
      async run(args, signal) {
        const result = await tool.run(args, signal);
        return result.isError ? other.run(args, signal) : result;
      },
    };
  });
  const names = new Set(primary.map((t) => t.name));
  return [...merged, ...fallback.filter((t) => !names.has(t.name))];
}

/**
 * The embedded demo's backend in SpecReason mode: `replay` (a backend of the endpoint serving
 * `demo.exchanges`) with the scripts' stand-ins first, drafting with the scripts' draft model
 * and judging with their base model, both on the same endpoint. Undefined when no script loaded.
 */
export function specReasonDemoBackend(replay: ChatBackend, demo: SpecReasonDemo, settings: SpecReasonSettings, now?: () => number): ChatBackend | undefined {
  if (!demo.models) return undefined;
  const tools = mergeStandIns(demo.tools, replay.tools);
  return withSpecReason(
    { ...replay, tools, endpoint: { ...replay.endpoint, tools: tools.map((t) => t.name) } },
    {
      draft: { client: replay.client, model: demo.models.draft, baseUrl: replay.endpoint.baseUrl },
      baseModel: demo.models.base,
      settings,
      shownTools: demo.toolSpecs,
      ...(now ? { now } : {}),
    },
  );
}
