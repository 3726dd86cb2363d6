import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Range, RuleFile, RuleProblemCode } from '../../../src/core/rules/rule-ast.js';
import { parseRules } from '../../../src/core/rules/rule-parser.js';

const at = (line: number, start: number, end: number, endLine = line): Range => ({
  start: { line, character: start },
  end: { line: endLine, character: end },
});

const BRIEF_EXAMPLE = [
  '# lab tools',
  'tool get_lab_results',
  '  when /call get_lab_results with patient_id "(?<patient_id>P\\d+)"/i',
  '  when /lab results for .*?\\(ID: (?<patient_id>P\\d+)\\)/ confidence 0.6',
  '  with days = 7',
  '  confidence 0.8',
  '  window 400',
  '  test "So first we need to call get_lab_results with patient_id "P12345"." => { "patient_id": "P12345" }',
  '  test "We need to find the smallest n such that" => none',
  '',
  'warm role:code-runner',
  "  when /\\b(?:let me|I'll|I will) (?:run|execute|write) (?:some |the |a )?(?:code|python|script)\\b/i",
  '  test "Let me run some code to check." => warm',
].join('\n');

const DESIGN_SKETCH = [
  '# lab tools',
  'tool get_lab_results',
  '  when /call get_lab_results with patient_id "(?<patient_id>P\\d+)"/i',
  '  when /lab results for .*?\\(ID: (?<patient_id>P\\d+)\\)/ confidence 0.6',
  '',
  'warm code_exec',
  "  when /\\b(?:let me|I'll|I will) (?:run|execute|write) (?:some |the |a )?(?:code|python|script)\\b/i",
  '',
  'test get_lab_results',
  '  "So first we need to call get_lab_results with patient_id "P12345"." => { "patient_id": "P12345" }',
  '  "We need to find the smallest n such that" => none',
].join('\n');

/** The file without compiled regexes, which deepEqual would compare by identity of behaviour only. */
function plain(file: RuleFile): unknown {
  return JSON.parse(JSON.stringify(file, (key, value: unknown) => (key === 'regex' ? undefined : value)));
}

function problemsOf(text: string): { code: RuleProblemCode; range: Range; severity: string }[] {
  return parseRules(text).problems.map(({ code, range, severity }) => ({ code, range, severity }));
}

describe('parseRules on the documented examples', () => {
  it('reads the example of the brief into the expected syntax tree with no problems', () => {
    const file = parseRules(BRIEF_EXAMPLE);
    assert.deepEqual(plain(file), {
      problems: [],
      rules: [
        {
          kind: 'tool',
          target: { by: 'name', name: 'get_lab_results' },
          targetRange: at(1, 5, 20),
          range: at(1, 0, 57, 8),
          headerRange: at(1, 0, 20),
          patterns: [
            { source: 'call get_lab_results with patient_id "(?<patient_id>P\\d+)"', flags: 'i', range: at(2, 7, 68), groups: ['patient_id'] },
            { source: 'lab results for .*?\\(ID: (?<patient_id>P\\d+)\\)', flags: '', range: at(3, 7, 55), groups: ['patient_id'], confidence: 0.6 },
          ],
          fixed: [{ name: 'days', value: 7, range: at(4, 7, 15) }],
          confidence: 0.8,
          confidenceRange: at(5, 13, 16),
          window: 400,
          tests: [
            {
              text: 'So first we need to call get_lab_results with patient_id "P12345".',
              expected: { patient_id: 'P12345' },
              range: at(7, 2, 105),
              textRange: at(7, 8, 74),
            },
            { text: 'We need to find the smallest n such that', expected: 'none', range: at(8, 2, 57), textRange: at(8, 8, 48) },
          ],
          id: 'tool get_lab_results',
        },
        {
          kind: 'warm',
          target: { by: 'role', role: 'code-runner' },
          targetRange: at(10, 5, 21),
          range: at(10, 0, 47, 12),
          headerRange: at(10, 0, 21),
          patterns: [
            {
              source: "\\b(?:let me|I'll|I will) (?:run|execute|write) (?:some |the |a )?(?:code|python|script)\\b",
              flags: 'i',
              range: at(11, 7, 99),
              groups: [],
            },
          ],
          fixed: [],
          confidence: 0.5,
          window: 512,
          tests: [{ text: 'Let me run some code to check.', expected: 'warm', range: at(12, 2, 47), textRange: at(12, 8, 38) }],
          id: 'warm role:code-runner',
        },
      ],
    });
  });

  it('compiles every pattern with its flags', () => {
    const [lab] = parseRules(BRIEF_EXAMPLE).rules;
    assert.deepEqual(
      lab?.patterns.map((p) => p.regex),
      [/call get_lab_results with patient_id "(?<patient_id>P\d+)"/i, /lab results for .*?\(ID: (?<patient_id>P\d+)\)/],
    );
  });

  it('reads the sketch in DESIGN.md, attaching its test block to the tool rule', () => {
    const file = parseRules(DESIGN_SKETCH);
    assert.deepEqual(file.problems, []);
    assert.deepEqual(
      file.rules.map((r) => [r.id, r.patterns.length, r.tests.map((t) => [t.text, t.expected, t.range.start.line])]),
      [
        [
          'tool get_lab_results',
          2,
          [
            ['So first we need to call get_lab_results with patient_id "P12345".', { patient_id: 'P12345' }, 9],
            ['We need to find the smallest n such that', 'none', 10],
          ],
        ],
        ['warm code_exec', 1, []],
      ],
    );
    assert.deepEqual(file.rules[0]?.tests[0]?.textRange, at(9, 3, 69));
  });
});

describe('parseRules test blocks and settings', () => {
  it('attaches a test block to the warm rule when no tool rule has its target, even when the block comes first', () => {
    const file = parseRules('test role:code-runner\n  "Let me run it." => warm\n  test "Nothing." => none\n\nwarm role:code-runner\n  when /let me run/i');
    assert.deepEqual(file.problems, []);
    assert.deepEqual(file.rules[0]?.tests.map((t) => [t.text, t.expected]), [['Let me run it.', 'warm'], ['Nothing.', 'none']]);
  });

  it('checks a test block expectation against the kind of the rule it attaches to', () => {
    const file = parseRules('tool t\n  when /a/\ntest t\n  "a" => warm');
    assert.deepEqual(problemsOf('tool t\n  when /a/\ntest t\n  "a" => warm'), [{ code: 'bad-expectation', range: at(3, 9, 13), severity: 'error' }]);
    assert.deepEqual(file.rules[0]?.tests, []);
  });

  it('accepts a window from 1 to 4096 and a confidence from 0 to 1', () => {
    for (const [window, confidence] of [[1, '0'], [4096, '1'], [64, '.25'], [100, '1.0']] as const) {
      const file = parseRules(`tool t\n  when /a/\n  window ${window}\n  confidence ${confidence}`);
      assert.deepEqual(file.problems, []);
      assert.equal(file.rules[0]?.window, window);
      assert.equal(file.rules[0]?.confidence, Number(confidence));
    }
  });
});

describe('parseRules problems and their exact ranges', () => {
  const cases: { name: string; text: string; code: RuleProblemCode; range: Range; severity?: 'warning' }[] = [
    { name: 'an unknown header keyword is reported on the keyword', text: 'tol get\n  when /a/', code: 'unknown-keyword', range: at(0, 0, 3) },
    { name: 'an unknown body keyword is reported on the keyword', text: 'tool t\n  wen /a/\n  when /b/', code: 'unknown-keyword', range: at(1, 2, 5) },
    { name: 'a body keyword at column 0 is misplaced', text: 'tool t\n  when /a/\nwhen /b/', code: 'misplaced-keyword', range: at(2, 0, 4) },
    { name: 'an indented header keyword is misplaced', text: 'tool t\n  when /a/\n  tool u', code: 'misplaced-keyword', range: at(2, 2, 6) },
    { name: 'a test case at column 0 is misplaced', text: 'tool t\n  when /a/\ntest "a" => none', code: 'misplaced-keyword', range: at(2, 0, 16) },
    { name: 'a body line before any header is reported on its content', text: '  when /a/\ntool t\n  when /b/', code: 'body-without-header', range: at(0, 2, 10) },
    { name: 'a header without a target is reported on the keyword', text: 'tool\n  when /a/', code: 'bad-target', range: at(0, 0, 4) },
    { name: 'a target with characters a tool name cannot have is reported on the target', text: 'tool read!file\n  when /a/', code: 'bad-target', range: at(0, 5, 14) },
    { name: 'an unknown role is reported on the target', text: 'warm role:painter\n  when /a/', code: 'bad-target', range: at(0, 5, 17) },
    { name: 'a second rule of the same kind and target is a warning on its header', text: 'tool t\n  when /a/\ntool t\n  when /b/', code: 'duplicate-rule', range: at(2, 0, 6), severity: 'warning' },
    { name: 'a rule without when is reported on its header', text: 'tool t\n  confidence 0.5', code: 'no-patterns', range: at(0, 0, 6) },
    { name: 'when with nothing after it is reported on the keyword', text: 'tool t\n  when  # later', code: 'missing-regex', range: at(1, 2, 6) },
    { name: 'when followed by a word is reported on the word', text: 'tool t\n  when read', code: 'missing-regex', range: at(1, 7, 11) },
    { name: 'a regex whose closing slash is escaped is unterminated to the end of the line', text: 'tool t\n  when /abc\\/ # x', code: 'unterminated-regex', range: at(1, 7, 17) },
    { name: 'a regex whose slash is inside an open class is unterminated', text: 'tool t\n  when /[a/', code: 'unterminated-regex', range: at(1, 7, 11) },
    { name: 'an empty regex is reported on the literal', text: 'tool t\n  when //', code: 'empty-pattern', range: at(1, 7, 9) },
    { name: 'a regex that does not compile is reported on the whole literal', text: 'tool t\n  when /(a/i', code: 'bad-regex', range: at(1, 7, 12) },
    { name: 'the g flag is reported on the flag', text: 'tool t\n  when /a/ig', code: 'bad-flag', range: at(1, 11, 12) },
    { name: 'the y flag is reported on the flag', text: 'tool t\n  when /a/y', code: 'bad-flag', range: at(1, 10, 11) },
    { name: 'the d flag is reported on the flag', text: 'tool t\n  when /a/d', code: 'bad-flag', range: at(1, 10, 11) },
    { name: 'the v flag is reported on the flag', text: 'tool t\n  when /a/v', code: 'bad-flag', range: at(1, 10, 11) },
    { name: 'an unknown flag is reported on the flag', text: 'tool t\n  when /a/x', code: 'bad-flag', range: at(1, 10, 11) },
    { name: 'a repeated flag is reported on its second occurrence', text: 'tool t\n  when /a/ii', code: 'bad-flag', range: at(1, 11, 12) },
    { name: 'a pattern that matches empty text is a warning on the literal', text: 'tool t\n  when /a*/', code: 'matches-empty', range: at(1, 7, 11), severity: 'warning' },
    { name: 'a confidence that is not a number is reported on the word', text: 'tool t\n  when /a/\n  confidence high', code: 'bad-number', range: at(2, 13, 17) },
    { name: 'a confidence without a value is reported on the keyword', text: 'tool t\n  when /a/\n  confidence', code: 'bad-number', range: at(2, 2, 12) },
    { name: 'a confidence above 1 is reported on the number', text: 'tool t\n  when /a/\n  confidence 1.5', code: 'confidence-range', range: at(2, 13, 16) },
    { name: 'a negative confidence is reported on the number', text: 'tool t\n  when /a/\n  confidence -0.1', code: 'confidence-range', range: at(2, 13, 17) },
    { name: 'a pattern confidence above 1 is reported on the number', text: 'tool t\n  when /a/ confidence 80', code: 'confidence-range', range: at(1, 22, 24) },
    { name: 'a window of 0 is reported on the number', text: 'tool t\n  when /a/\n  window 0', code: 'window-range', range: at(2, 9, 10) },
    { name: 'a window above 4096 is reported on the number', text: 'tool t\n  when /a/\n  window 5000', code: 'window-range', range: at(2, 9, 13) },
    { name: 'a fractional window is reported on the number', text: 'tool t\n  when /a/\n  window 12.5', code: 'window-range', range: at(2, 9, 13) },
    { name: 'a second confidence line is reported on its keyword', text: 'tool t\n  when /a/\n  confidence 0.5\n  confidence 0.6', code: 'duplicate-setting', range: at(3, 2, 12) },
    { name: 'with without a name is reported where the name should be', text: 'tool t\n  when /a/\n  with = 5', code: 'bad-argument', range: at(2, 7, 8) },
    { name: 'with without = is reported on the name', text: 'tool t\n  when /a/\n  with days 7', code: 'bad-argument', range: at(2, 7, 11) },
    { name: 'an argument fixed twice is reported on the second name', text: 'tool t\n  when /a/\n  with a = 1\n  with a = 2', code: 'duplicate-argument', range: at(3, 7, 8) },
    { name: 'an argument both captured and fixed is a warning on the fixed name', text: 'tool t\n  when /(?<a>x)/\n  with a = 1', code: 'argument-conflict', range: at(2, 7, 8), severity: 'warning' },
    { name: 'a bare word as a value is bad JSON on the value', text: 'tool t\n  when /a/\n  with mode = fast', code: 'bad-json', range: at(2, 14, 18) },
    { name: 'a broken JSON value is reported on the value without its comment', text: 'tool t\n  when /a/\n  with a = {"x": } # c', code: 'bad-json', range: at(2, 11, 18) },
    { name: 'a broken expected object is reported on the object', text: 'tool t\n  when /a/\n  test "a" => {"x": 1', code: 'bad-json', range: at(2, 14, 21) },
    { name: 'test text without quotes is reported on the first word', text: 'tool t\n  when /a/\n  test abc => none', code: 'bad-test', range: at(2, 7, 10) },
    { name: 'a test without => is reported on the whole test', text: 'tool t\n  when /a/\n  test "abc" none', code: 'bad-test', range: at(2, 2, 17) },
    { name: 'a test with nothing after => is reported on the arrow', text: 'tool t\n  when /a/\n  test "abc" =>', code: 'bad-test', range: at(2, 13, 15) },
    { name: 'a quote opened and never closed is reported up to the arrow', text: 'tool t\n  when /a/\n  test "abc => none', code: 'unterminated-string', range: at(2, 7, 11) },
    { name: 'a quote opened on a line without an arrow is reported to the end of the line', text: 'tool t\n  when /a/\n  test "abc', code: 'unterminated-string', range: at(2, 7, 11) },
    { name: 'an expectation that is not none, warm or an object is reported on it', text: 'tool t\n  when /a/\n  test "abc" => maybe', code: 'bad-expectation', range: at(2, 16, 21) },
    { name: 'warm expected from a tool rule is reported on the expectation', text: 'tool t\n  when /a/\n  test "abc" => warm', code: 'bad-expectation', range: at(2, 16, 20) },
    { name: 'arguments expected from a warm rule are reported on the expectation', text: 'warm t\n  when /a/\n  test "abc" => {"x": 1}', code: 'bad-expectation', range: at(2, 16, 24) },
    { name: 'a test block whose target has no rule is reported on the target', text: 'test nothing\n  "x" => none', code: 'unknown-test-target', range: at(0, 5, 12) },
    { name: 'text after a header target is reported on that text', text: 'tool t extra # c\n  when /a/', code: 'unexpected-text', range: at(0, 7, 12) },
    { name: 'text after a pattern is reported on that text', text: 'tool t\n  when /a/ junk', code: 'unexpected-text', range: at(1, 11, 15) },
    { name: 'text right after the flags is reported on that text', text: 'tool t\n  when /a/i)', code: 'unexpected-text', range: at(1, 11, 12) },
    { name: 'text between the closing quote and => is reported on that text', text: 'tool t\n  when /a/\n  test "a" b => none', code: 'unexpected-text', range: at(2, 11, 12) },
    { name: 'text after a number is reported on that text', text: 'tool t\n  when /a/\n  window 40 chars', code: 'unexpected-text', range: at(2, 12, 17) },
  ];
  for (const c of cases) {
    it(`${c.name} (${c.code})`, () => {
      assert.deepEqual(problemsOf(c.text), [{ code: c.code, range: c.range, severity: c.severity ?? 'error' }]);
    });
  }

  it('gives every problem a message that says how to fix it', () => {
    for (const c of cases) {
      for (const p of parseRules(c.text).problems) assert.ok(p.message.length > 30 && /[.?]$/.test(p.message), `${c.code}: ${p.message}`);
    }
  });

  it('suggests the keyword that was probably meant', () => {
    assert.match(parseRules('tool t\n  wen /a/').problems[0]?.message ?? '', /Did you mean "when"\?/);
    assert.match(parseRules('Tool t').problems[0]?.message ?? '', /Did you mean "tool"\?/);
  });
});

describe('parseRules recovery', () => {
  it('skips a bad line and keeps the rest of the rule', () => {
    const file = parseRules('tool t\n  when /(a/\n  when /b/\n  confidence 2\n  window 100');
    assert.deepEqual(file.problems.map((p) => p.code), ['bad-regex', 'confidence-range']);
    const [rule] = file.rules;
    assert.deepEqual(rule?.patterns.map((p) => [p.source, p.regex !== undefined]), [['(a', false], ['b', true]]);
    assert.equal(rule?.confidence, 0.5);
    assert.equal(rule?.window, 100);
  });

  it('keeps a pattern with a bad flag but leaves it uncompiled', () => {
    const [rule] = parseRules('tool t\n  when /a/g').rules;
    assert.deepEqual(rule?.patterns.map((p) => [p.source, p.flags, p.regex]), [['a', 'g', undefined]]);
  });

  it('checks the body of a header it cannot read without emitting a rule or reporting each line as headless', () => {
    const file = parseRules('tol a\n  when /(/\n  when /b/\ntool b\n  when /c/');
    assert.deepEqual(file.problems.map((p) => [p.code, p.range.start.line]), [['unknown-keyword', 0], ['bad-regex', 1]]);
    assert.deepEqual(file.rules.map((r) => r.id), ['tool b']);
  });

  it('reports only the first of several body lines before any header', () => {
    const file = parseRules('  when /a/\n  when /b/\ntool t\n  when /c/');
    assert.deepEqual(file.problems.map((p) => p.code), ['body-without-header']);
    assert.deepEqual(file.rules.map((r) => r.id), ['tool t']);
  });

  it('does not report no-patterns when the rule wrote a when line that was bad', () => {
    assert.deepEqual(problemsOf('tool t\n  when /abc').map((p) => p.code), ['unterminated-regex']);
  });

  it('numbers duplicate rules in the order they appear', () => {
    const file = parseRules('tool t\n  when /a/\nwarm t\n  when /b/\ntool t\n  when /c/\ntool t\n  when /d/');
    assert.deepEqual(file.rules.map((r) => r.id), ['tool t', 'warm t', 'tool t#2', 'tool t#3']);
  });
});

describe('parseRules lines and comments', () => {
  it('ignores blank lines, comment lines and trailing comments inside a rule', () => {
    const file = parseRules('tool t # header comment\n\n  # note\n# column 0 note\n  when /a/ # pattern\n\n  confidence 0.7 # prior\n\n# after');
    assert.deepEqual(file.problems, []);
    assert.equal(file.rules[0]?.confidence, 0.7);
    assert.deepEqual(file.rules[0]?.range, at(0, 0, 24, 6));
  });

  it('does not take # inside a regex, a JSON string or a test text for a comment', () => {
    const file = parseRules('tool t\n  when /#(?<n>\\d+)/ # issue number\n  with tag = "#a" # c\n  test "see #12 now" => {"n": "12", "tag": "#a"} # c');
    assert.deepEqual(file.problems, []);
    const [rule] = file.rules;
    assert.equal(rule?.patterns[0]?.source, '#(?<n>\\d+)');
    assert.deepEqual(rule?.fixed.map((f) => f.value), ['#a']);
    assert.deepEqual(rule?.tests.map((t) => [t.text, t.expected]), [['see #12 now', { n: '12', tag: '#a' }]]);
  });

  it('indents with tabs as well as spaces', () => {
    const file = parseRules('tool t\n\twhen /a/\n \t confidence 0.9');
    assert.deepEqual(file.problems, []);
    assert.deepEqual(file.rules[0]?.patterns[0]?.range, at(1, 6, 9));
    assert.equal(file.rules[0]?.confidence, 0.9);
  });

  it('counts lines the same with LF, CRLF and CR line breaks', () => {
    const lf = parseRules('tool t\n  when /a/\n  window 9');
    assert.deepEqual(parseRules('tool t\r\n  when /a/\r\n  window 9'), lf);
    assert.deepEqual(plain(parseRules('tool t\r  when /a/\r  window 9')), plain(lf));
  });

  it('accepts tool names with dots, colons and dashes, and every role', () => {
    const file = parseRules('tool mcp.fs:read-file\n  when /a/\nwarm role:file-reader\n  when /a/\nwarm role:searcher\n  when /a/\nwarm role:fetcher\n  when /a/');
    assert.deepEqual(file.problems, []);
    assert.deepEqual(file.rules.map((r) => r.target), [
      { by: 'name', name: 'mcp.fs:read-file' },
      { by: 'role', role: 'file-reader' },
      { by: 'role', role: 'searcher' },
      { by: 'role', role: 'fetcher' },
    ]);
  });

  it('reads every kind of JSON value after with', () => {
    const file = parseRules('tool t\n  when /a/\n  with s = "x y"\n  with n = -1.5e2\n  with b = false\n  with z = null\n  with l = [1, "#"]\n  with o = {"k": {"j": true}}');
    assert.deepEqual(file.problems, []);
    assert.deepEqual(file.rules[0]?.fixed.map((f) => [f.name, f.value]), [
      ['s', 'x y'],
      ['n', -150],
      ['b', false],
      ['z', null],
      ['l', [1, '#']],
      ['o', { k: { j: true } }],
    ]);
  });
});

describe('parseRules test lines', () => {
  const textOf = (line: string) => parseRules(`tool t\n  when /a/\n${line}`).rules[0]?.tests[0];

  it('keeps quotes inside the text without escaping', () => {
    assert.equal(textOf('  test "say "hi" to "them"" => none')?.text, 'say "hi" to "them"');
  });

  it('ends the text at the last quote before the last =>', () => {
    assert.deepEqual(textOf('  test "x => y" => {"a": "=>"}')?.expected, { a: '=>' });
    assert.equal(textOf('  test "f = (x) => x" => none')?.text, 'f = (x) => x');
  });

  it('ignores an => that has no blank before it', () => {
    assert.deepEqual(textOf('  test "a" => {"arrow": "x=>y"}')?.expected, { arrow: 'x=>y' });
  });

  it('takes the text verbatim, backslashes included', () => {
    assert.equal(textOf('  test "C:\\temp\\n" => none')?.text, 'C:\\temp\\n');
  });

  it('allows an empty text', () => {
    assert.deepEqual(textOf('  test "" => none')?.textRange, at(2, 8, 8));
  });
});

describe('parseRules robustness', () => {
  it('parses a file of 10,000 rules', () => {
    const lines: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      lines.push(`tool tool_${i}`, `  when /call tool_${i} with id (?<id>\\d+)/i confidence 0.7`, `  with n = ${i}`, `  test "call tool_${i} with id 5" => {"id": "5", "n": ${i}}`, '');
    }
    const file = parseRules(lines.join('\n'));
    assert.equal(file.rules.length, 10_000);
    assert.equal(file.problems.length, 0);
  });

  it('never throws on random binary junk', () => {
    let seed = 0x2545f491;
    const random = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 0x1_0000_0000;
    };
    const alphabet = ['/', '\\', '[', ']', '(', '?', '<', '>', '"', '#', '=', ' ', '\t', '\n', '\r', '{', '}', 'tool ', 'warm ', 'test ', '  when /', '  with ', '  test "', ' => ', 'none', 'role:', '\u0000', '\uFFFF', '\uD800'];
    for (let round = 0; round < 200; round++) {
      let text = '';
      const length = Math.floor(random() * 400);
      for (let i = 0; i < length; i++) {
        text += random() < 0.5 ? String.fromCharCode(Math.floor(random() * 0x10000)) : alphabet[Math.floor(random() * alphabet.length)];
      }
      const file = parseRules(text);
      for (const p of file.problems) assert.ok(p.range.start.line <= p.range.end.line && p.message.length > 0);
    }
  });

  it('parses a long line without line breaks', () => {
    const file = parseRules(`tool t\n  when /${'a'.repeat(200_000)}`);
    assert.deepEqual(file.problems.map((p) => p.code), ['unterminated-regex']);
  });
});
