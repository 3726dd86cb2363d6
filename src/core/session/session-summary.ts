import type { Session } from './format.js';

/** What the Sessions view shows of one session. */
export interface SessionSummary {
  title: string;
  /** ISO date, or '' when the session does not say. */
  createdAt: string;
  model: string;
  turns: number;
  /** Formal calls served from a speculation (full and partial hits). */
  hits: number;
}

/** A session's title, date, model, number of turns and speculative hits, from its header and turns alone. */
export function summarizeSession(session: Session): SessionSummary {
  let hits = 0;
  for (const turn of session.turns) {
    const recorded = turn.speculation?.filter((s) => s.event.type === 'speculation' && s.event.event.type === 'claim' && (s.event.event.outcome === 'hit' || s.event.event.outcome === 'partial')).length;
    hits += recorded ?? turn.toolResults.filter((r) => r.speculative !== undefined).length;
  }
  return {
    title: session.header.title ?? session.header.id,
    createdAt: session.header.createdAt ?? '',
    model: session.header.model,
    turns: session.turns.length,
    hits,
  };
}
