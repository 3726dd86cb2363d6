import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { digitOf, isAccepted, scoreJudgeToken, type JudgeToken } from '../../../src/core/specreason/step-score.js';

const ln = Math.log;
/** A judge token from a table of probabilities (written as probabilities for readability). */
const judged = (token: string, top: Record<string, number>): JudgeToken => ({
  token,
  logprob: ln(top[token] ?? 0.01),
  top_logprobs: Object.entries(top).map(([t, p]) => ({ token: t, logprob: ln(p) })),
});

describe('scoring a judge token', () => {
  it('greedy takes the digit the judge emitted, whatever the alternatives say', () => {
    const s = scoreJudgeToken(judged('6', { '6': 0.4, '9': 0.35, '8': 0.25 }), 'greedy');
    assert.deepEqual(s, { kind: 'scored', method: 'greedy', score: 6, token: '6' });
  });

  it('greedy leaves a step unscored when the judge emits a non-digit, even with digits among the alternatives', () => {
    const s = scoreJudgeToken(judged('The', { The: 0.5, '8': 0.3, '9': 0.2 }), 'greedy');
    assert.deepEqual(s, { kind: 'unscored', method: 'greedy', reason: 'nonDigit', token: 'The' });
    assert.equal(isAccepted(s, 0), false);
  });

  it('reads a digit with surrounding whitespace as that digit, but not "7." or "10"', () => {
    assert.equal(digitOf(' 7'), 7);
    assert.equal(digitOf('7\n'), 7);
    assert.equal(digitOf('7.'), undefined);
    assert.equal(digitOf('10'), undefined);
  });

  it('weighted takes the probability-weighted mean of the digits, renormalised over the digits present', () => {
    // 0.3 of the mass is on a non-digit and digits 0-5 and 7 are missing: they count as zero.
    const s = scoreJudgeToken(judged('8', { '8': 0.4, Sure: 0.3, '6': 0.2, '9': 0.1 }), 'weighted');
    assert.equal(s.kind, 'scored');
    assert.ok(s.kind === 'scored' && Math.abs(s.score - (8 * 0.4 + 6 * 0.2 + 9 * 0.1) / 0.7) < 1e-12);
  });

  it('weighted sums the alternatives that spell the same digit', () => {
    const s = scoreJudgeToken(judged('2', { '2': 0.5, ' 2': 0.25, '6': 0.25 }), 'weighted');
    assert.ok(s.kind === 'scored' && Math.abs(s.score - 3) < 1e-12);
  });

  it('weighted counts the emitted token when the alternatives leave it out', () => {
    const entry: JudgeToken = { token: '9', logprob: ln(0.5), top_logprobs: [{ token: '5', logprob: ln(0.5) }] };
    const s = scoreJudgeToken(entry, 'weighted');
    assert.ok(s.kind === 'scored' && Math.abs(s.score - 7) < 1e-12);
  });

  it('weighted scores from the alternatives when the judge emitted a non-digit', () => {
    const s = scoreJudgeToken(judged('Okay', { Okay: 0.9, '4': 0.1 }), 'weighted');
    assert.ok(s.kind === 'scored' && Math.abs(s.score - 4) < 1e-12);
  });

  it('weighted leaves a step unscored when no digit is among the alternatives', () => {
    const s = scoreJudgeToken(judged('Okay', { Okay: 0.7, Let: 0.3 }), 'weighted');
    assert.deepEqual(s, { kind: 'unscored', method: 'weighted', reason: 'noDigits', token: 'Okay' });
    assert.equal(isAccepted(s, 0), false);
  });

  it('weighted ignores an alternative whose logprob is not finite', () => {
    const entry: JudgeToken = { token: '8', logprob: ln(1), top_logprobs: [{ token: '8', logprob: 0 }, { token: '1', logprob: -Infinity }] };
    const s = scoreJudgeToken(entry, 'weighted');
    assert.ok(s.kind === 'scored' && s.score === 8);
  });
});

describe('accepting a scored step', () => {
  it('accepts a greedy score equal to the threshold and rejects one below', () => {
    assert.equal(isAccepted({ kind: 'scored', method: 'greedy', score: 7, token: '7' }, 7), true);
    assert.equal(isAccepted({ kind: 'scored', method: 'greedy', score: 6, token: '6' }, 7), false);
  });

  it('accepts a weighted mean that lands on the threshold despite rounding, and rejects one just below', () => {
    const tie = scoreJudgeToken(judged('6', { '6': 0.7, '9': 0.1, '8': 0.1, '4': 0.1 }), 'weighted');
    assert.ok(tie.kind === 'scored' && Math.abs(tie.score - 6.3) < 1e-9);
    assert.equal(isAccepted(tie, 6.3), true);
    const exact = scoreJudgeToken(judged('6', { '6': 0.5, '8': 0.5 }), 'weighted');
    assert.equal(isAccepted(exact, 7), true);
    const below = scoreJudgeToken(judged('6', { '6': 0.51, '8': 0.49 }), 'weighted');
    assert.equal(isAccepted(below, 7), false);
  });
});
