/**
 * The required parameters a call must really state: those the schema lists as required and
 * that do not accept `null`. Strict-mode schemas (every property required, the optional ones
 * nullable) mark what is optional by `null`, so a nullable required parameter left unstated is
 * `null` (see `ArgumentNormalizer`), never a reason to give up on the call.
 */
export function essentialRequired(required: readonly string[], properties: Readonly<Record<string, unknown>>): string[] {
  return required.filter((r) => r in properties && !acceptsNull(properties[r]));
}

/** Whether a property schema accepts `null`: a `null` type, `nullable: true`, or a nullable alternative. */
export function acceptsNull(prop: unknown): boolean {
  if (prop === null || typeof prop !== 'object') return false;
  const p = prop as Record<string, unknown>;
  if (p.type === 'null' || (Array.isArray(p.type) && p.type.includes('null')) || p.nullable === true) return true;
  return [p.anyOf, p.oneOf].some((alts) => Array.isArray(alts) && alts.some(acceptsNull));
}
