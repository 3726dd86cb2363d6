import type { JsonSchema, ToolSpec } from '../chat/types.js';
import { LiteralAutomaton } from './aho-corasick.js';
import { essentialRequired } from './essential-parameters.js';
import { commandToolOf, type CommandTool } from './implied-call.js';
import { SENTENCE_MARKS } from './sentence-splitter.js';
import { PlanCache } from './plan-cache.js';
import { splitName } from './value-patterns.js';

/** What the sniffer needs to know of one parameter. */
export interface ParamInfo {
  type: string | undefined;
  enum: unknown[] | undefined;
  format: string | undefined;
  /**
   * The schema writes its values with a leading number sign ("such as '#W0000000'", a pattern
   * `^#…`, an example "#A1"): a value read after "#" in prose is passed with it.
   */
  hashed: boolean;
}

/** One offered tool, as the schema sniffer reads it. */
export interface ToolInfo {
  name: string;
  schema: JsonSchema | undefined;
  props: Map<string, ParamInfo>;
  /** The required parameters a call must state: nullable ones are left out (see `essentialRequired`). */
  required: string[];
  /** The name is one action word ("search"), so the bare word in prose may be only a verb. */
  verbName: boolean;
}

/** How a literal names a tool: its name as written, a verb form of a one-word name, or its distinctive noun. */
export type MentionStyle = 'name' | 'verb' | 'noun';

export interface LabelTarget {
  tool: string;
  param: string;
  /** The parameter's whole name, not only its last word. */
  full: boolean;
}

/** What one literal of the automaton stands for: mentions of tools, labels of parameters, or both. */
export interface LiteralMeaning {
  mentions: { tool: string; style: MentionStyle }[];
  targets: LabelTarget[];
}

/** What a tool list compiles to; shared by every turn offering the same tools. */
export interface SchemaPlan {
  tools: Map<string, ToolInfo>;
  automaton: LiteralAutomaton;
  literals: string[];
  meanings: LiteralMeaning[];
  /** The tool that takes commands or code, which reasoning seldom names (see `commandToolOf`). */
  commandTool: CommandTool | undefined;
}

/** Last words too vague to label a value on their own. */
const VAGUE_WORDS = new Set(['type', 'name', 'value', 'data', 'info', 'details', 'method', 'id', 'ids', 'status', 'mode', 'text', 'list', 'options', 'kind', 'format']);
/** Words of a tool name that say what it does, not what it is about: the rest is its noun. */
const ACTION_WORDS = new Set([
  'get', 'fetch', 'list', 'check', 'search', 'find', 'lookup', 'look', 'up', 'run', 'execute', 'exec', 'call', 'do', 'make', 'create', 'read', 'query',
  'retrieve', 'show', 'load', 'set', 'update', 'delete', 'remove', 'add', 'send', 'submit', 'open', 'view', 'request', 'compute', 'calculate', 'tool',
  'by', 'for', 'of', 'the', 'a', 'an', 'to', 'from', 'and', 'with', 'all', 'info', 'details', 'data',
]);
/** Action words that are verbs, which a name may start with ("cancel_order"). */
const VERBS = new Set(['get', 'fetch', 'list', 'check', 'search', 'find', 'lookup', 'look', 'run', 'execute', 'call', 'make', 'create', 'read', 'query', 'retrieve', 'show', 'load', 'set', 'update', 'delete', 'remove', 'add', 'send', 'submit', 'open', 'view', 'request', 'compute', 'calculate', 'cancel', 'book', 'reserve', 'write', 'modify', 'place', 'return', 'transfer', 'schedule', 'track', 'translate', 'convert', 'validate', 'verify']);
/** Words that join the parts of a longer name ("find_user_by_zip"): such a name is not written as verb, article, object. */
const LINK_WORDS = new Set(['by', 'for', 'of', 'the', 'a', 'an', 'to', 'from', 'and', 'with', 'in', 'on', 'or']);
/** Nouns too common in prose to name a tool on their own. */
const VAGUE_NOUNS = new Set(['result', 'results', 'answer', 'file', 'files', 'item', 'items', 'user', 'info', 'data', 'value', 'text', 'task', 'thing', 'step', 'it']);
/** A one-word verb name read in its common spellings: "lookup" is also "look up". */
const SPLIT_VERBS: Record<string, string> = { lookup: 'look up', checkout: 'check out', signup: 'sign up', login: 'log in' };

const PLANS = new PlanCache<SchemaPlan>();

/** The compiled plan for a tool list, built once per list. */
export function schemaPlanFor(tools: readonly ToolSpec[]): SchemaPlan {
  return PLANS.getFor(tools, () => JSON.stringify(tools), () => buildPlan(tools));
}

/** The spellings a name is written in: as is, and its words joined by space, hyphen, underscore or nothing. */
function spellings(name: string): string[] {
  const words = splitName(name);
  return [...new Set([name.toLowerCase(), ...[' ', '-', '_', ''].map((sep) => words.join(sep))])].filter((s) => s.length >= 2);
}

/** The -ing form of a verb: reading, getting, making. */
function ingForm(verb: string): string {
  if (/^[^aeiou]*[aeiou][bdgklmnprtz]$/.test(verb) && verb.length <= 4) return `${verb}${verb[verb.length - 1]}ing`;
  return verb.endsWith('e') && !verb.endsWith('ee') ? `${verb.slice(0, -1)}ing` : `${verb}ing`;
}

/** Verb forms of a one-word verb: search, searches, searching, searched. */
function verbForms(verb: string): string[] {
  const parts = (SPLIT_VERBS[verb] ?? verb).split(' ');
  const head = parts[0]!;
  const rest = parts.slice(1).join(' ');
  const stem = head.endsWith('e') ? head.slice(0, -1) : head;
  const heads = [head, `${head}s`, `${head}es`, `${stem}ing`, `${stem}ed`, `${head}ed`];
  return [...new Set(heads.map((h) => (rest ? `${h} ${rest}` : h)))];
}

function buildPlan(specs: readonly ToolSpec[]): SchemaPlan {
  const tools = new Map<string, ToolInfo>();
  const byLiteral = new Map<string, LiteralMeaning>();
  const meaning = (literal: string) => {
    let m = byLiteral.get(literal);
    if (!m) byLiteral.set(literal, (m = { mentions: [], targets: [] }));
    return m;
  };
  const nouns = new Map<string, string[]>();
  for (const spec of specs) {
    const name = spec.function.name;
    const schema = spec.function.parameters;
    const rawProps = ((schema as { properties?: Record<string, Record<string, unknown>> } | undefined)?.properties ?? {}) as Record<string, Record<string, unknown>>;
    const props = new Map<string, ParamInfo>();
    for (const [p, s] of Object.entries(rawProps)) props.set(p, paramInfo(s));
    const required = (schema as { required?: unknown } | undefined)?.required;
    const words = splitName(name);
    const verbName = words.length === 1 && ACTION_WORDS.has(words[0]!);
    tools.set(name, { name, schema, props, required: Array.isArray(required) ? essentialRequired(required as string[], rawProps) : [], verbName });
    for (const s of spellings(name)) meaning(s).mentions.push({ tool: name, style: 'name' });
    if (verbName) {
      for (const f of verbForms(words[0]!)) if (f !== words[0]) meaning(f).mentions.push({ tool: name, style: 'verb' });
      if (SPLIT_VERBS[words[0]!]) meaning(SPLIT_VERBS[words[0]!]!).mentions.push({ tool: name, style: 'verb' });
    }
    // "cancel the order", "search the flights" (cancel_order, search_flights), "search the web"
    // (web_search): the name's verb and object in the order prose puts them, an article between.
    const first = VERBS.has(words[0]!);
    const verb = first ? words[0]! : words[words.length - 1]!;
    const object = first ? words.slice(1) : words.slice(0, -1);
    if (words.length >= 2 && VERBS.has(verb) && object.length <= 2 && !object.some((w) => LINK_WORDS.has(w)) && !(object.length === 1 && VAGUE_NOUNS.has(object[0]!))) {
      // "the" only: each spelling is a literal every chunk is matched against.
      const articles = first ? ['the'] : ['the', ''];
      for (const head of [verb, ingForm(verb)]) for (const article of articles) meaning([head, article, object.join(' ')].filter(Boolean).join(' ')).mentions.push({ tool: name, style: 'verb' });
    }
    const noun = words.filter((w) => !ACTION_WORDS.has(w));
    if (noun.length > 0 && noun.length < words.length && !(noun.length === 1 && (VAGUE_NOUNS.has(noun[0]!) || noun[0]!.length < 4))) {
      const phrase = noun.join(' ');
      nouns.set(phrase, [...(nouns.get(phrase) ?? []), name]);
    }
    const partials = new Map<string, string[]>();
    for (const param of props.keys()) {
      for (const s of spellings(param)) meaning(s).targets.push({ tool: name, param, full: true });
      const pw = splitName(param);
      // "the user's ID" for user_id, "the customer's email" for customer_email.
      if (pw.length === 2) for (const apostrophe of ["'", '\u2019']) meaning(`${pw[0]}${apostrophe}s ${pw[1]}`).targets.push({ tool: name, param, full: true });
      const last = pw[pw.length - 1];
      if (pw.length > 1 && last !== undefined && last.length >= 4 && !VAGUE_WORDS.has(last)) partials.set(last, [...(partials.get(last) ?? []), param]);
    }
    for (const [word, params] of partials) {
      // A last word shared by two parameters of one tool ("new_time", "current_time") labels neither.
      if (params.length !== 1) continue;
      meaning(word).targets.push({ tool: name, param: params[0]!, full: false });
    }
  }
  // A noun names a tool only when no other tool has it ("weather" for get_weather, not "order" for two order tools).
  for (const [phrase, owners] of nouns) {
    if (owners.length !== 1) continue;
    const m = meaning(phrase);
    if (!m.mentions.some((x) => x.tool === owners[0])) m.mentions.push({ tool: owners[0]!, style: 'noun' });
  }
  const literals = [...byLiteral.keys()];
  return { tools, automaton: new LiteralAutomaton(literals, SENTENCE_MARKS), literals, meanings: literals.map((l) => byLiteral.get(l)!), commandTool: commandToolOf(specs) };
}

/** A value written with a number sign in a parameter's description: "such as '#W0000000'", "(e.g. #A12)". */
const HASHED_EXAMPLE = /(?:^|[\s'"`(\[,:])#[A-Za-z0-9][\w-]*/;

function paramInfo(s: Record<string, unknown>): ParamInfo {
  let type = s.type;
  if (Array.isArray(type)) type = type.find((t) => t !== 'null');
  if (type === undefined) {
    const alt = [s.anyOf, s.oneOf].find(Array.isArray) as Record<string, unknown>[] | undefined;
    type = alt?.map((a) => a?.type).find((t) => typeof t === 'string' && t !== 'null');
  }
  const examples = Array.isArray(s.examples) ? s.examples : [];
  return {
    type: typeof type === 'string' ? type : undefined,
    enum: Array.isArray(s.enum) ? s.enum : undefined,
    format: typeof s.format === 'string' ? s.format : undefined,
    hashed:
      (typeof s.description === 'string' && HASHED_EXAMPLE.test(s.description)) ||
      (typeof s.pattern === 'string' && /^\^?#/.test(s.pattern)) ||
      examples.some((e) => typeof e === 'string' && /^#[A-Za-z0-9]/.test(e)),
  };
}
