import type { RuleFigures } from '../../core/tuning/rule-figures.js';

/** The code lens line of a rule's figures: "N hits · M misfires · lead X chars on K sessions". */
export function figuresTitle(f: RuleFigures): string {
  const lead = f.leadCharsMedian === null ? 'no lead' : `lead ${Math.round(f.leadCharsMedian)} chars`;
  return `${count(f.hits + f.warmHits, 'hit')} · ${count(f.misfires, 'misfire')} · ${lead} on ${count(f.sessions, 'session')}`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
