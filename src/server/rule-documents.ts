import type { RuleFigures } from '../core/tuning/rule-figures.js';
import type { EvaluationResult } from './analysis/evaluation-result.js';
import { parseDocument, type ParsedDocument } from './analysis/parsed-document.js';

interface DocumentState {
  /** The main thread's own parse, made only when a request needs the whole file. */
  parse?: { version: number; parsed: ParsedDocument };
  /** The last finished evaluation and the text it was made of. */
  evaluation?: { text: string; result: EvaluationResult; figures: Map<string, RuleFigures> };
  failure?: string;
  /** Analyses started for diagnostics so far, published or overtaken; the coalescing skips most versions of a burst. */
  analyses: number;
}

/**
 * The open rule files as the server knows them: a parse per version when a request needs one,
 * the last evaluation made off the main thread, and a count of analyses. Owned by the server's
 * wiring; no module-level state.
 */
export class RuleDocuments {
  private readonly states = new Map<string, DocumentState>();
  /** Pending evaluations by document; kept apart from the state so a job may be queued before it. */
  private readonly timers = new Map<string, NodeJS.Timeout>();

  /** The parse of this version, made now if it is new. */
  parsed(uri: string, version: number, text: string): ParsedDocument {
    const state = this.state(uri);
    if (state.parse && state.parse.version === version && state.parse.parsed.text === text) return state.parse.parsed;
    const parsed = parseDocument(text);
    state.parse = { version, parsed };
    return parsed;
  }

  /** The parse of this version if one was made already; never parses. */
  parsedIfMade(uri: string, version: number): ParsedDocument | undefined {
    const parse = this.states.get(uri)?.parse;
    return parse?.version === version ? parse.parsed : undefined;
  }

  /** The last evaluation; `current` only when it was made of exactly `text` (test lines still line up). */
  evaluation(uri: string, text: string): { result: EvaluationResult; figures: Map<string, RuleFigures>; current: boolean } | undefined {
    const state = this.states.get(uri);
    if (!state?.evaluation) return undefined;
    return { ...state.evaluation, current: state.evaluation.text === text };
  }

  failure(uri: string): string | undefined {
    return this.states.get(uri)?.failure;
  }

  setEvaluation(uri: string, text: string, result: EvaluationResult): void {
    const state = this.state(uri);
    state.evaluation = { text, result, figures: new Map(result.figures.map((f) => [f.ruleId, f])) };
    state.failure = undefined;
  }

  setFailure(uri: string, message: string): void {
    this.state(uri).failure = message;
  }

  /** Counts one more analysis of `uri` started; returns how many there have been. */
  countAnalysis(uri: string): number {
    return ++this.state(uri).analyses;
  }

  /** Runs `job` after `delayMs` of quiet for this document, replacing any job already waiting. */
  debounce(uri: string, delayMs: number, job: () => void): void {
    clearTimeout(this.timers.get(uri));
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        job();
      }, delayMs),
    );
  }

  close(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.states.delete(uri);
  }

  uris(): string[] {
    return [...this.states.keys()];
  }

  private state(uri: string): DocumentState {
    let state = this.states.get(uri);
    if (!state) this.states.set(uri, (state = { analyses: 0 }));
    return state;
  }
}
