import type { RecordedTurnMetrics } from '../session/speculation-records.js';
import type { TraceTurnFigures } from '../../shared/protocol.js';

/** The figures the trace panel shows, taken field by field from a turn's speculation metrics. */
export function toTraceFigures(m: RecordedTurnMetrics): TraceTurnFigures {
  return {
    intents: m.intents,
    fired: m.fired,
    hits: m.hits,
    partialHits: m.partialHits,
    misses: m.misses,
    misfires: m.misfires,
    blocked: m.blocked,
    wastedMs: Math.round(m.wastedMs),
    savedMs: Math.round(m.savedMs),
    ttaMs: Math.round(m.ttaMs),
    ttaWithoutMs: Math.round(m.ttaWithoutMs),
    calls: m.calls,
  };
}
