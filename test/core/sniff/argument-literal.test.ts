import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readKeywordArguments, readLiteral } from '../../../src/core/sniff/argument-literal.js';

describe('readLiteral', () => {
  const cases: [string, unknown][] = [
    ['{"city": "Oslo", "days": 3} and more', { city: 'Oslo', days: 3 }],
    ["{'city': 'Oslo', 'alerts': True, 'region': None}", { city: 'Oslo', alerts: true, region: null }],
    ['{city: "Rome", tags: ["a", "b"],}', { city: 'Rome', tags: ['a', 'b'] }],
    ['["x", 2, false]', ['x', 2, false]],
    ['{"note": "say \\"hi\\""}', { note: 'say "hi"' }],
  ];
  for (const [text, value] of cases) {
    it(`reads ${text}`, () => assert.deepEqual(readLiteral(text, 0)?.value, value));
  }

  it('reads nothing from prose with a stray brace', () => {
    assert.equal(readLiteral('{ this is not code', 0), undefined);
    assert.equal(readLiteral('{"city": "Oslo"', 0), undefined);
  });
});

describe('readKeywordArguments', () => {
  it('reads name=value pairs up to the closing parenthesis', () => {
    assert.deepEqual(readKeywordArguments('city="Lima", days=5, units=metric) then', 0)?.value, { city: 'Lima', days: 5, units: 'metric' });
  });

  it('reads nothing from a positional call', () => {
    assert.equal(readKeywordArguments('"Lima")', 0), undefined);
  });
});
