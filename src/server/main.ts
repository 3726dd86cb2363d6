import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type Diagnostic, DiagnosticSeverity } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseRules } from '../core/rules/rule-parser.js';

// The transport (IPC from VS Code, or --stdio for any other client) is chosen from argv by
// createConnection itself.
const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

connection.onInitialize(() => ({
  capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental },
  serverInfo: { name: 'foresight-sniff', version: '0.1.0' },
}));

/** Diagnostics of a rule file: the parser's problems, as they are. */
function diagnose(text: string): Diagnostic[] {
  return parseRules(text).problems.map((p) => ({
    range: p.range,
    message: p.message,
    severity: p.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: p.code,
    source: 'foresight',
  }));
}

documents.onDidChangeContent((change) => {
  void connection.sendDiagnostics({ uri: change.document.uri, diagnostics: diagnose(change.document.getText()) });
});
documents.onDidClose((e) => {
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});

documents.listen(connection);
connection.listen();
