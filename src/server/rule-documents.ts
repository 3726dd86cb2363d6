import type { RuleFigures } from '../core/tuning/rule-figures.js';
import type { EvaluationResult } from './analysis/evaluation-result.js';
import { parseDocument, type ParsedDocument } from './analysis/parsed-document.js';

interface DocumentState {
  version: number;
  parsed: ParsedDocument;
  /** The last finished evaluation and the text it was made of. */
  evaluation?: { text: string; result: EvaluationResult; figures: Map<string, RuleFigures> };
  failure?: string;
}

/**
 * The open rule files as the server knows them: each parsed once per version, with the last
 * evaluation made off the main thread. Owned by the server's wiring; no module-level state.
 */
export class RuleDocuments {
  private readonly states = new Map<string, DocumentState>();
  /** Pending evaluations by document; kept apart from the parse so a job may be queued before it. */
  private readonly timers = new Map<string, NodeJS.Timeout>();

  /** The parse of this version, made now if it is new. */
  parsed(uri: string, version: number, text: string): ParsedDocument {
    let state = this.states.get(uri);
    if (state && state.version === version && state.parsed.text === text) return state.parsed;
    const parsed = parseDocument(text);
    if (state) {
      state.version = version;
      state.parsed = parsed;
    } else {
      this.states.set(uri, (state = { version, parsed }));
    }
    return parsed;
  }

  /** The last evaluation; `current` only when it was made of exactly this text (test lines still line up). */
  evaluation(uri: string): { result: EvaluationResult; figures: Map<string, RuleFigures>; current: boolean } | undefined {
    const state = this.states.get(uri);
    if (!state?.evaluation) return undefined;
    return { ...state.evaluation, current: state.evaluation.text === state.parsed.text };
  }

  failure(uri: string): string | undefined {
    return this.states.get(uri)?.failure;
  }

  setEvaluation(uri: string, text: string, result: EvaluationResult): void {
    const state = this.states.get(uri);
    if (!state) return;
    state.evaluation = { text, result, figures: new Map(result.figures.map((f) => [f.ruleId, f])) };
    state.failure = undefined;
  }

  setFailure(uri: string, message: string): void {
    const state = this.states.get(uri);
    if (state) state.failure = message;
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
}
