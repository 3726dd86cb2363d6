import { join } from 'node:path';
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  createConnection,
  DiagnosticSeverity,
  MessageType,
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
  TestRuleRequest,
  type RuleEditorSettings,
  type SniffInitializationOptions,
  type TestRuleResult,
} from '../shared/lsp-protocol.js';
import { quickFixes } from './analysis/code-actions.js';
import { codeLenses } from './analysis/code-lens.js';
import { complete } from './analysis/completion.js';
import { validate } from './analysis/diagnostics.js';
import { formatRules } from './analysis/formatting.js';
import { hover } from './analysis/hover.js';
import { documentSymbols, foldingRanges } from './analysis/outline.js';
import { ToolCatalog } from './analysis/tool-catalog.js';
import { normalizeRuleEditorSettings } from './rule-editor-settings.js';
import { RuleDocuments } from './rule-documents.js';
import { notificationType, requestType } from './lsp-types.js';
import { EvaluationWorker } from './worker/evaluation-worker.js';

const TYPING_DELAY_MS = 200;

/** Wires one LSP connection to the analysis functions; all state lives in this closure. */
function serve(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const rules = new RuleDocuments();
  const catalog = new ToolCatalog();
  // esbuild emits the worker as its own bundle next to this one.
  const worker = new EvaluationWorker(join(__dirname, 'evaluation-worker.js'));
  const settings = new Map<string, Promise<RuleEditorSettings>>();
  let canAskConfiguration = false;
  let canRefreshLenses = false;
  let startSessions: string[] = [];

  const parsedOf = (doc: TextDocument) => rules.parsed(doc.uri, doc.version, doc.getText());

  const settingsFor = (uri: string): Promise<RuleEditorSettings> => {
    if (!canAskConfiguration) return Promise.resolve(RULE_EDITOR_DEFAULTS);
    let s = settings.get(uri);
    if (!s) {
      s = connection.workspace.getConfiguration({ scopeUri: uri, section: 'foresight.ruleEditor' }).then(normalizeRuleEditorSettings, () => RULE_EDITOR_DEFAULTS);
      settings.set(uri, s);
    }
    return s;
  };

  const publish = (doc: TextDocument) => {
    const ev = rules.evaluation(doc.uri);
    // Test outcomes are located by line, so they only count for the exact text they were run on.
    const evaluation = ev && (ev.current ? ev.result : { ...ev.result, tests: [] });
    const diagnostics: Diagnostic[] = validate(parsedOf(doc), catalog, evaluation);
    const failure = rules.failure(doc.uri);
    if (failure) {
      diagnostics.push({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: DiagnosticSeverity.Warning, source: 'foresight', code: 'evaluation-stopped', message: `Tests and figures are not up to date: ${failure}.` });
    }
    void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  };

  const evaluateNow = async (uri: string) => {
    const doc = documents.get(uri);
    if (!doc) return;
    const text = doc.getText();
    const outcome = await worker.evaluate(text, catalog.all());
    if (outcome.ok) rules.setEvaluation(uri, text, outcome.result);
    else rules.setFailure(uri, outcome.message);
    const open = documents.get(uri);
    if (!open) return;
    publish(open);
    if (canRefreshLenses) void connection.sendRequest(CodeLensRefreshRequest.type);
    const result = outcome.ok ? outcome.result : undefined;
    connection.sendNotification(notificationType(EvaluatedNotification), {
      uri,
      version: doc.version,
      sessions: result?.sessions ?? 0,
      figures: result?.figures ?? [],
      testsPassed: result?.tests.filter((t) => t.passed).length ?? 0,
      testsFailed: result?.tests.filter((t) => !t.passed).length ?? 0,
      ...(outcome.ok ? {} : { failure: outcome.message }),
    });
    // The ReDoS checker works within a time budget; carry on with the patterns it has not reached.
    if (result && result.uncheckedPatterns > 0) schedule(uri, 0);
  };

  const schedule = (uri: string, delayMs: number) => rules.debounce(uri, delayMs, () => void evaluateNow(uri));

  const linkSessions = async (paths: string[]) => {
    let loaded: { tools: ToolSpec[]; sessions: number; problems: string[] };
    try {
      loaded = await worker.setSessions(paths);
    } catch (err) {
      loaded = { tools: [], sessions: 0, problems: [`cannot load sessions: ${err instanceof Error ? err.message : String(err)}`] };
    }
    catalog.setSessionTools(loaded.tools);
    connection.sendNotification(notificationType(SessionsLoadedNotification), { sessions: loaded.sessions, tools: loaded.tools.length, problems: loaded.problems });
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

  connection.onInitialize((params) => {
    const options = (params.initializationOptions ?? {}) as SniffInitializationOptions;
    startSessions = Array.isArray(options.sessionPaths) ? options.sessionPaths.filter((p) => typeof p === 'string') : [];
    if (Array.isArray(options.tools)) catalog.setClientTools(options.tools);
    canAskConfiguration = params.capabilities.workspace?.configuration === true;
    canRefreshLenses = params.capabilities.workspace?.codeLens?.refreshSupport === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        completionProvider: { triggerCharacters: [' ', '<', '/', ':'] },
        hoverProvider: true,
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
  connection.onNotification(notificationType(SetSessionsNotification), (params) => void linkSessions(Array.isArray(params?.paths) ? params.paths : []));
  connection.onNotification(notificationType(SetToolsNotification), (params) => {
    catalog.setClientTools(Array.isArray(params?.tools) ? params.tools : []);
    for (const doc of documents.all()) publish(doc);
  });

  documents.onDidOpen((e) => schedule(e.document.uri, 0));
  documents.onDidChangeContent((e) => {
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
  connection.onCompletion((p) => withDoc(p.textDocument.uri, [], (doc) => complete(parsedOf(doc), p.position, catalog)));
  connection.onHover((p) => withDoc(p.textDocument.uri, null, (doc) => hover(parsedOf(doc), p.position, catalog, rules.evaluation(doc.uri)?.figures)));
  connection.onCodeLens((p) =>
    withDoc(p.textDocument.uri, [], (doc) => {
      const ev = rules.evaluation(doc.uri);
      return codeLenses(parsedOf(doc), doc.uri, ev?.figures, ev?.result.figuresNote ?? rules.failure(doc.uri));
    }),
  );
  connection.onCodeAction((p) => withDoc(p.textDocument.uri, [], (doc) => quickFixes(parsedOf(doc), doc.uri, p.context.diagnostics, catalog)));
  connection.onDocumentFormatting((p) => withDoc(p.textDocument.uri, [], (doc) => formatRules(doc.getText())));
  connection.onDocumentSymbol((p) => withDoc(p.textDocument.uri, [], (doc) => documentSymbols(parsedOf(doc))));
  connection.onFoldingRanges((p) => withDoc(p.textDocument.uri, [], (doc) => foldingRanges(parsedOf(doc))));
  connection.onRequest(requestType(TestRuleRequest), (p) => testRule(p.uri, p.ruleId));
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
  connection.onShutdown(() => worker.dispose());

  documents.listen(connection);
  connection.listen();
}

// The transport (IPC from VS Code, or --stdio for any other client) is chosen from argv by createConnection.
const connection = createConnection(ProposedFeatures.all);
// A server that dies takes the editor's rule support with it: log a stray rejection, never exit on it.
process.on('unhandledRejection', (reason) => connection.console.error(`foresight-sniff: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`));
serve(connection);
