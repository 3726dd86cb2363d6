import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { MarkupContent } from 'vscode-languageserver';
import { TOOL_ROLES } from '../../../src/core/rules/rule-ast.js';
import { ALLOWED_FLAGS } from '../../../src/core/rules/regex-literal.js';
import { BODY_KEYWORDS, EXPECTATION_WORDS, HEADER_KEYWORDS, RULE_KEYWORDS } from '../../../src/core/rules/rule-keywords.js';
import { hover } from '../../../src/server/analysis/hover.js';
import { parseDocument } from '../../../src/server/analysis/parsed-document.js';
import { ToolCatalog } from '../../../src/server/analysis/tool-catalog.js';

// Every word of the language, each in a place where the parser accepts it.
const LINES = [
  'tool get_order_status',
  '  when /order (?<order_id>\\d+)/imsu confidence 0.7',
  '  with channel = "web"',
  '  with urgent = true',
  '  with note = null',
  '  with gift = false',
  '  confidence 0.6',
  '  window 300',
  '  test "order 12 please" => { "order_id": "12" }',
  '  test "nothing about it" => none',
  '',
  'warm role:code-runner',
  '  when /let me run it/',
  '  test "let me run it now" => warm',
  '',
  'warm role:file-reader',
  '  when /open the file/',
  'warm role:searcher',
  '  when /search for it/',
  'warm role:fetcher',
  '  when /fetch the page/',
  '',
  'test get_order_status',
  '  "order 7 arrived?" => { "order_id": "7", "urgent": true }',
];
const doc = parseDocument(LINES.join('\n'));
const catalog = new ToolCatalog();

/** The hover text on the `nth` whole-word occurrence of `word` in the file (0-based), or undefined. */
function hoverOn(word: string, nth = 0): string | undefined {
  let seen = 0;
  for (const [line, text] of LINES.entries()) {
    const re = new RegExp(`(?<![\\w-])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`, 'g');
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      if (seen++ !== nth) continue;
      const h = hover(doc, { line, character: m.index + 1 }, catalog, undefined);
      return h ? (h.contents as MarkupContent).value : undefined;
    }
  }
  return undefined;
}

/** Words the TextMate grammar colours as a keyword or constant: every alternation of plain words in its patterns. */
function grammarWords(): Set<string> {
  const grammar = readFileSync('syntaxes/sniff.tmLanguage.json', 'utf8');
  const words = new Set<string>();
  for (const [, pattern] of grammar.matchAll(/"(?:match|begin)":\s*"((?:[^"\\]|\\.)*)"/g)) {
    const source = JSON.parse(`"${pattern}"`) as string;
    for (const [, alternation] of source.matchAll(/\(((?:[a-z]+|=>)(?:\|[a-z]+)*)\)/g)) for (const w of alternation!.split('|')) words.add(w);
  }
  return words;
}

describe('hover help', () => {
  it('explains every keyword the parser knows, where it is written', () => {
    assert.ok(RULE_KEYWORDS.length >= 8);
    for (const k of HEADER_KEYWORDS) assert.match(hoverOn(k, k === 'test' ? 3 : 0) ?? '', new RegExp(`^\\*\\*${k} TARGET`), `header keyword ${k}`);
    for (const k of BODY_KEYWORDS) assert.match(hoverOn(k) ?? '', new RegExp(`^\\*\\*${k} `), `body keyword ${k}`);
    // Expectations: "none" on its test line, "warm" after the arrow (its first occurrence is a header).
    for (const k of EXPECTATION_WORDS) assert.match(hoverOn(k, k === 'warm' ? 1 : 0) ?? '', new RegExp(`^\\*\\*${k}\\*\\*:`), `expectation ${k}`);
  });

  it('tells a test block header from a test line, and a warm header from a warm expectation', () => {
    assert.match(hoverOn('test', 3) ?? '', /block of test cases/);
    assert.match(hoverOn('test', 0) ?? '', /inline test/);
    assert.match(hoverOn('warm', 0) ?? '', /starts a rule/);
    assert.match(hoverOn('warm', 1) ?? '', /passes when the warm rule matches/);
  });

  it('explains the confidence written after a pattern, the arrow, roles, role: and every flag', () => {
    assert.match(hoverOn('confidence', 0) ?? '', /applies to that pattern alone/);
    assert.match(hoverOn('=>') ?? '', /separates the test text/);
    for (const role of TOOL_ROLES) assert.match(hoverOn(role) ?? '', new RegExp(`\\*\\*role:${role}\\*\\*`), `role ${role}`);
    const flags = LINES[1]!.indexOf('/imsu') + 1;
    for (const flag of ALLOWED_FLAGS) {
      const h = hover(doc, { line: 1, character: flags + 'imsu'.indexOf(flag) }, catalog, undefined);
      assert.match((h?.contents as MarkupContent | undefined)?.value ?? '', new RegExp(`^\\*\\*${flag}\\*\\* flag`), `flag ${flag}`);
    }
  });

  it('explains every keyword and constant the grammar colours', () => {
    const words = grammarWords();
    for (const k of RULE_KEYWORDS) assert.ok(words.has(k), `the grammar colours ${k}`);
    for (const w of words) assert.ok(hoverOn(w) !== undefined, `hover on ${w}`);
  });

  it('shows nothing on a keyword inside a test text or a JSON string', () => {
    const quoted = parseDocument('tool t\n  when /x/\n  test "when none" => { "a": "true" }\n');
    assert.equal(hover(quoted, { line: 2, character: 10 }, catalog, undefined), null);
    assert.equal(hover(quoted, { line: 2, character: 32 }, catalog, undefined), null);
  });
});
