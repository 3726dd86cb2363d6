import { join } from 'node:path';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  createConnection,
  DiagnosticSeverity,
  MessageType,
  NotificationType,
  StreamMessageReader,
  StreamMessageWriter,
  ShowMessageNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type Diagnostic,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ToolSpec } from '../core/chat/types.js';
import {
  EvaluatedNotification,
  RULE_EDITOR_DEFAULTS,
  SessionsLoadedNotification,
  SetSessionsNotification,
  SetToolsNotification,
  TEST_RULE_COMMAND,
  RunRuleTestsRequest,
  TestRuleRequest,
  type RuleEditorSettings,
  type RunRuleTestsResult,
  type SniffInitializationOptions,
  type TestRuleResult,
} from '../shared/lsp-protocol.js';
import { quickFixes } from './analysis/code-actions.js';
import { codeLenses } from './analysis/code-lens.js';
import { complete } from './analysis/completion.js';
import { formatRules } from './analysis/formatting.js';
import { hover } from './analysis/hover.js';
import { documentSymbols, foldingRanges } from './analysis/outline.js';
import { testInlayHints } from './analysis/test-marks.js';
import { ToolCatalog } from './analysis/tool-catalog.js';
import { normalizeRuleEditorSettings } from './rule-editor-settings.js';
import { RuleDocuments } from './rule-documents.js';
import { ANALYSIS_THREAD_MARK, AnalysisCancelled, AnalysisThread, serveAnalysis } from './analysis-thread.js';
import { analyseRuleText } from './document-analysis.js';
import { LatestWins } from './latest-wins.js';
import { parseNear } from './parse-near.js';
import { EvaluationWorker } from './worker/evaluation-worker.js';

const TYPING_DELAY_MS = 200;
/** Above this many characters a request parses only the block it points into, unless the whole file is parsed already. */
const LARGE_DOCUMENT_CHARS = 64 * 1024;
/** An overtaken analysis of a file this large is stopped rather than finished: restarting the thread costs less. */
const CANCEL_ANALYSIS_CHARS = 1024 * 1024;
/** Test-only: report each analysis (its version and the running count) as `foresight/analysed`. */
const REPORT_ANALYSES = process.env['FORESIGHT_SNIFF_TEST_REPORTS'] === '1';
/** Test-only: a longer deadline for an evaluation, so a loaded test machine does not stop a slow but finite one. */
const EVALUATION_DEADLINE_MS = Number(process.env['FORESIGHT_SNIFF_TEST_EVALUATION_DEADLINE_MS']) || undefined;
const AnalysedNotification = new NotificationType<{ uri: string; version: number; analyses: number }>('foresight/analysed');

/** Wires one LSP connection to the analysis functions; all state lives in this closure. */
function serve(connection: Connection, onShutdown: () => void): void {
  const documents = new TextDocuments(TextDocument);
  const rules = new RuleDocuments();
  const catalog = new ToolCatalog();
  // esbuild emits the worker as its own bundle next to this one; the analysis thread is this bundle.
  const worker = new EvaluationWorker(join(__dirname, 'evaluation-worker.js'), EVALUATION_DEADLINE_MS);
  const analysisThread = new AnalysisThread(__filename);
  const settings = new Map<string, Promise<RuleEditorSettings>>();
  let canAskConfiguration = false;
  let canRefreshLenses = false;
  let canRefreshHints = false;
  let startSessions: string[] = [];

  const parsedOf = (doc: TextDocument) => rules.parsed(doc.uri, doc.version, doc.getText());
  // Hover and completion must not wait for a whole large file to be parsed: the block they point into is enough.
  const parsedNear = (doc: TextDocument, line: number) =>
    rules.parsedIfMade(doc.uri, doc.version) ?? (doc.getText().length <= LARGE_DOCUMENT_CHARS ? parsedOf(doc) : parseNear(doc, line));

  const settingsFor = (uri: string): Promise<RuleEditorSettings> => {
    if (!canAskConfiguration) return Promise.resolve(RULE_EDITOR_DEFAULTS);
    let s = settings.get(uri);
    if (!s) {
      s = connection.workspace.getConfiguration({ scopeUri: uri, section: 'foresight.ruleEditor' }).then(normalizeRuleEditorSettings, () => RULE_EDITOR_DEFAULTS);
      settings.set(uri, s);
    }
    return s;
  };

  // Diagnostics of the latest version only: an edit during an analysis asks for one rerun, and
  // an analysis whose version was overtaken is dropped unpublished.
  const analyse = async (uri: string): Promise<void> => {
    const doc = documents.get(uri);
    if (!doc) return;
    const version = doc.version;
    const text = doc.getText();
    const ev = rules.evaluation(uri, text);
    // Test outcomes are located by line, so they only count for the exact text they were run on.
    const evaluation = ev && (ev.current ? ev.result : { ...ev.result, tests: [] });
    const input = { text, tools: catalog.all(), ...(evaluation ? { evaluation } : {}) };
    const analyses = rules.countAnalysis(uri);
    let diagnostics: Diagnostic[];
    try {
      diagnostics = await analysisThread.analyse(input, uri);
    } catch (err) {
      // Stopped for a newer version, of this file or another: analyse this one again, as it is then.
      if (err instanceof AnalysisCancelled) {
        analysing.request(uri);
        return;
      }
      connection.console.error(`foresight-sniff: analysing on the main thread instead: ${err instanceof Error ? err.message : String(err)}`);
      diagnostics = analyseRuleText(input);
    }
    const now = documents.get(uri);
    if (now !== doc || now.version !== version) return;
    const failure = rules.failure(uri);
    if (failure) {
      diagnostics.push({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: DiagnosticSeverity.Warning, source: 'foresight', code: 'evaluation-stopped', message: `Tests and figures are not up to date: ${failure}.` });
    }
    void connection.sendDiagnostics({ uri, version, diagnostics });
    if (REPORT_ANALYSES) void connection.sendNotification(AnalysedNotification, { uri, version, analyses });
  };
  const analysing = new LatestWins<string>(analyse);
  const publish = (doc: TextDocument) => analysing.request(doc.uri);

  const evaluateNow = async (uri: string) => {
    const doc = documents.get(uri);
    if (!doc) return;
    const version = doc.version;
    const text = doc.getText();
    const outcome = await worker.evaluate(text, catalog.all());
    const open = documents.get(uri);
    if (!open) return;
    if (outcome.ok) rules.setEvaluation(uri, text, outcome.result);
    else rules.setFailure(uri, outcome.message);
    publish(open);
    if (canRefreshLenses) void connection.sendRequest(CodeLensRefreshRequest.type);
    if (canRefreshHints) void connection.languages.inlayHint.refresh().catch(() => undefined);
    const result = outcome.ok ? outcome.result : undefined;
    connection.sendNotification(EvaluatedNotification, {
      uri,
      version,
      sessions: result?.sessions ?? 0,
      figures: result?.figures ?? [],
      testsPassed: result?.tests.filter((t) => t.passed).length ?? 0,
      testsFailed: result?.tests.filter((t) => !t.passed).length ?? 0,
      tests: result?.tests ?? [],
      ...(outcome.ok ? {} : { failure: outcome.message }),
    });
    // The ReDoS checker works within a time budget; carry on with the patterns it has not reached.
    if (result && result.uncheckedPatterns > 0) schedule(uri, 0);
  };
  // One evaluation in flight per document; edits meanwhile make one more, of the latest text.
  const evaluations = new LatestWins<string>(evaluateNow);

  const schedule = (uri: string, delayMs: number) => rules.debounce(uri, delayMs, () => evaluations.request(uri));

  const linkSessions = async (paths: string[]) => {
    let loaded: { tools: ToolSpec[]; sessions: number; problems: string[] };
    try {
      loaded = await worker.setSessions(paths);
    } catch (err) {
      loaded = { tools: [], sessions: 0, problems: [`cannot load sessions: ${err instanceof Error ? err.message : String(err)}`] };
    }
    catalog.setSessionTools(loaded.tools);
    connection.sendNotification(SessionsLoadedNotification, { sessions: loaded.sessions, tools: loaded.tools.length, problems: loaded.problems });
    for (const doc of documents.all()) {
      publish(doc);
      schedule(doc.uri, 0);
    }
  };

  const testRule = async (uri: string, ruleId: string): Promise<TestRuleResult> => {
    const doc = documents.get(uri);
    if (!doc) return { ruleId, passed: 0, failed: 0, failures: [`${uri} is not open`] };
    const outcome = await worker.evaluate(doc.getText(), catalog.all());
    if (!outcome.ok) return { ruleId, passed: 0, failed: 0, failures: [outcome.message] };
    const tests = outcome.result.tests.filter((t) => t.ruleId === ruleId);
    const failing = tests.filter((t) => !t.passed);
    return { ruleId, passed: tests.length - failing.length, failed: failing.length, failures: failing.map((t) => `line ${t.line + 1}: expected ${t.expected}, got ${t.actual}${t.message ? ` (${t.message})` : ''}`) };
  };

  // The Test Explorer runs files that may not be open, so it sends the text. The ReDoS checker
  // works within a time budget per evaluation; a few more rounds clear what the first left.
  const runRuleTests = async (text: string): Promise<RunRuleTestsResult> => {
    for (let round = 0; ; round++) {
      const outcome = await worker.evaluate(text, catalog.all(), true);
      if (!outcome.ok) return { tests: [], failure: outcome.message };
      if (outcome.result.uncheckedPatterns === 0 || round === 4) return { tests: outcome.result.tests };
    }
  };

  connection.onInitialize((params) => {
    const options = (params.initializationOptions ?? {}) as SniffInitializationOptions;
    startSessions = Array.isArray(options.sessionPaths) ? options.sessionPaths.filter((p) => typeof p === 'string') : [];
    if (Array.isArray(options.tools)) catalog.setClientTools(options.tools);
    canAskConfiguration = params.capabilities.workspace?.configuration === true;
    canRefreshLenses = params.capabilities.workspace?.codeLens?.refreshSupport === true;
    canRefreshHints = params.capabilities.workspace?.inlayHint?.refreshSupport === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        completionProvider: { triggerCharacters: [' ', '<', '/', ':'] },
        hoverProvider: true,
        inlayHintProvider: true,
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        documentFormattingProvider: true,
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        executeCommandProvider: { commands: [TEST_RULE_COMMAND] },
      },
      serverInfo: { name: 'foresight-sniff', version: '0.1.0' },
    };
  });
  connection.onInitialized(() => {
    if (startSessions.length > 0) void linkSessions(startSessions);
  });
  connection.onDidChangeConfiguration(() => {
    settings.clear();
  });
  connection.onNotification(SetSessionsNotification, (params) => void linkSessions(Array.isArray(params?.paths) ? params.paths : []));
  connection.onNotification(SetToolsNotification, (params) => {
    catalog.setClientTools(Array.isArray(params?.tools) ? params.tools : []);
    for (const doc of documents.all()) publish(doc);
  });

  documents.onDidOpen((e) => schedule(e.document.uri, 0));
  documents.onDidChangeContent((e) => {
    analysisThread.cancelIfBusyWith(e.document.uri, CANCEL_ANALYSIS_CHARS);
    publish(e.document);
    void settingsFor(e.document.uri).then((s) => {
      if (s.liveEvaluation) schedule(e.document.uri, TYPING_DELAY_MS);
    });
  });
  documents.onDidSave((e) => schedule(e.document.uri, 0));
  documents.onDidClose((e) => {
    rules.close(e.document.uri);
    settings.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  const withDoc = <T>(uri: string, fallback: T, f: (doc: TextDocument) => T): T => {
    const doc = documents.get(uri);
    return doc ? f(doc) : fallback;
  };
  connection.onCompletion((p) => withDoc(p.textDocument.uri, [], (doc) => complete(parsedNear(doc, p.position.line), p.position, catalog)));
  connection.onHover((p) => withDoc(p.textDocument.uri, null, (doc) => hover(parsedNear(doc, p.position.line), p.position, catalog, rules.evaluation(doc.uri, doc.getText())?.figures)));
  connection.onCodeLens((p) =>
    withDoc(p.textDocument.uri, [], (doc) => {
      const ev = rules.evaluation(doc.uri, doc.getText());
      return codeLenses(parsedOf(doc), doc.uri, ev?.figures, ev?.result.figuresNote ?? rules.failure(doc.uri));
    }),
  );
  connection.onCodeAction((p) => withDoc(p.textDocument.uri, [], (doc) => quickFixes(parsedOf(doc), doc.uri, p.context.diagnostics, catalog)));
  connection.onDocumentFormatting((p) => withDoc(p.textDocument.uri, [], (doc) => formatRules(doc.getText())));
  connection.onDocumentSymbol((p) => withDoc(p.textDocument.uri, [], (doc) => documentSymbols(parsedOf(doc))));
  connection.onFoldingRanges((p) => withDoc(p.textDocument.uri, [], (doc) => foldingRanges(parsedOf(doc))));
  connection.onRequest(TestRuleRequest, (p) => testRule(p.uri, p.ruleId));
  connection.onRequest(RunRuleTestsRequest, (p) => runRuleTests(typeof p?.text === 'string' ? p.text : ''));
  // Inlay hints, not decorations, for the pass/fail marks: they are plain LSP, so any client
  // shows them, and VS Code asks again on our refresh when an evaluation lands.
  connection.languages.inlayHint.on((p) =>
    withDoc(p.textDocument.uri, [], (doc) => {
      const ev = rules.evaluation(doc.uri, doc.getText());
      return ev?.current ? testInlayHints(parsedOf(doc), ev.result.tests, p.range) : [];
    }),
  );
  connection.onExecuteCommand(async (p) => {
    const [uri, ruleId] = p.arguments ?? [];
    if (p.command !== TEST_RULE_COMMAND || typeof uri !== 'string' || typeof ruleId !== 'string') return undefined;
    const result = await testRule(uri, ruleId);
    const summary = `${ruleId}: ${result.passed} passed, ${result.failed} failed`;
    // A notification, not a request: the client need not answer, and no unanswered request can fail here.
    const failed = result.failed > 0 || result.failures.length > 0;
    void connection.sendNotification(ShowMessageNotification.type, {
      type: failed ? MessageType.Warning : MessageType.Info,
      message: failed ? `${summary}. ${result.failures.join('; ')}` : result.passed === 0 ? `${ruleId} has no tests. Add lines like  test "TEXT" => { ... }  under it.` : summary,
    });
    return result;
  });
  connection.onShutdown(() => {
    onShutdown();
    worker.dispose();
    analysisThread.dispose();
  });

  documents.listen(connection);
  connection.listen();
}

if (!isMainThread && workerData === ANALYSIS_THREAD_MARK) {
  if (parentPort) serveAnalysis(parentPort);
} else {
  const { connection, shutDown } = connect();
  // A server that dies takes the editor's rule support with it: log a stray rejection, never exit on it.
  process.on('unhandledRejection', (reason) => connection.console.error(`foresight-sniff: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));
  serve(connection, shutDown);
}

/**
 * The connection on the transport argv names (IPC from VS Code, or --stdio for any other
 * client). Over stdio a message whose header cannot be read leaves the reader unable to find
 * where the next one starts, so the server exits non-zero and the client restarts it, rather
 * than living on deaf.
 */
function connect(): { connection: Connection; shutDown: () => void } {
  if (!process.argv.includes('--stdio')) return { connection: createConnection(ProposedFeatures.all), shutDown: () => undefined };
  const reader = new StreamMessageReader(process.stdin);
  const writer = new StreamMessageWriter(process.stdout);
  let shutDown = false;
  reader.onError((err) => {
    process.stderr.write(`foresight-sniff: unreadable input, exiting: ${err.message}\n`);
    process.exit(1);
  });
  reader.onClose(() => process.exit(shutDown ? 0 : 1));
  return { connection: createConnection(ProposedFeatures.all, reader, writer), shutDown: () => void (shutDown = true) };
}
