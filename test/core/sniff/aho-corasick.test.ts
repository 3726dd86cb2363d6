import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LiteralMatcher } from '../../../src/core/sniff/aho-corasick.js';

/** Every (id, end) pair by brute force, for comparison. */
function naive(literals: string[], text: string): string[] {
  const out: string[] = [];
  const lower = text.toLowerCase();
  literals.forEach((l, id) => {
    if (!l) return;
    for (let i = lower.indexOf(l.toLowerCase()); i >= 0; i = lower.indexOf(l.toLowerCase(), i + 1)) out.push(`${id}@${i + l.length}`);
  });
  return out.sort();
}

describe('LiteralMatcher', () => {
  const literals = ['call', 'call get_weather', 'weather', 'he', 'she', 'hers', 'City', 'ID:'];
  const text = 'She said: Call get_Weather with city "Oslo", then call hers. Order ID: 42';

  it('finds every occurrence of every literal, overlapping ones included, ignoring case', () => {
    const m = new LiteralMatcher(literals);
    const got = m.push(text).map((h) => `${h.id}@${h.end}`).sort();
    assert.deepEqual(got, naive(literals, text));
  });

  it('finds the same hits whatever the chunking, with no rescanning', () => {
    for (let size = 1; size <= 7; size++) {
      const m = new LiteralMatcher(literals);
      const got: string[] = [];
      for (let i = 0; i < text.length; i += size) got.push(...m.push(text.slice(i, i + size)).map((h) => `${h.id}@${h.end}`));
      assert.deepEqual(got.sort(), naive(literals, text), `chunk size ${size}`);
      assert.equal(m.position, text.length);
    }
  });

  it('reports nothing for an empty literal list or empty literals', () => {
    assert.deepEqual(new LiteralMatcher([]).push('anything'), []);
    assert.deepEqual(new LiteralMatcher(['']).push('anything'), []);
  });

  it('starts over after reset', () => {
    const m = new LiteralMatcher(['abc']);
    m.push('ab');
    m.reset();
    assert.deepEqual(m.push('c'), []);
    assert.deepEqual(m.push('abc'), [{ id: 0, end: 4 }]);
  });
});
