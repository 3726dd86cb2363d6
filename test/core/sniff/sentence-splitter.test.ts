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
