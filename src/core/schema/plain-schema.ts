/**
 * Whether a tool's JSON Schema uses only the plain keywords tool declarations use (types,
 * properties, required, items, enum, bounds, formats, descriptions, defaults), each with a value
 * of the right shape: such a schema is valid against the JSON Schema meta-schema, so checking it
 * there (which costs compiling the meta-schema, tens of milliseconds, in every process that
 * normalises arguments) can be skipped. Conservative: anything else (combinators, `$ref`, a
 * keyword it does not know, a value of an odd shape) answers false, and the schema is checked
 * in full.
 */
export function isPlainlyValidSchema(schema: unknown, depth = 0): boolean {
  if (typeof schema === 'boolean') return true;
  if (!isObject(schema) || depth > 32) return false;
  for (const [key, value] of Object.entries(schema)) {
    const check = KEYWORDS[key];
    if (!check || !check(value, depth)) return false;
  }
  return true;
}

const TYPES = new Set(['array', 'boolean', 'integer', 'null', 'number', 'object', 'string']);

type KeywordCheck = (value: unknown, depth: number) => boolean;

const text: KeywordCheck = (v) => typeof v === 'string';
const number: KeywordCheck = (v) => typeof v === 'number' && Number.isFinite(v);
const count: KeywordCheck = (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const anything: KeywordCheck = () => true;
const subschema: KeywordCheck = (v, depth) => isPlainlyValidSchema(v, depth + 1);

const KEYWORDS: Record<string, KeywordCheck | undefined> = {
  type: (v) => (typeof v === 'string' ? TYPES.has(v) : Array.isArray(v) && v.length > 0 && v.every((t) => typeof t === 'string' && TYPES.has(t)) && new Set(v).size === v.length),
  properties: (v, depth) => isObject(v) && Object.values(v).every((p) => isPlainlyValidSchema(p, depth + 1)),
  required: (v) => Array.isArray(v) && v.every((r) => typeof r === 'string') && new Set(v).size === v.length,
  items: subschema,
  additionalProperties: subschema,
  enum: (v) => Array.isArray(v) && v.length > 0,
  const: anything,
  default: anything,
  examples: (v) => Array.isArray(v),
  description: text,
  title: text,
  format: text,
  $comment: text,
  pattern: (v) => typeof v === 'string' && compiles(v),
  minimum: number,
  maximum: number,
  exclusiveMinimum: number,
  exclusiveMaximum: number,
  multipleOf: (v) => typeof v === 'number' && v > 0,
  minLength: count,
  maxLength: count,
  minItems: count,
  maxItems: count,
  minProperties: count,
  maxProperties: count,
  uniqueItems: (v) => typeof v === 'boolean',
  // OpenAPI's, which the meta-schema leaves alone (it allows keywords of other vocabularies).
  nullable: (v) => typeof v === 'boolean',
};

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** As the checker compiles a pattern: with the `u` flag. */
function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}
