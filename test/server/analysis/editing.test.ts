import assert from 'node:assert/strict';
import { test } from 'node:test';
import { complete } from '../../../src/server/analysis/completion.js';
import { nearest } from '../../../src/server/analysis/edit-distance.js';
import { formatRules } from '../../../src/server/analysis/formatting.js';
import { parseDocument } from '../../../src/server/analysis/parsed-document.js';
import { explainRegex } from '../../../src/server/analysis/regex-explain.js';
import { ToolCatalog } from '../../../src/server/analysis/tool-catalog.js';

test('flags are offered right after the closing slash, without those already written', () => {
  const doc = parseDocument('tool x\n  when /abc/i\n');
  const items = complete(doc, { line: 1, character: 13 }, new ToolCatalog());
  assert.deepEqual(items.map((i) => i.label), ['m', 's', 'u']);
});

test('keywords are offered by where the line starts: headers at column 0, body keywords indented', () => {
  const doc = parseDocument('to\n  wh\n');
  assert.deepEqual(complete(doc, { line: 0, character: 2 }, new ToolCatalog()).map((i) => i.label), ['tool', 'warm', 'test']);
  assert.deepEqual(complete(doc, { line: 1, character: 4 }, new ToolCatalog()).map((i) => i.label), ['when', 'with', 'confidence', 'window', 'test']);
});

test('the nearest parameter is chosen by edit distance, ignoring case', () => {
  assert.equal(nearest('patientid', ['days', 'patient_id', 'units']), 'patient_id');
  assert.equal(nearest('CTY', ['city', 'country']), 'city');
});

test('formatting is idempotent and keeps comments with the rule below them', () => {
  const once = formatRules('# head\ntool a\n when /x/\n\n\n\n# about b\ntool b\n    when /y/   \n   # inner\n')[0]?.newText ?? '';
  assert.equal(once, '# head\ntool a\n  when /x/\n\n# about b\ntool b\n  when /y/\n  # inner\n');
  assert.deepEqual(formatRules(once), []);
});

test('a regex is explained part by part in plain words', () => {
  assert.deepEqual(explainRegex('call (?<id>P\\d+)|stop', 'i'), [
    '(ignoring case)',
    'one of:',
    '  in order:',
    '    the text "call "',
    '    captures id:',
    '      the text "P"',
    '      one or more of a digit',
    '  "stop"',
  ]);
});
