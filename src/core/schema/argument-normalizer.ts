import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { JsonSchema } from '../chat/types.js';
import { canonicalJson } from '../util/canonical-json.js';
import { isPlainlyValidSchema } from './plain-schema.js';

/** A tool call's arguments checked against the tool's schema and put in canonical form. */
export type NormalizedArguments =
  | { ok: true; value: Record<string, unknown>; canonical: string }
  | { ok: false; errors: string[] };

/** Normalisations remembered per schema. */
const RECENT = 128;

interface Compiled {
  validate: ValidateFunction;
  props: Map<string, PropertyFacts>;
  recent: Map<string, NormalizedArguments>;
  /** The latest answers by the arguments' raw JSON text (a formal call is read several times: its run, its claim, the turns after). */
  recentText: Map<string, NormalizedArguments>;
}

interface PropertyFacts {
  required: boolean;
  nullable: boolean;
  /** An empty list (or object) means the same as leaving it out: no default, or an empty one. */
  emptyIsAbsent: boolean;
}

/**
 * Checks arguments against a tool's JSON Schema with Ajv, coercing captured strings to the
 * schema's types ("5" to 5 for an integer) and filling schema defaults, then gives the
 * canonical JSON (sorted keys). A predicted call and a formal call are the same call exactly
 * when their canonical forms are equal, so both sides must go through this one function.
 * Ways of saying "nothing" compare equal: `null` for an optional parameter is left out, a
 * required parameter that accepts `null` is `null` when left out, and in the canonical form a
 * `null` of a nullable parameter or an empty list or object with no (or an empty) default is
 * as if absent. Compiled schemas are cached per schema text, and the latest answers per
 * schema.
 */
export class ArgumentNormalizer {
  // Schemas are checked against the meta-schema here (see `compile`), only when they are not plainly valid.
  private readonly ajv = withFormats(new Ajv({ coerceTypes: true, useDefaults: true, strict: false, allErrors: true, validateSchema: false }));
  private readonly cache = new Map<string, Compiled | { error: string }>();
  /** The same schema object (a tool list is reused every chunk) skips serialising it for the key. */
  private readonly byIdentity = new WeakMap<object, Compiled | { error: string }>();

  normalize(schema: JsonSchema | undefined, args: Record<string, unknown>): NormalizedArguments {
    const compiled = this.compile(schema);
    if ('error' in compiled) return { ok: false, errors: [compiled.error] };
    // A sniffer restates the same few calls many times: the recent answers are kept (read-only).
    return remembered(compiled.recent, JSON.stringify(args), () => this.check(compiled, args));
  }

  private check(compiled: Compiled, args: Record<string, unknown>): NormalizedArguments {
    const value = structuredClone(args);
    for (const [name, facts] of compiled.props) {
      // Before validation: coercion would turn a null into "" or 0.
      if (value[name] === null && !facts.required) delete value[name];
      else if (!(name in value) && facts.required && facts.nullable) value[name] = null;
    }
    const validate = compiled.validate;
    if (!validate(value)) {
      return { ok: false, errors: (validate.errors ?? []).map((e) => `${e.instancePath || '(arguments)'} ${e.message ?? 'is invalid'}`) };
    }
    const keyed: Record<string, unknown> = {};
    for (const [name, v] of Object.entries(value)) {
      const facts = compiled.props.get(name);
      if (facts && v === null && facts.nullable) continue;
      if (facts && !facts.required && facts.emptyIsAbsent && isEmpty(v)) continue;
      keyed[name] = v;
    }
    return { ok: true, value, canonical: canonicalJson(keyed) };
  }

  /** Parses a formal call's JSON arguments and normalises them; unparsable text is an error. */
  normalizeText(schema: JsonSchema | undefined, text: string): NormalizedArguments {
    const compiled = this.compile(schema);
    if ('error' in compiled) return this.parseAndNormalize(schema, text);
    return remembered(compiled.recentText, text, () => this.parseAndNormalize(schema, text));
  }

  private parseAndNormalize(schema: JsonSchema | undefined, text: string): NormalizedArguments {
    let parsed: unknown;
    try {
      parsed = text.trim().length === 0 ? {} : JSON.parse(text);
    } catch (err) {
      return { ok: false, errors: [`arguments are not JSON: ${err instanceof Error ? err.message : String(err)}`] };
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { ok: false, errors: ['arguments are not a JSON object'] };
    return this.normalize(schema, parsed as Record<string, unknown>);
  }

  private compile(schema: JsonSchema | undefined): Compiled | { error: string } {
    const known = schema ? this.byIdentity.get(schema) : undefined;
    if (known) return known;
    const key = schema ? JSON.stringify(schema) : '';
    const hit = this.cache.get(key);
    if (hit) {
      if (schema) this.byIdentity.set(schema, hit);
      return hit;
    }
    let compiled: Compiled | { error: string };
    try {
      const checked = schema ?? { type: 'object' };
      // Compiling the meta-schema costs tens of milliseconds per process; a plain tool schema needs no such check.
      if (!isPlainlyValidSchema(checked)) this.ajv.validateSchema(checked, true);
      compiled = { validate: this.ajv.compile(checked), props: propertyFacts(schema), recent: new Map(), recentText: new Map() };
    } catch (err) {
      compiled = { error: `the tool's schema is not valid JSON Schema: ${err instanceof Error ? err.message : String(err)}` };
    }
    this.cache.set(key, compiled);
    if (schema) this.byIdentity.set(schema, compiled);
    return compiled;
  }
}

/**
 * The answer memoised under `key` in `memo` (a bounded, oldest-out map), else `compute()`'s,
 * remembered. Values go in and come out as copies: a caller may change what it was given.
 */
function remembered(memo: Map<string, NormalizedArguments>, key: string, compute: () => NormalizedArguments): NormalizedArguments {
  const known = memo.get(key);
  if (known) return known.ok ? { ok: true, value: structuredClone(known.value), canonical: known.canonical } : known;
  const result = compute();
  if (memo.size >= RECENT) memo.delete(memo.keys().next().value as string);
  memo.set(key, result.ok ? { ok: true, value: structuredClone(result.value), canonical: result.canonical } : result);
  return result;
}

function propertyFacts(schema: JsonSchema | undefined): Map<string, PropertyFacts> {
  const props = (schema?.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set(Array.isArray(schema?.required) ? (schema.required as string[]) : []);
  const out = new Map<string, PropertyFacts>();
  for (const [name, prop] of Object.entries(props)) {
    if (prop === null || typeof prop !== 'object') continue;
    out.set(name, { required: required.has(name), nullable: allowsNull(prop), emptyIsAbsent: !('default' in prop) || isEmpty(prop.default) });
  }
  return out;
}

function allowsNull(prop: Record<string, unknown>): boolean {
  const type = prop.type;
  if (type === 'null' || (Array.isArray(type) && type.includes('null')) || prop.nullable === true) return true;
  for (const k of ['anyOf', 'oneOf'] as const) {
    const alts = prop[k];
    if (Array.isArray(alts) && alts.some((a) => a !== null && typeof a === 'object' && allowsNull(a as Record<string, unknown>))) return true;
  }
  return false;
}

function isEmpty(v: unknown): boolean {
  if (Array.isArray(v)) return v.length === 0;
  return v !== null && typeof v === 'object' && Object.keys(v).length === 0;
}

/**
 * The standard formats (date, date-time, email, uri, uuid…) checked as JSON Schema defines them:
 * a predicted "2026-02-30" for a date is no call, and a tool declaring a format no longer makes
 * Ajv warn on the console that it ignores it.
 */
function withFormats(ajv: Ajv): Ajv {
  addFormats(ajv);
  return ajv;
}
