import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FencedBlockReader, MAX_BLOCK } from '../../../src/core/sniff/fenced-block.js';

function read(text: string, chunk: number) {
  const r = new FencedBlockReader();
  const out = [];
  for (let i = 0; i < text.length; i += chunk) out.push(...r.push(text.slice(i, i + chunk)));
  out.push(...r.flush());
  return out;
}

describe('FencedBlockReader', () => {
  const text = 'First a note.\nRun this:\n```sh\nping -c 1 host\n```\nafter';

  it('hands out each block once, with its language, offsets and lead, however the text is cut', () => {
    for (const chunk of [1, 4, 1000]) {
      const blocks = read(text, chunk);
      assert.equal(blocks.length, 1);
      const b = blocks[0]!;
      assert.equal(b.code, 'ping -c 1 host');
      assert.equal(b.language, 'sh');
      assert.equal(text.slice(b.start, b.end), '```sh\nping -c 1 host\n```');
      assert.ok(b.lead.endsWith('Run this:\n'));
    }
  });

  it('drops a block longer than the bound', () => {
    assert.deepEqual(read('```\n' + 'x'.repeat(MAX_BLOCK + 10) + '\n```\n', 64), []);
  });
});
