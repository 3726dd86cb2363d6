import Ajv, { type ValidateFunction } from 'ajv';
import type { JsonSchema } from '../chat/types.js';
import { canonicalJson } from '../session/message-key.js';

/** A tool call's arguments checked against the tool's schema and put in canonical form. */
export type NormalizedArguments =
  | { ok: true; value: Record<string, unknown>; canonical: string }
  | { ok: false; errors: string[] };

/**
 * Checks arguments against a tool's JSON Schema with Ajv, coercing captured strings to the
 * schema's types ("5" to 5 for an integer) and filling schema defaults, then gives the
 * canonical JSON (sorted keys). A predicted call and a formal call are the same call exactly
 * when their canonical forms are equal, so both sides must go through this one function.
 * Compiled schemas are cached per schema text.
 */
export class ArgumentNormalizer {
  private readonly ajv = new Ajv({ coerceTypes: true, useDefaults: true, strict: false, allErrors: true });
  private readonly cache = new Map<string, ValidateFunction | { error: string }>();

  normalize(schema: JsonSchema | undefined, args: Record<string, unknown>): NormalizedArguments {
    const value = structuredClone(args);
    const validate = this.compile(schema);
    if ('error' in validate) return { ok: false, errors: [validate.error] };
    if (!validate(value)) {
      return { ok: false, errors: (validate.errors ?? []).map((e) => `${e.instancePath || '(arguments)'} ${e.message ?? 'is invalid'}`) };
    }
    return { ok: true, value, canonical: canonicalJson(value) };
  }

  /** Parses a formal call's JSON arguments and normalises them; unparsable text is an error. */
  normalizeText(schema: JsonSchema | undefined, text: string): NormalizedArguments {
    let parsed: unknown;
    try {
      parsed = text.trim().length === 0 ? {} : JSON.parse(text);
    } catch (err) {
      return { ok: false, errors: [`arguments are not JSON: ${err instanceof Error ? err.message : String(err)}`] };
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { ok: false, errors: ['arguments are not a JSON object'] };
    return this.normalize(schema, parsed as Record<string, unknown>);
  }

  private compile(schema: JsonSchema | undefined): ValidateFunction | { error: string } {
    const key = schema ? JSON.stringify(schema) : '';
    const hit = this.cache.get(key);
    if (hit) return hit;
    let compiled: ValidateFunction | { error: string };
    try {
      compiled = this.ajv.compile(schema ?? { type: 'object' });
    } catch (err) {
      compiled = { error: `the tool's schema is not valid JSON Schema: ${err instanceof Error ? err.message : String(err)}` };
    }
    this.cache.set(key, compiled);
    return compiled;
  }
}
