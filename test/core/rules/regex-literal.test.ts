import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkFlags, lexRegexLiteral, namedGroups } from '../../../src/core/rules/regex-literal.js';

const lex = (text: string) => lexRegexLiteral(text, text.indexOf('/'));

describe('lexRegexLiteral', () => {
  it('ends at the first unescaped slash and takes the flags after it', () => {
    assert.deepEqual(lex('when /a b/i rest'), { ok: true, source: 'a b', flags: 'i', start: 5, flagsStart: 10, end: 11 });
  });

  it('does not end at an escaped slash', () => {
    assert.deepEqual(lex('/a\\/b/'), { ok: true, source: 'a\\/b', flags: '', start: 0, flagsStart: 6, end: 6 });
  });

  it('does not end at a slash inside a character class', () => {
    assert.deepEqual(lex('/[/]x/m'), { ok: true, source: '[/]x', flags: 'm', start: 0, flagsStart: 6, end: 7 });
  });

  it('keeps a class open past an escaped closing bracket', () => {
    assert.deepEqual(lex('/[\\]/]/'), { ok: true, source: '[\\]/]', flags: '', start: 0, flagsStart: 7, end: 7 });
  });

  it('treats an escaped opening bracket as no class', () => {
    assert.deepEqual(lex('/\\[/ x'), { ok: true, source: '\\[', flags: '', start: 0, flagsStart: 4, end: 4 });
  });

  it('is unterminated when the line ends first', () => {
    assert.deepEqual(lex('/abc'), { ok: false, start: 0 });
    assert.deepEqual(lex('/abc\\/'), { ok: false, start: 0 });
    assert.deepEqual(lex('/[a/'), { ok: false, start: 0 });
    assert.deepEqual(lex('/abc\\'), { ok: false, start: 0 });
  });

  it('takes every identifier character after the slash as a flag, so bad ones can be reported', () => {
    assert.deepEqual(lex('/a/gimx9 confidence'), { ok: true, source: 'a', flags: 'gimx9', start: 0, flagsStart: 3, end: 8 });
  });
});

describe('checkFlags', () => {
  it('accepts i, m, s and u in any order', () => {
    assert.deepEqual(checkFlags('usmi'), []);
    assert.deepEqual(checkFlags(''), []);
  });

  it('refuses g and y because the sniffer manages scanning', () => {
    assert.deepEqual(checkFlags('gy').map((p) => p.index), [0, 1]);
    assert.match(checkFlags('g')[0]?.message ?? '', /sniffer decides where to scan/);
  });

  it('refuses d and v as unsupported', () => {
    assert.match(checkFlags('d')[0]?.message ?? '', /not supported/);
    assert.match(checkFlags('iv')[0]?.message ?? '', /not supported/);
  });

  it('reports an unknown flag and a repeated one at their offsets', () => {
    assert.deepEqual(checkFlags('ixi').map((p) => p.index), [1, 2]);
    assert.match(checkFlags('ixi')[0]?.message ?? '', /"x" is not a regex flag/);
    assert.match(checkFlags('ixi')[1]?.message ?? '', /given twice/);
  });
});

describe('namedGroups', () => {
  it('lists named groups once each, in order', () => {
    assert.deepEqual(namedGroups('(?<path>\\S+)(?:a|(?<line>\\d+))|(?<path>x)'), ['path', 'line']);
  });

  it('ignores lookbehinds', () => {
    assert.deepEqual(namedGroups('(?<=a)(?<!b)(?<name>c)'), ['name']);
  });

  it('ignores escaped parentheses', () => {
    assert.deepEqual(namedGroups('\\(?<fake>x\\)(?<real>y)'), ['real']);
  });

  it('ignores parentheses inside a character class', () => {
    assert.deepEqual(namedGroups('[(?<fake>]x(?<real>y)'), ['real']);
  });

  it('reads a group after an escaped backslash', () => {
    assert.deepEqual(namedGroups('\\\\(?<after>x)'), ['after']);
  });

  it('finds no groups in a pattern without any', () => {
    assert.deepEqual(namedGroups('(a)(?:b)\\k<x>'), []);
  });
});
