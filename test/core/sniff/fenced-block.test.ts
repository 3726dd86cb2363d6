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

  it('finds a block after a line far too long to be a fence, with the lead just before it, at any cut', () => {
    const long = `${'the reasoning goes on '.repeat(600)}and ends with three backticks \`\`\``;
    const text = `${long}\nso run:\n\`\`\`bash\nls -la\n\`\`\`\n`;
    const lead = text.slice(text.indexOf('```bash') - 160, text.indexOf('```bash'));
    for (const chunk of [1, 7, 256, text.length]) {
      const blocks = read(text, chunk);
      assert.equal(blocks.length, 1, `chunk ${chunk}`);
      assert.equal(blocks[0]!.code, 'ls -la');
      assert.equal(blocks[0]!.language, 'bash');
      assert.equal(blocks[0]!.lead, lead);
      assert.equal(blocks[0]!.start, text.indexOf('```bash'));
    }
  });

  it('drops a block longer than the bound', () => {
    assert.deepEqual(read('```\n' + 'x'.repeat(MAX_BLOCK + 10) + '\n```\n', 64), []);
  });
});
