import type { Diagnostic } from 'vscode-languageserver';
import type { ToolSpec } from '../core/chat/types.js';
import { validate } from './analysis/diagnostics.js';
import type { EvaluationResult } from './analysis/evaluation-result.js';
import { parseDocument } from './analysis/parsed-document.js';
import { ToolCatalog } from './analysis/tool-catalog.js';

/** Everything the diagnostics of one version depend on; plain data, so it crosses to a worker thread. */
export interface AnalysisInput {
  text: string;
  /** The merged catalog (`ToolCatalog.all()`). */
  tools: ToolSpec[];
  /** The last evaluation, its test outcomes dropped unless made of exactly this text. */
  evaluation?: EvaluationResult;
}

/** Parses and validates one version of a rule file. Pure; costs O(text), so large files run it off the main thread. */
export function analyseRuleText(input: AnalysisInput): Diagnostic[] {
  const catalog = new ToolCatalog();
  catalog.setClientTools(input.tools);
  return validate(parseDocument(input.text), catalog, input.evaluation);
}
