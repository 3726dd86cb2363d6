import type { ToolSpec } from '../../core/chat/types.js';
import type { EvaluationResult } from '../analysis/evaluation-result.js';

/** What the server's main thread asks its evaluation worker. */
export type WorkerRequest =
  | { id: number; type: 'setSessions'; paths: string[] }
  | { id: number; type: 'evaluate'; text: string; tools: ToolSpec[]; testsOnly?: boolean };

/** What the worker answers, by the request's id. */
export type WorkerResponse =
  | { id: number; type: 'sessions'; tools: ToolSpec[]; sessions: number; problems: string[] }
  | { id: number; type: 'evaluated'; result: EvaluationResult }
  | { id: number; type: 'failed'; message: string };
