import type { ToolSpec } from '../chat/types.js';
import type { ToolRole } from '../rules/rule-ast.js';
import { splitName } from './value-patterns.js';

interface RoleSignals {
  name: RegExp;
  description: RegExp;
  params: RegExp;
}

const SIGNALS: Record<ToolRole, RoleSignals> = {
  'code-runner': {
    name: /\b(?:exec|run|python|code|shell|bash|terminal|command|sandbox|jupyter|notebook|repl|interpreter|cmd)/i,
    description: /\b(?:execut\w*|run\w*)\b.*\b(?:code|commands?|shell|python|scripts?|programs?)\b|\b(?:shell|bash|terminal|sandbox|interpreter)\b/i,
    params: /^(?:code|cmd|command|commands|script|source|program|python|shell)$/i,
  },
  'file-reader': {
    name: /\b(?:read|open|cat|view|file|load)/i,
    description: /\b(?:read|open|view|contents?)\b.*\bfiles?\b/i,
    params: /^(?:path|file|file_?path|file_?name|filename|uri)$/i,
  },
  searcher: {
    name: /\b(?:search|find|query|lookup|look up|grep|retriev)/i,
    description: /\b(?:search|find|look up|query|retriev\w*)\b/i,
    params: /^(?:q|query|search|search_?query|term|keywords?|pattern)$/i,
  },
  fetcher: {
    name: /\b(?:fetch|http|url|browse|web|download|get page)/i,
    description: /\b(?:fetch|download|http|web ?page|url)\b/i,
    params: /^(?:url|uri|link|href|address)$/i,
  },
};

/**
 * How strongly a tool looks like it plays a role, from its name, description and parameter
 * names (0 = not at all). Users bring their own tools, so this reads the declaration, never a
 * list of known tool names.
 */
export function roleScore(tool: ToolSpec, role: ToolRole): number {
  const s = SIGNALS[role];
  const fn = tool.function;
  let score = 0;
  // Whole words of the name, so "authenticate" is not a file reader for holding "cat".
  if (s.name.test(splitName(fn.name).join(' '))) score += 2;
  if (fn.description && s.description.test(fn.description)) score += 2;
  const props = (fn.parameters as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
  if (Object.keys(props).some((p) => s.params.test(p))) score += 2;
  return score;
}

/**
 * Two of the three signals (name, description, parameters): a name alone ("send_verification_code",
 * "run_experiment") says too little about what a tool does.
 */
export const ROLE_MIN_SCORE = 4;

/** The offered tool that best plays `role`, if any scores at least ROLE_MIN_SCORE. */
export function toolForRole(tools: readonly ToolSpec[], role: ToolRole): ToolSpec | undefined {
  let best: ToolSpec | undefined;
  let bestScore = 0;
  for (const t of tools) {
    const score = roleScore(t, role);
    if (score > bestScore) {
      best = t;
      bestScore = score;
    }
  }
  return bestScore >= ROLE_MIN_SCORE ? best : undefined;
}

/**
 * Every offered tool that plays `role` about as well as the best one (two search-like tools,
 * say), best first; empty when none does. A rule for the role must then tell them apart by
 * the name the reasoning uses.
 */
export function toolsForRole(tools: readonly ToolSpec[], role: ToolRole): ToolSpec[] {
  const scored = tools.map((t) => ({ t, score: roleScore(t, role) })).filter((x) => x.score >= ROLE_MIN_SCORE);
  const best = Math.max(0, ...scored.map((x) => x.score));
  if (best < ROLE_MIN_SCORE) return [];
  const threshold = Math.max(ROLE_MIN_SCORE, best - 2);
  return scored.filter((x) => x.score >= threshold).sort((a, b) => b.score - a.score).map((x) => x.t);
}

/**
 * The one candidate the text names (its name as written or in words, whole words, the last
 * named winning); else the one whose own words it uses: a word of a candidate's name or
 * description that no other candidate's has ("the web" for web_search beside kb_search, "the
 * knowledge base" for the one whose description says so), the last used winning. Undefined
 * when it names none and uses no such word.
 */
export function namedTool(candidates: readonly ToolSpec[], text: string): ToolSpec | undefined {
  return namedByName(candidates, text) ?? namedByOwnWords(candidates, text);
}

/** The candidate the text names by its name, as written or in words (see `namedTool`). */
export function namedByName(candidates: readonly ToolSpec[], text: string): ToolSpec | undefined {
  let best: ToolSpec | undefined;
  let at = -1;
  const lower = text.toLowerCase();
  for (const t of candidates) {
    const words = t.function.name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[\s_.-]+/).filter(Boolean);
    for (const spelling of new Set([t.function.name.toLowerCase(), words.join(' '), words.join('_'), words.join('')])) {
      const re = new RegExp(`(?<![\\w])${spelling.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w])`, 'g');
      for (let m = re.exec(lower); m !== null; m = re.exec(lower)) {
        if (m.index > at) {
          at = m.index;
          best = t;
        }
      }
    }
  }
  return best;
}

/** Words too common to tell tools apart, whatever the tools. */
const COMMON_WORDS = new Set(
  'the a an and or of for to in on at by with from into about as is are be this that these those it its any all some each given tool function api use used using call returns return get gets set list find search query look lookup run read data information info result results item items value values name names new'.split(' ').concat(
    // Words that order or qualify the reasoning's steps ("First I'll …"), never a tool's own.
    'first second last next then now also again before after only more most just here there when which what how will would should can could may might must need'.split(' '),
  ),
);

/** Per candidate list: each candidate's words (of its name and description) that no other candidate has. */
const OWN_WORDS = new WeakMap<readonly ToolSpec[], Map<string, ToolSpec>>();

function ownWords(candidates: readonly ToolSpec[]): Map<string, ToolSpec> {
  let own = OWN_WORDS.get(candidates);
  if (own) return own;
  const words = candidates.map((t) => {
    const fn = t.function;
    const all = [...splitName(fn.name), ...(fn.description ?? '').toLowerCase().split(/[^\p{L}\p{N}]+/u)];
    return new Set(all.filter((w) => w.length >= 2 && !COMMON_WORDS.has(w) && !/^\d+$/.test(w)));
  });
  own = new Map();
  const counts = new Map<string, number>();
  for (const set of words) for (const w of set) counts.set(w, (counts.get(w) ?? 0) + 1);
  words.forEach((set, k) => {
    for (const w of set) if (counts.get(w) === 1) own!.set(w, candidates[k]!);
  });
  OWN_WORDS.set(candidates, own);
  return own;
}

/** The candidate whose own words the text uses last (see `namedTool`). */
export function namedByOwnWords(candidates: readonly ToolSpec[], text: string): ToolSpec | undefined {
  const own = ownWords(candidates);
  if (own.size === 0) return undefined;
  let best: ToolSpec | undefined;
  for (const w of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    const t = own.get(w) ?? (w.endsWith('s') ? own.get(w.slice(0, -1)) : undefined);
    if (t) best = t;
  }
  return best;
}

/** Capture-group names a role rule may use, and the parameter names each stands for. */
const ARGUMENT_ALIASES: Record<string, RegExp> = {
  path: /^(?:path|file|file_?path|file_?name|filename|uri)$/i,
  query: /^(?:q|query|search|search_?query|term|keywords?|pattern)$/i,
  url: /^(?:url|uri|link|href|address)$/i,
  code: /^(?:code|cmd|command|commands|script|source|program)$/i,
};

/**
 * The parameter of `tool` a capture group stands for: the same name, else (for the generic
 * names path, query, url, code) the parameter matching that alias. Undefined when none does.
 */
export function parameterFor(tool: ToolSpec, group: string): string | undefined {
  const props = Object.keys((tool.function.parameters as { properties?: Record<string, unknown> } | undefined)?.properties ?? {});
  if (props.includes(group)) return group;
  const alias = ARGUMENT_ALIASES[group];
  const found = alias ? props.find((p) => alias.test(p)) : undefined;
  if (found !== undefined || !alias) return found;
  // A generic capture for a tool with one required string parameter ("entity", "keyword") is that parameter.
  const schema = tool.function.parameters as { properties?: Record<string, { type?: unknown }>; required?: unknown } | undefined;
  const required = Array.isArray(schema?.required) ? (schema.required as string[]) : [];
  const only = required.length === 1 ? required[0]! : undefined;
  const type = only !== undefined ? schema?.properties?.[only]?.type : undefined;
  return only !== undefined && (type === 'string' || type === undefined) ? only : undefined;
}
