import type { RecordedSpecReasonMetrics } from '../session/format.js';

function ms(value: number): string {
  return value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(2)} s`;
}

function plural(n: number, one: string): string {
  return `${n} ${one}${n === 1 ? '' : 's'}`;
}

/**
 * A SpecReason turn's figures in one line a person reads: steps and how each was decided, the
 * acceptance rate with what it divides, tokens and time by each model, the mode's time and
 * beside it the base model alone's, or "not measured" when it was not (never estimated).
 */
export function specReasonFiguresText(m: RecordedSpecReasonMetrics): string {
  const judged = m.accepted + m.rejected;
  const rate = m.acceptanceRate === null ? 'no draft step judged' : `acceptance ${Math.round(m.acceptanceRate * 100)}% (${m.accepted} of ${judged} judged)`;
  const unscored = m.unscored > 0 ? `, ${m.unscored} unscored` : '';
  const steps = `${plural(m.steps, 'step')}: ${m.accepted} accepted, ${m.rejected} rejected${unscored}, ${m.reserved} reserved; ${rate}`;
  const models = `draft ${m.draft.tokens} tokens in ${ms(m.draft.ms)} (${plural(m.draft.calls, 'call')}); base ${m.base.tokens} tokens in ${ms(m.base.ms)} (${plural(m.base.calls, 'call')}); judge ${ms(m.judge.ms)} (${plural(m.judge.calls, 'call')})`;
  const b = m.baseOnly;
  const alone = !b ? 'base model alone: not measured' : b.kind === 'failed' ? `base model alone: measurement failed (${b.message})` : `base model alone ${ms(b.ms)}, ${b.tokens} tokens (measured after the turn)`;
  return `${steps} · ${models} · SpecReason ${ms(m.totalMs)}, ${alone}`;
}
