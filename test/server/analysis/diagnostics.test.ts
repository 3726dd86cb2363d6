import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validate } from '../../../src/server/analysis/diagnostics.js';
import { parseDocument } from '../../../src/server/analysis/parsed-document.js';
import { ToolCatalog } from '../../../src/server/analysis/tool-catalog.js';

const READER = { type: 'function' as const, function: { name: 'read_text', parameters: { type: 'object', properties: { file_path: { type: 'string' } }, required: ['file_path'] } } };

function catalog(): ToolCatalog {
  const c = new ToolCatalog();
  c.setClientTools([READER]);
  return c;
}

test('a regex syntax error points at the offending character, not the whole literal', () => {
  const ds = validate(parseDocument('tool read_text\n  when /ab)(?<file_path>x)/\n'), catalog());
  const bad = ds.find((d) => d.code === 'bad-regex');
  assert.deepEqual(bad?.range, { start: { line: 1, character: 10 }, end: { line: 1, character: 11 } });
  assert.match(String(bad?.message), /Unmatched '\)'/);
});

test('a role rule may name its capture by the role alias, a name rule may not use an unknown name', () => {
  const role = validate(parseDocument('tool role:file-reader\n  when /read (?<path>\\S+)/\n'), catalog());
  assert.equal(role.filter((d) => d.code === 'unknown-parameter').length, 0);
  const named = validate(parseDocument('tool read_text\n  when /read (?<file>\\S+)/\n'), catalog());
  assert.equal(named.filter((d) => d.code === 'unknown-parameter').length, 1);
});

test('a fixed argument satisfies a required parameter the pattern does not capture', () => {
  const ds = validate(parseDocument('tool read_text\n  when /read it/\n  with file_path = "a.txt"\n'), catalog());
  assert.equal(ds.filter((d) => d.code === 'missing-required').length, 0);
});

test('with no tools known at all, no rule is called unknown', () => {
  const ds = validate(parseDocument('tool anything\n  when /x/\n'), new ToolCatalog());
  assert.equal(ds.filter((d) => d.code === 'unknown-tool').length, 0);
});

test('the parser reports an out-of-range confidence and duplicate rules, kept as they are', () => {
  const ds = validate(parseDocument('tool read_text\n  when /a (?<file_path>x)/ confidence 1.5\n\ntool read_text\n  when /b (?<file_path>y)/\n'), catalog());
  assert.ok(ds.some((d) => d.code === 'confidence-range'));
  assert.ok(ds.some((d) => d.code === 'duplicate-rule'));
});
