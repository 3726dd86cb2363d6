import type { RuleFigures } from '../../core/tuning/rule-figures.js';

/**
 * The code lens line of a rule's figures: "N hits · M misfires · lead X chars on K sessions". A
 * role rule's 0 hits says so when the schema sniffer found its tools' calls, so it does not
 * read as the calls being missed.
 */
export function figuresTitle(f: RuleFigures): string {
  const lead = f.leadCharsMedian === null ? 'no lead' : `lead ${Math.round(f.leadCharsMedian)} chars`;
  const hits = f.hits + f.warmHits;
  const found = f.schemaFound ?? 0;
  const hitText = hits === 0 && found > 0 ? `0 hits from this rule's patterns; ${count(found, 'call')} of its tools found by the schema sniffer` : count(hits, 'hit');
  return `${hitText} · ${count(f.misfires, 'misfire')} · ${lead} on ${count(f.sessions, 'session')}`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
