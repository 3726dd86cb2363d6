import * as vscode from 'vscode';
import type { EvaluatedParams, TestOutcome } from '../shared/lsp-protocol.js';

/**
 * Highlights, on each `test` line of an open rule file, the text the rule's pattern matched,
 * from the server's `foresight/evaluated` notification. A decoration rather than an LSP
 * feature: semantic tokens can only recolour text, not give it a background, and document
 * highlights show only around the cursor; the ✓/✗ marks themselves are LSP inlay hints.
 */
export class TestMatchDecorations implements vscode.Disposable {
  private readonly passed = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('editor.findMatchHighlightBackground'),
    borderRadius: '2px',
  });
  private readonly failed = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('editor.findMatchHighlightBackground'),
    border: '1px solid',
    borderColor: new vscode.ThemeColor('editorError.foreground'),
    borderRadius: '2px',
  });
  /** The last outcomes per document, to redraw an editor that is shown again. */
  private readonly last = new Map<string, TestOutcome[]>();
  private readonly listeners: vscode.Disposable[];

  constructor() {
    this.listeners = [
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        for (const editor of editors) this.draw(editor);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.last.delete(doc.uri.toString())),
    ];
  }

  /** Takes one evaluation's outcomes; one made of an older version is dropped, since the next evaluation of the new text is on its way. */
  evaluated(p: EvaluatedParams): void {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === p.uri);
    if (!doc || doc.version !== p.version) return;
    this.last.set(p.uri, p.tests);
    for (const editor of vscode.window.visibleTextEditors) if (editor.document === doc) this.draw(editor);
  }

  private draw(editor: vscode.TextEditor): void {
    const tests = this.last.get(editor.document.uri.toString());
    if (!tests) return;
    const range = (t: TestOutcome) => new vscode.Range(t.line, t.match?.start ?? 0, t.line, t.match?.end ?? 0);
    editor.setDecorations(this.passed, tests.filter((t) => t.match && t.passed).map(range));
    editor.setDecorations(this.failed, tests.filter((t) => t.match && !t.passed).map(range));
  }

  dispose(): void {
    for (const l of this.listeners) l.dispose();
    this.passed.dispose();
    this.failed.dispose();
  }
}
