import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRules } from '../../../src/core/rules/rule-parser.js';
import { quickSafety } from '../../../src/core/rules/safe-pattern.js';
import { PatternScanner, type ScanMatch, type ScanPattern } from '../../../src/core/sniff/pattern-scanner.js';

const patterns: ScanPattern[] = [
  { key: 1, source: 'call get_forecast with city "(?<city>[^"]+)"', flags: 'i', window: 200 },
  { key: 2, source: 'order (?<order_id>\\d+)', flags: '', window: 100 },
  { key: 3, source: '(?<n>\\d+) apples', flags: '', window: 100 },
];

const text = 'First I will call get_forecast with city "Lisbon". Then order 12345 and 7 apples; order 9, and Call GET_FORECAST with city "Oslo".';

function scanIn(size: number): ScanMatch[] {
  const s = new PatternScanner(patterns);
  const out: ScanMatch[] = [];
  for (let i = 0; i < text.length; i += size) out.push(...s.push(text.slice(i, i + size)));
  out.push(...s.flush());
  return out;
}

function oneShot(): string[] {
  const found: string[] = [];
  for (const p of patterns) {
    const re = new RegExp(p.source, p.flags + 'g');
    for (const m of text.matchAll(re)) found.push(`${p.key}:${m.index}:${m[0]}`);
  }
  return found.sort();
}

describe('PatternScanner', () => {
  it('finds exactly what a one-shot regex over the whole text finds, at every chunk size', () => {
    for (let size = 1; size <= 12; size++) {
      const got = scanIn(size).map((m) => `${m.key}:${m.start}:${m.text}`).sort();
      assert.deepEqual(got, oneShot(), `chunk size ${size}`);
    }
  });

  it('finds an anchored pattern whose literal was split across chunks after a long quiet stretch', () => {
    // Anchored patterns only; the quiet stretch makes the scanner drop the text it had kept.
    const anchored: ScanPattern[] = [{ key: 7, source: '\\blet me (?<verb>check|open) the (?<what>\\w+)', flags: 'i', window: 120 }];
    const s = new PatternScanner(anchored);
    const found: ScanMatch[] = [];
    found.push(...s.push(`${'The ledger balances and nothing else needs doing here. '.repeat(6)}So le`));
    found.push(...s.push('t me check the invoices before anything else.'));
    found.push(...s.flush());
    assert.deepEqual(
      found.map((m) => m.groups),
      [{ verb: 'check', what: 'invoices' }],
    );
  });

  it('never reports a number cut short by a chunk boundary', () => {
    const s = new PatternScanner([{ ...patterns[1]!, settle: 1 }]);
    const early = [...s.push('order 123'), ...s.push('45')];
    assert.deepEqual(early, []);
    const done = s.push(' done');
    assert.deepEqual(done.map((m) => m.groups.order_id), ['12345']);
  });

  it('waits a settle margin so a value can still grow past a separator', () => {
    const s = new PatternScanner([{ key: 1, source: 'isbn (?<isbn>[0-9][0-9-]*[0-9])', flags: '', window: 100, settle: 2 }]);
    const early = [...s.push('isbn 978-0'), ...s.push('-')];
    assert.deepEqual(early, []);
    const got = [...s.push('7432-5'), ...s.push(' is it')];
    assert.deepEqual(got.map((m) => m.groups.isbn), ['978-0-7432-5']);
  });

  it('reports a match held at the end of the stream on flush', () => {
    const s = new PatternScanner([patterns[1]!]);
    assert.deepEqual(s.push('order 42'), []);
    assert.deepEqual(s.flush().map((m) => m.groups.order_id), ['42']);
  });

  it('scans a pattern with no required literal too, within its window', () => {
    const s = new PatternScanner([{ key: 9, source: '\\d{3}-\\d{4}', flags: '', window: 40 }]);
    assert.deepEqual(s.unfilteredKeys, [9]);
    const got = [...s.push('call 555-'), ...s.push('0198 now and later')].map((m) => m.text);
    assert.deepEqual(got, ['555-0198']);
  });

  it('leaves out a pattern that does not compile and says why', () => {
    const s = new PatternScanner([{ key: 5, source: '(?<x>', flags: '', window: 10 }]);
    assert.equal(s.rejected[0]?.key, 5);
  });

  it('keeps its buffer bounded on a long stream', () => {
    const s = new PatternScanner(patterns);
    const filler = 'lorem ipsum dolor sit amet '.repeat(40);
    let found = 0;
    for (let i = 0; i < 500; i++) found += s.push(filler).length;
    found += s.push('order 77 and then some more').length;
    assert.equal(found, 1);
    assert.ok((s as unknown as { tail: string }).tail.length < 5000);
  });

  it('scans adversarial reasoning with a risky pattern chunk by chunk to the end', () => {
    // (?:\w+\s?)+ splits a run of letters in exponentially many ways: a backtracking engine would never return.
    const file = parseRules('tool lookup_order\n  when /(?:order|parcel)\\s(?:\\w+\\s?)+ (?<order_id>\\d+)/i\n');
    const pattern = file.rules[0]!.patterns[0]!;
    const scanner = new PatternScanner([{ key: 1, source: pattern.source, flags: pattern.flags, window: 4096 }]);
    const reasoning = `The order ${'x'.repeat(3_000)}! and then parcel tracked 88 is done.`;
    const found = [];
    for (let i = 0; i < reasoning.length; i += 4) found.push(...scanner.push(reasoning.slice(i, i + 4)));
    found.push(...scanner.flush());
    assert.deepEqual(scanner.rejected, []);
    assert.ok(found.some((m) => m.groups['order_id'] === '88'));
  });

  it('leaves a rejected pattern out of a scanner built from its source', () => {
    const scanner = new PatternScanner([{ key: 7, source: '(?<code>a+)+$', flags: 'u', window: 100 }]);
    assert.deepEqual(scanner.rejected.map((r) => r.key), [7]);
    assert.deepEqual([...scanner.push(`${'a'.repeat(5_000)}!`), ...scanner.flush()], []);
  });

  it('runs a risky pattern on the linear-time engine, finding what a one-shot regex finds at every chunk size', () => {
    const risky: ScanPattern = { key: 4, source: 'parcel (?<code>(?:[a-z]+-?)+) shipped', flags: 'i', window: 200 };
    assert.equal(quickSafety(risky.source, risky.flags).kind, 'linear');
    // Short enough for the one-shot backtracking regex to answer.
    const stream = `Parcel ab-cd-EF shipped, then parcel xyz shipped; parcel ${'a'.repeat(12)}-! never.`;
    const want = [...stream.matchAll(new RegExp(risky.source, 'gi'))].map((m) => `${m.index}:${m[0]}`);
    for (let size = 1; size <= 9; size++) {
      const s = new PatternScanner([risky]);
      const got: ScanMatch[] = [];
      for (let i = 0; i < stream.length; i += size) got.push(...s.push(stream.slice(i, i + size)));
      got.push(...s.flush());
      assert.deepEqual(got.map((m) => `${m.start}:${m.text}`), want, `chunk size ${size}`);
    }
  });
});
