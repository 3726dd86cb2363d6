import type { ToolSpec } from '../chat/types.js';
import type { FencedBlock } from './fenced-block.js';
import { readKeywordRuns } from './keyword-run.js';
import { bindArgumentKeys } from './parameter-alias.js';
import type { SchemaPlan, ToolInfo } from './schema-plan.js';
import type { SentenceFacts, WrittenObject } from './sentence-reading.js';
import { toolForRole } from './tool-roles.js';

/** Prior of a call whose tool the sentence does not name, only implies by what it states. */
export const SCHEMA_IMPLIED_CONFIDENCE = 0.5;
/**
 * Prior of a call stated only by values declared for their labels, no tool named ("the answer
 * is X"): often a conclusion the reasoning keeps revising (about 2 in 7 such calls were made as
 * stated on recorded sessions), so by itself it is reported but seldom worth running early.
 */
export const SCHEMA_DECLARED_CONFIDENCE = 0.3;

/** A value declared for its label: "the answer is X", "the command would be `X`". */
const DECLARED = /\bthe\s+[\w\s-]{1,40}?\s+(?:is|should be|would be|will be|must be)\s+["'`\u201c]?$/i;
/** Words that make a sentence say what to do next, not what was seen. */
const FORWARD = /\b(?:I'll|I will|let me|let's|let us|we'll|we will|I should|we should|I need to|we need to|I'm going to|going to|try|trying|run|running|execute|call|calling|use|using|next|now|then|start|(?:parameters|arguments|args|params|input)\s+(?:would|will|should)\s+be)\b/i;

/** The tool that runs what it is given (a shell, a game's command line) and the one string parameter that takes it. */
export interface CommandTool {
  tool: string;
  param: string;
}

/**
 * The offered tool that plays the code runner (see `toolForRole`) with exactly one string
 * parameter to take the command or code: its one required string parameter, or, when it
 * declares none required, its one string parameter. Undefined when there is no such tool.
 */
export function commandToolOf(specs: readonly ToolSpec[]): CommandTool | undefined {
  const spec = toolForRole(specs, 'code-runner');
  if (!spec) return undefined;
  const schema = spec.function.parameters as { properties?: Record<string, { type?: unknown }>; required?: unknown } | undefined;
  const props = schema?.properties ?? {};
  const isString = (p: string) => props[p]?.type === 'string' || (Array.isArray(props[p]?.type) && (props[p]!.type as unknown[]).includes('string'));
  const required = Array.isArray(schema?.required) ? (schema.required as string[]).filter((r) => r in props) : [];
  const candidates = (required.length > 0 ? required : Object.keys(props)).filter(isString);
  return candidates.length === 1 ? { tool: spec.function.name, param: candidates[0]! } : undefined;
}

/**
 * The tools a sentence that names no tool still states a whole call of, each to be read as if
 * it had been named just before (the caller binds the values and frames the call as usual):
 * - an argument object or `key=value` list whose keys (abbreviations included, see
 *   `bindArgumentKeys`) fit exactly one tool and cover its essential parameters;
 * - values labelled with the full names of parameters only one tool has, covering its
 *   essential parameters ("the destination is Lisbon" for the one tool with a destination);
 * - the command tool (see `commandToolOf`), for a quoted value or one labelled with its
 *   parameter, unless a tool named just before takes them (`toolJustNamed`): a reasoning
 *   that drives a shell or a game says "run `ls`", not the tool's name.
 */
export function impliedTools(plan: SchemaPlan, facts: SentenceFacts, text: string, toolJustNamed: boolean): string[] {
  const out = new Set<string>();
  for (const o of facts.objects) {
    const fitting = [...plan.tools.values()].filter((info) => impliedObjectFits(info, o, text));
    if (fitting.length === 1) out.add(fitting[0]!.name);
  }
  // Values declared for their labels ("the city is Zürich"), and, in a sentence that says what
  // to do, the values of every required parameter of a tool with several, each by its full
  // name ("I'll find the user: first name Mei, last name Kovacs, zip 28236").
  const declared = new Map<string, Set<string>>();
  const named = new Map<string, Set<string>>();
  const add = (to: Map<string, Set<string>>, tool: string, param: string) => {
    let params = to.get(tool);
    if (!params) to.set(tool, (params = new Set()));
    params.add(param);
  };
  for (const v of facts.values) {
    if (v.how !== 'labelled' || v.targets.length !== 1 || !v.targets[0]!.full) continue;
    const t = v.targets[0]!;
    // `mass1=10, distance=1` is a keyword list, read as one by `readKeywordRuns` (with its own checks); here only labels in prose count.
    if (!/=\s*["'`]?$/.test(text.slice(Math.max(0, v.start - 4), v.start))) add(named, t.tool, t.param);
    if (DECLARED.test(text.slice(Math.max(0, v.start - 60), v.start))) add(declared, t.tool, t.param);
  }
  for (const [tool, params] of declared) {
    const info = plan.tools.get(tool);
    if (info && info.required.length > 0 && info.required.every((p) => params.has(p))) out.add(tool);
  }
  if (named.size > 0 && FORWARD.test(text)) {
    for (const [tool, params] of named) {
      const info = plan.tools.get(tool);
      if (info && info.required.length >= 2 && info.required.every((p) => params.has(p))) out.add(tool);
    }
  }
  const command = plan.commandTool;
  if (command && !toolJustNamed && facts.values.some((v) => v.how === 'quoted' || v.targets.some((t) => t.tool === command.tool && t.param === command.param))) out.add(command.tool);
  return [...out];
}

/**
 * Whether the words after a list name another parameter of the tool ("…, duration maybe 0.01"):
 * the list goes on with values not written as pairs, so what was read is not the whole call.
 */
function listGoesOn(info: ToolInfo, args: Record<string, unknown>, after: string): boolean {
  const next = /^\s*(?:[,;]\s*|\s)(?:and\s+)?([A-Za-z_]\w*)/.exec(after);
  if (!next) return false;
  const bound = bindArgumentKeys({ ...args, [next[1]!]: null }, [...info.props.keys()], new Set(info.required));
  return bound !== undefined;
}

/**
 * Whether an argument object written in a sentence that names no tool is a whole call of this
 * one: written as code (not a call of another tool), in a sentence that says to do something
 * (argument lists also recount results: "for m1=2, d=1 the force is 4"), its keys bound by
 * abbreviation if need be, covering the essential parameters, and not followed by another
 * parameter of the tool written otherwise ("…, duration maybe 0.01").
 */
export function impliedObjectFits(info: ToolInfo, o: WrittenObject, text: string): boolean {
  if (o.tool !== undefined || o.positional !== undefined || !FORWARD.test(text)) return false;
  return objectFits(info, o.args) && !listGoesOn(info, o.args, text.slice(o.end, o.end + 60));
}

/** Right before a quoted command: a verb that runs it ("run `ls`", "let's try "go north"", "execute the command 'make'"). */
const RUN_LEAD_IN = /\b(?:run|running|execute|executing|try|trying|type|typing|enter|entering|issue|issuing|send|sending|use|using|invoke|invoking)\s+(?:(?:the|a|this|that|another)\s+)?(?:(?:shell|bash|terminal|text|game)\s+)?(?:(?:command|cmd|code|script|line)\s+)?(?:with\s+)?[:\s]*$/i;
/** "…with `X`", only in a sentence that says what to do next. */
const WITH_LEAD_IN = /\b(?:with|using)\s+(?:the\s+)?(?:(?:command|cmd|code|script)\s+)?$/i;

/**
 * Whether the quoted value starting at `start` (its opening quote) is written as a command to
 * run: right after a verb that runs it, or after "with" in a sentence that says what to do
 * next. A quoted word elsewhere ("the sheet is named 'Sheet1'") is not a command.
 */
export function isCommandLeadIn(text: string, start: number): boolean {
  const before = text.slice(Math.max(0, start - 60), start);
  return RUN_LEAD_IN.test(before) || (WITH_LEAD_IN.test(before) && FORWARD.test(text));
}

/** `key=` then a literal: the start of a keyword argument. */
const ASSIGNMENT = /\w\s*=\s*[-\d"'`[{tfTFnN]/;
/** A verb that runs something, then a quote within a few words. */
const COMMAND_QUOTE = /\b(?:run|running|execute|executing|try|trying|type|typing|enter|entering|issue|issuing|send|sending|use|using|invoke|invoking|with)\b[^"'`\u201c\n]{0,40}["'`\u201c]/gi;
const ANY_QUOTE = /["'`\u201c]/;
/** Longest stretch a COMMAND_QUOTE match spans before its quote: the longest verb, its boundary, 40 characters. */
const COMMAND_REACH = 'executing'.length + 1 + 40;

/**
 * Whether COMMAND_QUOTE matches: a match ends at a quote, so the search starts just before the
 * first one and a sentence with no quote (most) costs one scan for a quote character.
 */
function commandQuoted(text: string): boolean {
  const q = text.search(ANY_QUOTE);
  if (q < 0) return false;
  COMMAND_QUOTE.lastIndex = Math.max(0, q - COMMAND_REACH);
  return COMMAND_QUOTE.test(text);
}

/**
 * A cheap test of whether a sentence with no tool name or label in it may still imply a call
 * (see `impliedTools`): it has a `key=value` list that is a whole call of some tool, or, with a command tool offered, a quote after a
 * verb that runs it. A sentence failing it need not be read at all.
 */
export function mayImply(plan: SchemaPlan, text: string): boolean {
  if (plan.commandTool !== undefined && commandQuoted(text)) return true;
  // Formulas and results are full of `=`: only a list whose keys are some tool's call is worth reading.
  if (text.indexOf('=') < 0 || !ASSIGNMENT.test(text)) return false;
  return readKeywordRuns(text).some((r) => someToolFits(plan, r.args));
}

/** Whether the keys fit some offered tool's call (see `objectFits`), remembered per tool list: the same few lists recur. */
function someToolFits(plan: SchemaPlan, args: Record<string, unknown>): boolean {
  const keys = Object.keys(args);
  if (keys.length === 0) return false;
  let known = ANY_FITS.get(plan);
  if (!known) ANY_FITS.set(plan, (known = new Map()));
  const memo = keys.join('\u0000');
  let fits = known.get(memo);
  if (fits === undefined) {
    fits = false;
    for (const info of plan.tools.values()) if ((fits = objectFits(info, args))) break;
    if (known.size >= 256) known.clear();
    known.set(memo, fits);
  }
  return fits;
}

const ANY_FITS = new WeakMap<SchemaPlan, Map<string, boolean>>();

/** Whether an argument object, its keys bound by abbreviation if need be, is a whole call of the tool. */
export function objectFits(info: ToolInfo, args: Record<string, unknown>): boolean {
  const keys = Object.keys(args);
  if (keys.length === 0) return false;
  // Whether keys fit depends on the keys alone: the same few lists recur sentence after sentence.
  let known = FITS.get(info);
  if (!known) FITS.set(info, (known = new Map()));
  const memo = keys.join('\u0000');
  let fits = known.get(memo);
  if (fits === undefined) {
    const bound = bindArgumentKeys(args, [...info.props.keys()], new Set(info.required));
    fits = bound !== undefined && info.required.every((p) => p in bound.args);
    if (known.size >= 256) known.clear();
    known.set(memo, fits);
  }
  return fits;
}

const FITS = new WeakMap<ToolInfo, Map<string, boolean>>();

/** On the line before a fenced block: a verb that runs what follows ("Let me run:", "I'll execute this"). */
const FENCE_LEAD_IN = /\b(?:run|running|execute|executing|try|trying|type|enter|issue|use|using)\b/i;

/**
 * The command tool's call a fenced code block states, when the line before it says to run it
 * ("Let me run:" then ```bash … ```): the block's text, without its last line break, as the
 * command parameter, and where that statement starts. Undefined without a command tool, for
 * an empty block, or without such a statement.
 */
export function fencedCommand(plan: SchemaPlan, block: FencedBlock): { tool: string; args: Record<string, unknown>; start: number } | undefined {
  const command = plan.commandTool;
  if (!command || block.code.trim().length === 0) return undefined;
  const lead = block.lead.trimEnd();
  // The statement that introduces the block: its line's last sentence.
  const lineStart = lead.lastIndexOf('\n') + 1;
  const stop = /^.*[.!?]\s+/s.exec(lead.slice(lineStart));
  const from = lineStart + (stop ? stop[0].length : 0);
  if (!FENCE_LEAD_IN.test(lead.slice(from))) return undefined;
  // The call's evidence starts at that statement, so its framing ("I must not run:") is read.
  return { tool: command.tool, args: { [command.param]: block.code }, start: block.start - (block.lead.length - from) };
}
