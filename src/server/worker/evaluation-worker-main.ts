import { parentPort } from 'node:worker_threads';
import type { ToolSpec } from '../../core/chat/types.js';
import { loadSessions } from '../../core/session/load-sessions.js';
import { digestSession } from '../../core/tuning/session-digest.js';
import { RuleEvaluator } from '../analysis/rule-evaluator.js';
import type { WorkerRequest, WorkerResponse } from './worker-messages.js';

// The worker thread of the language server: runs untrusted regexes (tests, re-sniffing, the
// ReDoS checker) so the server's main thread keeps answering; the main thread kills it on a timeout.
const port = parentPort;
if (!port) throw new Error('evaluation-worker must run as a worker thread');
const evaluator = new RuleEvaluator();

async function handle(request: WorkerRequest): Promise<WorkerResponse> {
  switch (request.type) {
    case 'setSessions': {
      const { sessions, problems } = await loadSessions(request.paths);
      evaluator.setSessions(sessions.map((s) => digestSession(s)));
      const tools = new Map<string, ToolSpec>();
      for (const s of sessions) for (const t of s.header.tools) tools.set(t.function.name, t);
      return { id: request.id, type: 'sessions', tools: [...tools.values()], sessions: sessions.length, problems: problems.map((p) => `${p.file}:${p.line}: ${p.message}`) };
    }
    case 'evaluate':
      return { id: request.id, type: 'evaluated', result: await evaluator.evaluate(request.text, request.tools, request.testsOnly === true) };
  }
}

port.on('message', (request: WorkerRequest) => {
  handle(request).then(
    (response) => port.postMessage(response),
    (err: unknown) => port.postMessage({ id: request.id, type: 'failed', message: err instanceof Error ? err.message : String(err) } satisfies WorkerResponse),
  );
});
