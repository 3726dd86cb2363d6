import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { linearForm } from '../../../src/core/rules/linear-form.js';

// Texts with the case pairs a rewrite could get wrong: ASCII, Latin-1, Greek final sigma,
// the Kelvin sign and long s (which fold into ASCII only under the u flag), dotted I.
const TEXTS = ['Read FILE a.ts', 'read file A.TS', 'ÉTÉ été Été', 'ΣΑΣ σας ς', 'K k \u212a s S \u017f', 'İstanbul istanbul ISTANBUL', 'line one\nline two\r\nthree', 'x-y_z 42', ''];

function sameMatches(source: string, flags: string): void {
  const form = linearForm(source, flags);
  assert.ok(form.ok, `${source}/${flags}: ${form.ok ? '' : form.blocker}`);
  const original = new RegExp(source, `${flags}g`);
  const rewritten = new RegExp(form.source, `${form.flags}g`);
  for (const text of TEXTS) {
    const want = [...text.matchAll(original)].map((m) => `${m.index}:${m[0]}:${JSON.stringify(m.groups ?? {})}`);
    const got = [...text.matchAll(rewritten)].map((m) => `${m.index}:${m[0]}:${JSON.stringify(m.groups ?? {})}`);
    assert.deepEqual(got, want, `/${source}/${flags} on ${JSON.stringify(text)}`);
  }
}

describe('linearForm', () => {
  it('spells out the i flag as classes of case variants, matching what the original matches', () => {
    for (const source of ['read (?:the )?file (?<path>\\S+)', 'été', '[a-z]+', '[^a-z\\s]+', '[é-ë]+', 'σ+', '\\x4b', '[k]', 's+', 'i\\w*', '[-a]', '[a-]', '(?:[a-zé]+,?)+']) {
      sameMatches(source, 'i');
    }
  });

  it('turns the s flag into [\\s\\S] for the dot, and drops the m flag when there is no ^ or $', () => {
    sameMatches('line.+', 's');
    sameMatches('one.two', 's');
    sameMatches('l(?<w>\\w+)', 'm');
    sameMatches('LINE.', 'ims');
    assert.deepEqual(linearForm('a.b', 's'), { ok: true, source: 'a[\\s\\S]b', flags: '' });
  });

  it('names what the linear-time engine cannot take', () => {
    assert.deepEqual(linearForm('(?:a+)+$', 'u'), { ok: false, blocker: 'the u flag' });
    assert.deepEqual(linearForm('^(?:a+)+$', 'm'), { ok: false, blocker: 'the m flag with ^ or $' });
    assert.deepEqual(linearForm('(?=x)(?:a+)+', ''), { ok: false, blocker: 'a lookahead' });
    assert.deepEqual(linearForm('(a)\\1+', 'i'), { ok: false, blocker: 'a backreference' });
  });

  it('leaves a pattern without i, s or m as it is', () => {
    assert.deepEqual(linearForm('(?<city>[A-Z][a-z]+)', ''), { ok: true, source: '(?<city>[A-Z][a-z]+)', flags: '' });
  });
});
