import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import type { JsonSchema } from '../../../src/core/chat/types.js';
import { ArgumentNormalizer } from '../../../src/core/schema/argument-normalizer.js';
import { isPlainlyValidSchema } from '../../../src/core/schema/plain-schema.js';
import { loadSessions } from '../../../src/core/session/load-sessions.js';
import { CORPUS_DIR, CORPUS_MORE_DIR } from '../../fixtures/corpus.js';

/** The meta-schema check the shortcut stands in for, as Ajv does it by default. */
function metaValid(schema: unknown): boolean {
  return new Ajv({ strict: false }).validateSchema(schema as object) as boolean;
}

const PLAIN = [
  { type: 'object', properties: { city: { type: 'string', description: 'A city' }, days: { type: 'integer', minimum: 1, maximum: 14, default: 3 } }, required: ['city'] },
  { type: 'object', properties: { tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] }, minItems: 0, uniqueItems: true } }, additionalProperties: false },
  { type: 'object', properties: { when: { type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$' }, note: { type: ['string', 'null'], nullable: true } } },
  { type: 'object', properties: { meta: { type: 'object', additionalProperties: { type: 'number', multipleOf: 0.5 } }, flag: { const: true, title: 'Flag', examples: [true] } } },
  { type: 'object' },
  {},
  true,
];

const NOT_PLAIN_BUT_VALID = [
  { type: 'object', properties: { a: { anyOf: [{ type: 'string' }, { type: 'number' }] } } },
  { $ref: '#/definitions/x', definitions: { x: { type: 'string' } } },
  { type: 'array', items: [{ type: 'string' }, { type: 'number' }] },
];

const INVALID = [
  { type: 'strng' },
  { type: 'object', properties: { a: { type: 5 } } },
  { type: 'object', required: 'city' },
  { type: 'object', required: ['a', 'a'] },
  { type: 'string', minLength: -1 },
  { type: ['string', 'string'] },
  { type: 'object', properties: { a: { type: 'string', maxLength: 1.5 } } },
];

/** Passes the meta-schema (it does not check patterns) but cannot be compiled. */
const BROKEN_PATTERN = { type: 'object', properties: { a: { type: 'string', pattern: '(' } } };

describe('plainly valid tool schemas', () => {
  it('accepts plain tool schemas, and each it accepts passes the meta-schema check', () => {
    for (const s of PLAIN) {
      assert.ok(isPlainlyValidSchema(s), JSON.stringify(s));
      assert.ok(metaValid(s), JSON.stringify(s));
    }
  });

  it('sends schemas with combinators, references or tuples to the full check', () => {
    for (const s of NOT_PLAIN_BUT_VALID) {
      assert.equal(isPlainlyValidSchema(s), false, JSON.stringify(s));
      assert.ok(metaValid(s), JSON.stringify(s));
    }
  });

  it('never calls a schema the meta-schema rejects plain', () => {
    for (const s of INVALID) {
      assert.equal(isPlainlyValidSchema(s), false, JSON.stringify(s));
      assert.equal(metaValid(s), false, JSON.stringify(s));
    }
  });

  it('does not call a schema with a pattern that does not compile plain', () => {
    assert.equal(isPlainlyValidSchema(BROKEN_PATTERN), false);
  });

  it('agrees with the meta-schema on every tool schema of the corpus it accepts', { skip: !existsSync(CORPUS_DIR) && 'corpus not found' }, async () => {
    const { sessions } = await loadSessions([CORPUS_DIR, ...(existsSync(CORPUS_MORE_DIR) ? [CORPUS_MORE_DIR] : [])]);
    let plain = 0;
    for (const s of sessions) {
      for (const tool of s.header.tools) {
        const schema = tool.function.parameters;
        if (schema === undefined || !isPlainlyValidSchema(schema)) continue;
        plain++;
        assert.ok(metaValid(schema), `${tool.function.name}: ${JSON.stringify(schema)}`);
      }
    }
    assert.ok(plain > 0, 'some corpus tool schemas are plain');
  });

  it('still reports a schema the meta-schema rejects as not valid JSON Schema', () => {
    const normalizer = new ArgumentNormalizer();
    for (const s of [...INVALID, BROKEN_PATTERN]) {
      const n = normalizer.normalize(s as JsonSchema, { a: 'x' });
      assert.equal(n.ok, false, JSON.stringify(s));
      if (!n.ok) assert.match(n.errors[0]!, /not valid JSON Schema/, JSON.stringify(s));
    }
  });

  it('normalises arguments against a schema that takes the full check as before', () => {
    const n = new ArgumentNormalizer().normalize({ type: 'object', properties: { a: { anyOf: [{ type: 'integer' }, { type: 'null' }] } } }, { a: 5 });
    assert.deepEqual(n, { ok: true, value: { a: 5 }, canonical: '{"a":5}' });
  });
});
