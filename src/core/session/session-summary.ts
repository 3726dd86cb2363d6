import type { Session } from './format.js';

/** What the Sessions view shows of one session. */
export interface SessionSummary {
  title: string;
  /** ISO date, or '' when the session does not say (see `sessionDate`). */
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
    createdAt: sessionDate(session.header.createdAt),
    model: session.header.model,
    turns: session.turns.length,
    hits,
  };
}

/** Before this no session was recorded: an earlier date is a placeholder (an import's epoch), not a date. */
const FIRST_REAL_DATE = Date.UTC(2000, 0, 1);

/**
 * A header's `createdAt` as an ISO date worth showing, or '' when it is missing, unreadable
 * or a placeholder (the epoch that importers and hand-written files put where the source
 * gave no date): the caller then shows another date (the file's) or none, never 1970.
 */
export function sessionDate(createdAt: string | undefined): string {
  if (!createdAt) return '';
  const time = Date.parse(createdAt);
  if (!Number.isFinite(time) || time < FIRST_REAL_DATE) return '';
  return new Date(time).toISOString();
}

/** How the Sessions view writes a date: `YYYY-MM-DD HH:MM`, in UTC as recorded. */
export function listedDate(iso: string): string {
  return iso ? iso.slice(0, 16).replace('T', ' ') : '';
}
