import { splitName } from './value-patterns.js';

/** Ordinal words a parameter may carry where a written key carries a digit ("first_mass" ~ m1). */
const ORDINALS: Record<string, string> = { first: '1', second: '2', third: '3', fourth: '4', fifth: '5' };

interface ParamShape {
  name: string;
  /** The name without case or separators: "time_step" -> "timestep". */
  compact: string;
  /** Letter words, digits and ordinals taken out: "mass_1" -> ["mass"], "first_mass" -> ["mass"]. */
  words: string[];
  /** The number the name carries, if any: "mass1", "mass_1", "first_mass" -> "1". */
  digit: string | undefined;
}

/** Shapes by parameter name: tool lists are few and reused for every sentence. */
const SHAPES = new Map<string, ParamShape>();

function shapeOf(name: string): ParamShape {
  let shape = SHAPES.get(name);
  if (!shape) {
    if (SHAPES.size >= 4096) SHAPES.clear();
    SHAPES.set(name, (shape = computeShape(name)));
  }
  return shape;
}

function computeShape(name: string): ParamShape {
  const words: string[] = [];
  let digit: string | undefined;
  for (const w of splitName(name)) {
    const m = /^([a-z]*)(\d+)$/.exec(w);
    if (m) {
      if (m[1]) words.push(m[1]);
      digit = m[2];
    } else if (ORDINALS[w] !== undefined) digit = ORDINALS[w];
    else words.push(w);
  }
  return { name, compact: name.toLowerCase().replace(/[^a-z0-9]/g, ''), words, digit };
}

/** Whether `letters` shortens these words: a prefix of them run together, their initials, or (3+ letters) a prefix of one of them. */
function shortens(letters: string, words: readonly string[]): boolean {
  if (letters.length === 0 || words.length === 0) return false;
  const joined = words.join('');
  if (joined.startsWith(letters)) return true;
  if (words.length > 1 && words.map((w) => w[0]).join('') === letters) return true;
  return letters.length >= 3 && words.some((w) => w.startsWith(letters));
}

/**
 * The parameters a key written in the reasoning may stand for: the parameter of that very name
 * (any case or separators: `timeStep` ~ `time_step`) when there is one, else every parameter it
 * abbreviates: a prefix (`d` ~ `distance`, `temp` ~ `temperature`), the initials of its words
 * (`iv` ~ `initial_velocity`), letters with the parameter's number (`m1` ~ `mass1`, `mass_1`,
 * `first_mass`). Several answers mean the key alone does not say which.
 */
export function aliasCandidates(key: string, params: readonly string[]): string[] {
  const compactKey = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (compactKey.length === 0) return [];
  const shapes = params.map(shapeOf);
  const same = shapes.filter((s) => s.compact === compactKey);
  if (same.length > 0) return same.map((s) => s.name);
  const m = /^([a-z]+)(\d+)?$/.exec(compactKey);
  if (!m) return [];
  const letters = m[1]!;
  const digit = m[2];
  return shapes.filter((s) => (digit === undefined || s.digit === digit) && shortens(letters, s.words)).map((s) => s.name);
}

/**
 * Binds every written key to a distinct parameter, or gives undefined when any key fits none
 * or the keys leave it open which is which. Keys are settled together: one whose only fit is
 * taken by another key's unique fit takes what is left (`d` and `dur` ~ `distance`, `duration`).
 * A key still fitting several is bound only when exactly one of them is `essential` (required
 * and not nullable): a call must state those, while the others are left out of nearly every call.
 */
export function resolveKeys(keys: readonly string[], params: readonly string[], essential: ReadonlySet<string>): Map<string, string> | undefined {
  const open = new Map<string, string[]>();
  for (const k of keys) {
    const c = aliasCandidates(k, params);
    if (c.length === 0) return undefined;
    open.set(k, c);
  }
  const bound = new Map<string, string>();
  const taken = new Set<string>();
  const settle = (k: string, p: string): boolean => {
    if (taken.has(p)) return false;
    bound.set(k, p);
    taken.add(p);
    open.delete(k);
    return true;
  };
  for (;;) {
    let progressed = false;
    for (const [k, c] of open) {
      const left = c.filter((p) => !taken.has(p));
      if (left.length === 0) return undefined;
      if (left.length === 1) {
        if (!settle(k, left[0]!)) return undefined;
        progressed = true;
      }
    }
    if (open.size === 0) return bound;
    if (progressed) continue;
    // Only ambiguous keys are left: an essential parameter breaks the tie, once.
    for (const [k, c] of open) {
      const left = c.filter((p) => !taken.has(p) && essential.has(p));
      if (left.length === 1 && settle(k, left[0]!)) {
        progressed = true;
        break;
      }
    }
    if (!progressed) return undefined;
  }
}

/**
 * The arguments with their keys bound to the tool's parameters (see `resolveKeys`), and whether
 * any key was an abbreviation; undefined when the keys cannot all be bound.
 */
export function bindArgumentKeys(args: Record<string, unknown>, params: readonly string[], essential: ReadonlySet<string>): { args: Record<string, unknown>; abbreviated: boolean } | undefined {
  const keys = Object.keys(args);
  if (keys.every((k) => params.includes(k))) return { args, abbreviated: false };
  const bound = resolveKeys(keys, params, essential);
  if (!bound) return undefined;
  const out: Record<string, unknown> = {};
  for (const k of keys) out[bound.get(k)!] = args[k];
  return { args: out, abbreviated: true };
}
