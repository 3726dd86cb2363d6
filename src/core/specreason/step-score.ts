/**
 * How a judge's one-token answer becomes a score: `greedy` takes the digit it emitted;
 * `weighted` takes the probability-weighted mean of the digits among its top alternatives.
 */
export type ScoringMethod = 'greedy' | 'weighted';

/** One alternative of `choices[0].logprobs.content[0].top_logprobs`. */
export interface TokenLogprob {
  token: string;
  logprob: number;
}

/** The judge's one token as the endpoint reports it (`choices[0].logprobs.content[0]`). */
export interface JudgeToken extends TokenLogprob {
  top_logprobs?: TokenLogprob[];
}

/**
 * A judge's verdict on a step. `unscored` is a defined outcome, not an error: with `nonDigit`
 * the greedy judge emitted something other than a digit; with `noDigits` no digit was among
 * the alternatives the weighted method reads. The step loop rejects an unscored step (the base
 * model writes it), so an unclear judge never lets a draft through.
 */
export type StepScore =
  | { kind: 'scored'; method: ScoringMethod; score: number; token: string }
  | { kind: 'unscored'; method: ScoringMethod; reason: 'nonDigit' | 'noDigits'; token: string };

/** Weighted scores this close below the threshold count as at it, so 7.0 computed as 6.9999999 still passes. */
const TIE_EPSILON = 1e-9;

/** The digit a token stands for: its text without surrounding whitespace is one of 0-9. */
export function digitOf(token: string): number | undefined {
  const t = token.trim();
  return t.length === 1 && t >= '0' && t <= '9' ? Number(t) : undefined;
}

/**
 * Scores the judge's token. Greedy: the emitted digit, whatever the alternatives say.
 * Weighted: each digit's probability is summed over the alternatives that spell it (" 7" and
 * "7" both count for 7; the emitted token counts if the list lacks it), the digits missing from
 * the list count as zero, and the mean is renormalised over the digits present.
 */
export function scoreJudgeToken(entry: JudgeToken, method: ScoringMethod): StepScore {
  if (method === 'greedy') {
    const digit = digitOf(entry.token);
    return digit === undefined ? { kind: 'unscored', method, reason: 'nonDigit', token: entry.token } : { kind: 'scored', method, score: digit, token: entry.token };
  }
  const alternatives = [...(entry.top_logprobs ?? [])];
  if (!alternatives.some((a) => a.token === entry.token)) alternatives.push({ token: entry.token, logprob: entry.logprob });
  let mass = 0;
  let sum = 0;
  for (const a of alternatives) {
    const digit = digitOf(a.token);
    if (digit === undefined || !Number.isFinite(a.logprob)) continue;
    const p = Math.exp(a.logprob);
    mass += p;
    sum += p * digit;
  }
  if (mass <= 0) return { kind: 'unscored', method, reason: 'noDigits', token: entry.token };
  return { kind: 'scored', method, score: sum / mass, token: entry.token };
}

/** A step is kept when it was scored at or above the threshold; an unscored step never is. */
export function isAccepted(score: StepScore, threshold: number): boolean {
  return score.kind === 'scored' && score.score >= threshold - TIE_EPSILON;
}
