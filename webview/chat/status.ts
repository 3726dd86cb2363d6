import type { BackendReadiness } from '../../src/shared/protocol.js';
import { statusText, type RunStatus } from './transcript.js';

/** The status line and its kind (the CSS colours `error`). */
export interface ChatStatusLine {
  text: string;
  kind: RunStatus['kind'] | 'starting';
}

/**
 * What the status line says: a run's status as the transcript has it, except that an idle
 * chat says "ready" only once the host reported the backend ready (endpoint open, tools
 * listed); before that it says what it is waiting for, and after a failure, why.
 */
export function chatStatus(run: RunStatus, readiness: BackendReadiness): ChatStatusLine {
  if (run.kind !== 'ready') return { text: statusText(run), kind: run.kind };
  switch (readiness.kind) {
    case 'opening':
      return { text: 'starting the endpoint…', kind: 'starting' };
    case 'listingTools':
      return { text: 'starting the tools…', kind: 'starting' };
    case 'failed':
      return { text: `not ready: ${readiness.problem}`, kind: 'error' };
    case 'ready':
      return { text: 'ready', kind: 'ready' };
  }
}
