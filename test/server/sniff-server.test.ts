import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CodeActionRequest,
  CompletionRequest,
  DocumentFormattingRequest,
  DocumentSymbolRequest,
  ExecuteCommandRequest,
  FoldingRangeRequest,
  HoverRequest,
  InlayHintRequest,
  NotificationType,
  CodeLensRequest,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type DocumentSymbol,
  type MarkupContent,
} from 'vscode-languageserver-protocol/node';
import { RunRuleTestsRequest, type EvaluatedParams, type TestRuleResult } from '../../src/shared/lsp-protocol.js';
import { ensureServerBuilt, LspSession, spawnServer, withDeadline } from './lsp-session.js';

const FORECAST = {
  type: 'function' as const,
  function: {
    name: 'get_forecast',
    description: 'Daily weather forecast for a city.',
    parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer', default: 3 } }, required: ['city'], additionalProperties: false },
  },
};

// Line numbers and columns below are those of this text.
const RULES = [
  'tool get_forecast', //                                         0
  '  when /forecast for (?<cty>[A-Z]\\w+)/', //                    1: "cty" at 24..27
  '  test "I need the forecast for Lisbon." => { "city": "Lisbon" }', // 2
  '', //                                                          3
  'tool get_forcast', //                                          4: "get_forcast" at 5..16
  '  when /x(?<city>y/', //                                       5: unterminated group, at 18
  '',
].join('\n');

const labels = (r: CompletionItem[] | CompletionList | null) => (Array.isArray(r) ? r : (r?.items ?? [])).map((i) => i.label);
const byCode = (ds: Diagnostic[], code: string) => ds.filter((d) => d.code === code);

describe('the .sniff language server over --stdio', () => {
  let lsp: LspSession;
  before(async () => {
    ensureServerBuilt();
    lsp = await LspSession.start({ tools: [FORECAST], sessionPaths: ['media/demo-sessions'] });
    await lsp.waitForNotification('foresight/sessionsLoaded');
  });
  after(async () => {
    await lsp.stop();
  });

  test('publishes regex, parameter and tool diagnostics at their exact ranges', async () => {
    await lsp.open('file:///a.sniff', RULES);
    const ds = await lsp.waitForDiagnostics('file:///a.sniff', (d) => byCode(d, 'unknown-tool').length > 0);
    assert.deepEqual(byCode(ds, 'unknown-parameter')[0]?.range, { start: { line: 1, character: 24 }, end: { line: 1, character: 27 } });
    assert.deepEqual(byCode(ds, 'missing-required')[0]?.range, { start: { line: 1, character: 7 }, end: { line: 1, character: 38 } });
    assert.deepEqual(byCode(ds, 'unknown-tool')[0]?.range, { start: { line: 4, character: 5 }, end: { line: 4, character: 16 } });
    const regex = byCode(ds, 'bad-regex')[0];
    assert.deepEqual(regex?.range, { start: { line: 5, character: 18 }, end: { line: 5, character: 19 } });
    assert.match(String(regex?.message), /Unterminated group/);
  });

  test("marks a failing inline test on the test's own line once the worker has run it", async () => {
    const ds = await lsp.waitForDiagnostics('file:///a.sniff', (d) => byCode(d, 'test-failed').length > 0);
    const failed = byCode(ds, 'test-failed')[0];
    assert.equal(failed?.range.start.line, 2);
    assert.equal(failed?.range.start.character, 2);
  });

  test('completes tool names and roles after "tool ", and parameters inside "(?<"', async () => {
    await lsp.open('file:///c.sniff', 'tool \ntool get_forecast\n  when /for (?<\n');
    const tools = labels(await lsp.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: 'file:///c.sniff' }, position: { line: 0, character: 5 } }));
    assert.ok(tools.includes('get_forecast') && tools.includes('search_docs'), `got ${tools.join(', ')}`);
    assert.ok(tools.includes('role:code-runner'));
    const params = labels(await lsp.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: 'file:///c.sniff' }, position: { line: 2, character: 15 } }));
    assert.deepEqual(params, ['city', 'days']);
  });

  test("shows a tool's description and schema on hover over the header, and a regex in plain words", async () => {
    const onHeader = await lsp.connection.sendRequest(HoverRequest.type, { textDocument: { uri: 'file:///a.sniff' }, position: { line: 0, character: 7 } });
    const header = (onHeader?.contents as MarkupContent).value;
    assert.match(header, /Daily weather forecast for a city/);
    assert.match(header, /"required": \[\s*"city"\s*\]/);
    const onRegex = await lsp.connection.sendRequest(HoverRequest.type, { textDocument: { uri: 'file:///a.sniff' }, position: { line: 1, character: 12 } });
    const words = (onRegex?.contents as MarkupContent).value;
    assert.match(words, /the text "forecast for "/);
    assert.match(words, /captures cty:/);
    assert.match(words, /one or more of a letter, digit or _/);
  });

  test('offers a quick fix renaming a capture group to the nearest parameter', async () => {
    const ds = await lsp.waitForDiagnostics('file:///a.sniff', (d) => byCode(d, 'unknown-parameter').length > 0);
    const diagnostic = byCode(ds, 'unknown-parameter')[0]!;
    const actions = await lsp.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: 'file:///a.sniff' }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
    const rename = actions?.find((a) => 'edit' in a && a.title.startsWith('Rename'));
    assert.ok(rename && 'edit' in rename);
    assert.deepEqual(rename.edit?.changes?.['file:///a.sniff'], [{ range: diagnostic.range, newText: 'city' }]);
  });

  test('offers a quick fix adding a missing required argument as a "with" line after the rule', async () => {
    const ds = await lsp.waitForDiagnostics('file:///a.sniff', (d) => byCode(d, 'missing-required').length > 0);
    const diagnostic = byCode(ds, 'missing-required')[0]!;
    const actions = await lsp.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: 'file:///a.sniff' }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
    const add = actions?.find((a) => a.title.startsWith('Add'));
    assert.ok(add && 'edit' in add);
    assert.deepEqual(add.edit?.changes?.['file:///a.sniff'], [{ range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, newText: '  with city = ""\n' }]);
  });

  test('formats a file to two-space bodies and one blank line between rules', async () => {
    await lsp.open('file:///f.sniff', 'tool get_forecast\n      when /a (?<city>b)/   \n\n\n\n# next\ntool get_forecast\n\twhen /c (?<city>d)/\n');
    const edits = await lsp.connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri: 'file:///f.sniff' }, options: { tabSize: 2, insertSpaces: true } });
    assert.equal(edits?.length, 1);
    assert.equal(edits?.[0]?.newText, 'tool get_forecast\n  when /a (?<city>b)/\n\n# next\ntool get_forecast\n  when /c (?<city>d)/\n');
  });

  test('lists rules in the outline with their patterns and tests, and folds each rule', async () => {
    const symbols = (await lsp.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: 'file:///a.sniff' } })) as DocumentSymbol[];
    assert.deepEqual(symbols.map((s) => s.name), ['tool get_forecast', 'tool get_forcast']);
    assert.deepEqual(symbols[0]?.children?.map((c) => c.name), ['/forecast for (?<cty>[A-Z]\\w+)/', 'test "I need the forecast for Lisbon."']);
    const folds = await lsp.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri: 'file:///a.sniff' } });
    assert.deepEqual(folds?.map((f) => [f.startLine, f.endLine]), [[0, 2], [4, 5]]);
  });

  test('puts figures on the linked sessions and a Test rule command in the code lenses', async () => {
    const uri = 'file:///lens.sniff';
    await lsp.open(uri, 'tool get_forecast\n  when /call get_forecast with city "(?<city>[^"]+)" and days (?<days>\\d+)/\n  test "call get_forecast with city "Oslo" and days 2" => { "city": "Oslo", "days": 2 }\n');
    await lsp.waitForNotification<EvaluatedParams>('foresight/evaluated', (p) => p.uri === uri && p.figures.length === 1);
    const lenses = await lsp.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
    assert.match(lenses?.[0]?.command?.title ?? '', /^1 hit · 0 misfires · lead \d+ chars on 5 sessions$/);
    assert.equal(lenses?.[1]?.command?.command, 'foresight.sniff.testRule');
    const result = (await lsp.connection.sendRequest(ExecuteCommandRequest.type, { command: 'foresight.sniff.testRule', arguments: [uri, 'tool get_forecast'] })) as TestRuleResult;
    assert.deepEqual(result, { ruleId: 'tool get_forecast', passed: 1, failed: 0, failures: [] });
  });

  test('marks each test line ✓ or ✗ in inlay hints and reports the span each pattern matched', async () => {
    const uri = 'file:///marks.sniff';
    const text = 'tool get_forecast\n  when /forecast for (?<city>[A-Z]\\w+)/\n  test "the forecast for Oslo, please" => { "city": "Oslo" }\n  test "the forecast for Rome" => { "city": "Oslo" }\n  test "no weather talk" => none\n';
    await lsp.open(uri, text);
    const evaluated = await lsp.waitForNotification<EvaluatedParams>('foresight/evaluated', (p) => p.uri === uri);
    assert.deepEqual(evaluated.tests.map((t) => [t.line, t.passed, t.match]), [
      [2, true, { start: 12, end: 29 }],
      [3, false, { start: 12, end: 29 }],
      [4, true, undefined],
    ]);
    assert.equal(text.split('\n')[2]?.slice(12, 29), 'forecast for Oslo');
    const hints = await lsp.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 5, character: 0 } } });
    assert.deepEqual(hints?.map((h) => [h.position.line, h.label]), [[2, '✓'], [3, '✗ got {"city":"Rome","days":3}'], [4, '✓']]);
  });

  test('runs the tests of a text it was sent, open or not, for the Test Explorer', async () => {
    const result = await lsp.connection.sendRequest(RunRuleTestsRequest, { uri: 'file:///closed.sniff', text: 'tool get_forecast\n  when /for (?<city>[A-Z]\\w+)/\n  test "for Oslo" => { "city": "Oslo" }\n  test "for Rome" => none\n' });
    assert.deepEqual(result.tests.map((t) => [t.line, t.passed, t.actual]), [[2, true, '{"city":"Oslo","days":3}'], [3, false, '{"city":"Rome","days":3}']]);
    assert.equal(result.failure, undefined);
  });

  test('re-publishes diagnostics for each edit, versioned', async () => {
    await lsp.change('file:///a.sniff', 2, RULES.replace('(?<cty>', '(?<city>'));
    const ds = await lsp.waitForDiagnostics('file:///a.sniff', () => true, { version: 2 });
    assert.equal(byCode(ds, 'unknown-parameter').length, 0);
    assert.equal(byCode(ds, 'missing-required').length, 0);
  });
});

describe('the .sniff language server linked to sessions and settings', () => {
  test('foresight/setSessions relinks the sessions, and the tool catalog follows them', async () => {
    const lsp = await LspSession.start({ sessionPaths: ['media/demo-sessions'] });
    try {
      await lsp.waitForNotification<{ sessions: number }>('foresight/sessionsLoaded', (p) => p.sessions === 5);
      await lsp.open('file:///s.sniff', 'tool search_docs\n  when /search for "(?<query>[^"]+)"/\n');
      await lsp.waitForDiagnostics('file:///s.sniff', (d) => !d.some((x) => x.code === 'unknown-tool'));
      await lsp.connection.sendNotification(new NotificationType<{ paths: string[] }>('foresight/setSessions'), { paths: ['media/demo-sessions/03-order-status.json'] });
      await lsp.waitForNotification<{ sessions: number }>('foresight/sessionsLoaded', (p) => p.sessions === 1);
      await lsp.waitForDiagnostics('file:///s.sniff', (d) => d.some((x) => x.code === 'unknown-tool'));
    } finally {
      await lsp.stop();
    }
  });

  test('asks the client for foresight.ruleEditor per document, and evaluates a file when it is saved', async () => {
    const lsp = await LspSession.start({ tools: [FORECAST] }, { 'foresight.ruleEditor': { liveEvaluation: false } });
    try {
      const uri = 'file:///live.sniff';
      await lsp.open(uri, 'tool get_forecast\n  when /for (?<city>\\w+)/\n  test "for Oslo" => { "city": "Oslo" }\n');
      await lsp.waitForNotification<EvaluatedParams>('foresight/evaluated', (p) => p.uri === uri && p.version === 1);
      await lsp.change(uri, 2, 'tool get_forecast\n  when /for (?<city>\\w+)/\n  test "for Oslo" => { "city": "Paris" }\n');
      await lsp.waitForConfigurationRequest('foresight.ruleEditor');
      await lsp.waitForDiagnostics(uri, () => true, { version: 2 });
      await lsp.save(uri);
      const evaluated = await lsp.waitForNotification<EvaluatedParams>('foresight/evaluated', (p) => p.uri === uri && p.version === 2);
      assert.equal(evaluated.testsFailed, 1);
    } finally {
      await lsp.stop();
    }
  });
});

describe('the .sniff language server under abuse', () => {
  let lsp: LspSession;
  before(async () => {
    ensureServerBuilt();
    lsp = await LspSession.start({ tools: [FORECAST] });
  });
  after(async () => {
    await lsp.stop();
  });

  const hoverAt = (uri: string, line: number, character: number) => lsp.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } });

  test('checks a 10,000-rule file, runs its 10,000 tests in the worker, and still answers a hover on it', async () => {
    const rules = Array.from({ length: 10_000 }, (_, i) => `tool get_forecast\n  when /forecast number ${i} for (?<city>[A-Z][a-z]+)/\n  test "forecast number ${i} for Oslo" => { "city": "Oslo" }\n`).join('\n');
    await lsp.open('file:///big.sniff', rules);
    const ds = await lsp.waitForDiagnostics('file:///big.sniff', (d) => d.some((x) => x.code === 'duplicate-rule'), { timeoutMs: 120_000 });
    assert.equal(byCode(ds, 'duplicate-rule').length, 9_999);
    const onHeader = await hoverAt('file:///big.sniff', 39_996, 7);
    assert.match((onHeader?.contents as MarkupContent).value, /Daily weather forecast for a city/);
    const evaluated = await lsp.waitForNotification<EvaluatedParams>('foresight/evaluated', (p) => p.uri === 'file:///big.sniff', 120_000);
    assert.equal(evaluated.testsFailed, 0);
    assert.equal(evaluated.testsPassed, 10_000);
  });

  test('reads binary junk as a rule file with problems inside the text, and hovers on it show nothing', async () => {
    let junk = '';
    for (let i = 0; i < 20_000; i++) junk += String.fromCharCode((i * 7919 + 13) % 65536);
    const text = `\u0000\u0001tool \uD800x\n${junk}`;
    await lsp.open('file:///junk.sniff', text);
    const ds = await lsp.waitForDiagnostics('file:///junk.sniff', (d) => d.length > 0);
    // LSP breaks lines at \r\n, \r and \n only; every range must lie on the text the editor shows.
    const lines = text.split(/\r\n|\r|\n/);
    for (const d of ds) {
      const { start, end } = d.range;
      assert.ok(start.line < end.line || (start.line === end.line && start.character <= end.character), `${d.code}: range runs backwards`);
      assert.ok(end.line < lines.length && end.character <= (lines[end.line] ?? '').length, `${d.code}: ends at ${end.line}:${end.character}, outside the text`);
    }
    assert.equal(await hoverAt('file:///junk.sniff', 0, 6), null);
  });

  test('marks an unterminated regex from its slash to the end of the line', async () => {
    await lsp.open('file:///open.sniff', 'tool get_forecast\n  when /forecast for (?<city>\\w+\n');
    const ds = await lsp.waitForDiagnostics('file:///open.sniff', (d) => d.some((x) => x.code === 'unterminated-regex'));
    assert.deepEqual(ds.find((d) => d.code === 'unterminated-regex')?.range, { start: { line: 1, character: 7 }, end: { line: 1, character: 32 } });
  });

  test('flags a catastrophically backtracking pattern, never runs its test, and still explains it on hover', async () => {
    const uri = 'file:///redos.sniff';
    // The u flag keeps it off the linear-time engine, which would otherwise run it safely.
    await lsp.open(uri, `tool get_forecast\n  when /(?<city>a+)+$/u\n  test "${'a'.repeat(40)}!" => none\n`);
    const ds = await lsp.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'catastrophic-backtracking'));
    assert.deepEqual(ds.find((d) => d.code === 'catastrophic-backtracking')?.range, { start: { line: 1, character: 7 }, end: { line: 1, character: 23 } });
    const evaluated = await lsp.waitForNotification<EvaluatedParams>('foresight/evaluated', (p) => p.uri === uri);
    assert.equal(evaluated.testsPassed + evaluated.testsFailed, 0);
    const words = (await hoverAt(uri, 1, 10))?.contents as MarkupContent;
    assert.match(words.value, /captures city:/);
  });
});

describe('the .sniff language server under load', () => {
  before(() => ensureServerBuilt());

  test('after 1,000 quick edits of a 100 KB file it publishes the last version, having analysed far fewer', async () => {
    const lsp = await LspSession.start({ tools: [FORECAST] });
    try {
      const uri = 'file:///typing.sniff';
      let text = '';
      for (let i = 0; text.length < 100_000; i++) text += `tool get_forecast\n  when /forecast number ${i} for (?<city>[A-Z][a-z]+)/\n\n`;
      text += 'tool ';
      const line = text.split('\n').length - 1;
      await lsp.open(uri, text);
      // Someone typing a tool name one character at a time, faster than a file this size can be analysed.
      for (let i = 0; i < 1_000; i++) await lsp.edit(uri, i + 2, { line, character: 5 + i }, { line, character: 5 + i }, 'x');
      const ds = await lsp.waitForDiagnostics(uri, () => true, { version: 1_001, timeoutMs: 120_000 });
      assert.deepEqual(byCode(ds, 'unknown-tool').map((d) => d.range), [{ start: { line, character: 5 }, end: { line, character: 1_005 } }]);
      const report = await lsp.waitForNotification<{ version: number; analyses: number }>('foresight/analysed', (p) => p.version === 1_001);
      const versions = lsp.published.filter((p) => p.uri === uri).map((p) => p.version ?? 0);
      assert.equal(versions.at(-1), 1_001);
      assert.deepEqual(versions, [...versions].sort((a, b) => a - b), 'an older version was published after a newer one');
      assert.ok(report.analyses <= 50, `analysed ${report.analyses} of 1,001 versions`);
      assert.ok(versions.length <= 50, `published ${versions.length} times`);
    } finally {
      await lsp.stop();
    }
  });

  test('answers a hover and a completion on a 1 MB file before that file\'s first analysis is published', async () => {
    const lsp = await LspSession.start({ tools: [FORECAST] });
    try {
      const uri = 'file:///huge.sniff';
      let text = '';
      for (let i = 0; text.length < 1_000_000; i++) text += `tool get_forecast\n  when /forecast number ${i} for (?<city>[A-Z][a-z]+)/\n  test "forecast number ${i} for Oslo" => { "city": "Oslo" }\n\n`;
      await lsp.open(uri, text);
      const onHeader = await lsp.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 4, character: 7 } });
      const hoverBeforeDiagnostics = !lsp.hasDiagnostics(uri);
      const completion = await lsp.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 5, character: 34 } });
      const completionBeforeDiagnostics = !lsp.hasDiagnostics(uri);
      assert.match((onHeader?.contents as MarkupContent).value, /Daily weather forecast for a city/);
      assert.deepEqual(labels(completion), ['city', 'days']);
      assert.ok(hoverBeforeDiagnostics, 'the hover waited for the analysis');
      assert.ok(completionBeforeDiagnostics, 'the completion waited for the analysis');
      const ds = await lsp.waitForDiagnostics(uri, () => true, { version: 1, timeoutMs: 120_000 });
      assert.ok(byCode(ds, 'duplicate-rule').length > 1_000);
    } finally {
      await lsp.stop();
    }
  });

  test('exits with a non-zero code on input it cannot frame, so the client restarts it', async () => {
    const child = spawnServer('pipe');
    try {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.stdin?.write('Content-Length: twelve\r\n\r\n{"jsonrpc":"2.0"}');
      const code = await withDeadline(exited, 30_000, 'the server exiting');
      assert.equal(typeof code, 'number');
      assert.notEqual(code, 0);
    } finally {
      child.kill();
    }
  });
});
