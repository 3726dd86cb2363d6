import { Worker, type MessagePort } from 'node:worker_threads';
import type { Diagnostic } from 'vscode-languageserver';
import { analyseRuleText, type AnalysisInput } from './document-analysis.js';

/** The `workerData` that makes the server bundle run as its own analysis thread instead of a server. */
export const ANALYSIS_THREAD_MARK = 'foresight-sniff-analysis';

/** An analysis stopped because its thread was restarted for newer work; the caller asks again. */
export class AnalysisCancelled extends Error {}

type Answer = { id: number; ok: true; diagnostics: Diagnostic[] } | { id: number; ok: false; message: string };

/**
 * Parsing and validating a large rule file takes a second per megabyte: done on the server's
 * main thread it would hold every hover and completion behind it. This thread does it instead;
 * the main thread only posts the text and publishes what comes back. The thread runs only our
 * own parser (never a user's regex on text), so it needs no deadline.
 */
export class AnalysisThread {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { tag: string; chars: number; resolve: (d: Diagnostic[]) => void; reject: (e: Error) => void }>();

  constructor(private readonly scriptPath: string) {}

  /** `tag` names what the text is a version of (its uri), for `cancelIfBusyWith`. */
  analyse(input: AnalysisInput, tag: string): Promise<Diagnostic[]> {
    const id = this.nextId++;
    const worker = this.ensureWorker();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { tag, chars: input.text.length, resolve, reject });
      worker.postMessage({ id, input });
    });
  }

  /**
   * Stops the thread if it is busy with a version of `tag` of at least `chars` characters, which
   * the caller knows to be stale: finishing a large analysis nobody will see costs more than starting a
   * thread. Every analysis in flight then rejects with `AnalysisCancelled`.
   */
  cancelIfBusyWith(tag: string, chars: number): boolean {
    if (![...this.pending.values()].some((p) => p.tag === tag && p.chars >= chars)) return false;
    const old = this.worker;
    this.worker = undefined;
    this.failAll('superseded by a newer version', AnalysisCancelled);
    void old?.terminate();
    return true;
  }

  dispose(): void {
    this.failAll('the server is shutting down');
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.scriptPath, { workerData: ANALYSIS_THREAD_MARK });
    worker.unref();
    worker.on('message', (answer: Answer) => {
      const p = this.pending.get(answer.id);
      if (!p) return;
      this.pending.delete(answer.id);
      if (answer.ok) p.resolve(answer.diagnostics);
      else p.reject(new Error(answer.message));
    });
    const gone = (message: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.failAll(message);
    };
    worker.on('error', (err) => gone(`the analysis thread failed: ${err.message}`));
    worker.on('exit', (code) => gone(`the analysis thread exited with code ${code}`));
    this.worker = worker;
    return worker;
  }

  private failAll(message: string, kind: new (message: string) => Error = Error): void {
    for (const p of this.pending.values()) p.reject(new kind(message));
    this.pending.clear();
  }
}

/** The thread's side: answers each posted text with its diagnostics, one at a time. */
export function serveAnalysis(port: MessagePort): void {
  port.on('message', ({ id, input }: { id: number; input: AnalysisInput }) => {
    let answer: Answer;
    try {
      answer = { id, ok: true, diagnostics: analyseRuleText(input) };
    } catch (err) {
      answer = { id, ok: false, message: err instanceof Error ? err.message : String(err) };
    }
    port.postMessage(answer);
  });
}
