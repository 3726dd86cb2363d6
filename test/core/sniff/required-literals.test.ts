import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { prefixLiterals, requiredLiterals } from '../../../src/core/sniff/required-literals.js';

describe('requiredLiterals', () => {
  it('takes the longest literal run of a plain pattern', () => {
    assert.deepEqual(requiredLiterals('call get_lab_results with patient_id "(?<patient_id>P\\d+)"', 'i'), ['call get_lab_results with patient_id "p']);
  });

  it('takes one literal per alternative of a group when every alternative has one', () => {
    assert.deepEqual(requiredLiterals("\\b(?:let me|I'll|I will) (?:run|execute|write) (?:some |the |a )?(?:code|python|script)\\b", 'i'), ['let me', "i'll", 'i will']);
  });

  it('unions the literals of top-level alternatives', () => {
    assert.deepEqual(requiredLiterals('foo\\d|bar\\s+baz', ''), ['foo', 'bar']);
  });

  it('gives up on a pattern with an alternative that has no useful literal', () => {
    assert.equal(requiredLiterals('foo|\\d+', ''), undefined);
    assert.equal(requiredLiterals('.*?x', ''), undefined);
  });

  it('keeps escaped characters as literals and skips zero-width assertions', () => {
    assert.deepEqual(requiredLiterals('\\(ID:\\b (?<id>\\w+)\\)', ''), ['(id: ']);
  });

  it('does not extend a literal across an optional part', () => {
    assert.deepEqual(requiredLiterals('abc(?:def)?ghij', ''), ['ghij']);
  });

  it('returns undefined for an invalid pattern instead of throwing', () => {
    assert.equal(requiredLiterals('(unclosed', ''), undefined);
  });
});

describe('prefixLiterals', () => {
  it('finds the literal a match must start with, after leading assertions', () => {
    assert.deepEqual(prefixLiterals('\\bevent[\\s_-]?id\\b\\s*:', 'i'), ['event']);
    assert.deepEqual(prefixLiterals('\\b(?:let me|I\'ll) (?:run|check)', 'i'), ['let me', "i'll"]);
  });

  it('says undefined when a match may start elsewhere', () => {
    assert.equal(prefixLiterals('\\d+ apples', ''), undefined);
    assert.equal(prefixLiterals('(?:ab|\\w+)c', ''), undefined);
    assert.equal(prefixLiterals('a?bcd', ''), undefined);
  });
});
