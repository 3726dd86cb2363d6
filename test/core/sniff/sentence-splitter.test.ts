import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_SENTENCE, SentenceSplitter } from '../../../src/core/sniff/sentence-splitter.js';

function split(text: string, chunk: number): string[] {
  const s = new SentenceSplitter();
  const out: string[] = [];
  for (let i = 0; i < text.length; i += chunk) out.push(...s.push(text.slice(i, i + chunk)).map((x) => x.text));
  out.push(...s.flush().map((x) => x.text));
  return out;
}

describe('SentenceSplitter', () => {
  it('cuts after . ! ? followed by a space and at newlines, whatever the chunk size', () => {
    const text = 'Check the weather. Is it cold? Yes!\nThen book 2.5 hours';
    for (let size = 1; size < 10; size++) assert.deepEqual(split(text, size), ['Check the weather. ', 'Is it cold? ', 'Yes!\n', 'Then book 2.5 hours'], `chunk ${size}`);
  });

  it('does not cut inside a quoted string or an open object', () => {
    assert.deepEqual(split('Say "Stop. Now." to it. Next.', 4), ['Say "Stop. Now." to it. ', 'Next.']);
    assert.deepEqual(split('Args: {\n "a": 1.\n} done. X', 3), ['Args: {\n "a": 1.\n} done. ', 'X']);
  });

  it('reports where each sentence starts', () => {
    const s = new SentenceSplitter();
    const got = [...s.push('One. Two. '), ...s.flush()];
    assert.deepEqual(got.map((x) => x.start), [0, 5]);
  });

  it('cuts a sentence that never ends at the bound, so memory stays bounded', () => {
    const got = split('{'.padEnd(MAX_SENTENCE * 2 + 10, 'a'), 7);
    assert.ok(got.every((t) => t.length <= MAX_SENTENCE));
    assert.equal(got.join('').length, MAX_SENTENCE * 2 + 10);
  });
});

/** The splitter's rules applied to a whole text, one character at a time: what any chunking must give. */
function reference(text: string): { text: string; start: number; brace: boolean }[] {
  const out: { text: string; start: number; brace: boolean }[] = [];
  let start = 0;
  let depth = 0;
  let quote = '';
  const emit = (to: number) => {
    const t = text.slice(start, to);
    if (t.trim() !== '') out.push({ text: t, start, brace: t.includes('{') });
    start = to;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    let end = false;
    if (quote !== '') {
      if (c === quote || c === '\n') quote = '';
      if (c === '\n' && depth === 0) end = true;
    } else if (c === '"' || c === '`') quote = c;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth = Math.max(0, depth - 1);
    else if (depth === 0) end = c === '\n' || (/[ \t\r]/.test(c) && i > 0 && /[.!?]/.test(text[i - 1]!));
    if (end || i + 1 - start >= MAX_SENTENCE) {
      emit(i + 1);
      if (!end) {
        depth = 0;
        quote = '';
      }
    }
  }
  if (start < text.length) emit(text.length);
  return out;
}

/** A deterministic pseudo-random text built from pieces that exercise every rule. */
function randomText(seed: number, length: number): string {
  const pieces = ['Check the order', '. ', '! ', '? ', '.', '\n', ' ', '\t', '"', '`', '{', '}', '[', ']', 'ship it', ' \u00a0 ', '\u201cquoted\u201d', 'caf\u00e9', '  ', 'v2.5', '?!', '\r\n', 'a'];
  let x = seed;
  let out = '';
  while (out.length < length) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out += pieces[x % pieces.length];
  }
  return out.slice(0, length);
}

describe('SentenceSplitter against the rules applied to the whole text', () => {
  it('gives the same sentences, starts and braces for every chunking of varied texts', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const text = randomText(seed, 200 + seed * 7);
      const want = reference(text);
      for (const size of [1, 2, 3, 4, 5, 8, 13, 64, 1000]) {
        const s = new SentenceSplitter();
        const got = [];
        for (let i = 0; i < text.length; i += size) got.push(...s.push(text.slice(i, i + size)));
        got.push(...s.flush());
        assert.deepEqual(got, want, `seed ${seed}, chunk ${size}`);
      }
    }
  });

  it('cuts at the bound inside brackets and quotes exactly where the rules do', () => {
    const text = `Plan: {"a": "${'x. '.repeat(MAX_SENTENCE)}"} done. [${'y'.repeat(MAX_SENTENCE + 5)}. Next. "open ${'z'.repeat(MAX_SENTENCE)}`;
    const want = reference(text);
    for (const size of [1, 4, 7, 256, MAX_SENTENCE, 3 * MAX_SENTENCE]) {
      const s = new SentenceSplitter();
      const got = [];
      for (let i = 0; i < text.length; i += size) got.push(...s.push(text.slice(i, i + size)));
      got.push(...s.flush());
      assert.deepEqual(got, want, `chunk ${size}`);
    }
  });
});
