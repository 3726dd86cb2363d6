import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToolSpec } from '../../../src/core/chat/types.js';
import { ArgumentNormalizer } from '../../../src/core/schema/argument-normalizer.js';
import { SchemaSniffer } from '../../../src/core/sniff/schema-sniffer.js';
import { MAX_SENTENCE } from '../../../src/core/sniff/sentence-splitter.js';

const tools: ToolSpec[] = [
  {
    type: 'function',
    function: { name: 'open_ticket', parameters: { type: 'object', properties: { title: { type: 'string' }, priority: { type: 'string' } }, required: ['title'] } },
  },
  {
    type: 'function',
    function: { name: 'get_forecast', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
  },
];

/** Prose that names no tool and no parameter: what most of a long reasoning is. */
const FILLER = 'The printer on the third floor jams again. Someone reported it yesterday. ';
const MENTION = 'So I will call open_ticket with title "Printer jams". ';

function feed(text: string, chunk = 4): SchemaSniffer {
  const s = new SchemaSniffer(tools, new ArgumentNormalizer());
  for (let i = 0; i < text.length; i += chunk) s.push(text.slice(i, i + chunk));
  s.flush();
  return s;
}

describe('SchemaSniffer work, counted', () => {
  it('reads no sentence of prose that names no tool, however long it grows', () => {
    for (const copies of [10, 100, 1000]) {
      const s = feed(FILLER.repeat(copies));
      assert.equal(s.work.sentences, 2 * copies);
      assert.equal(s.work.read, 0, `${copies} copies`);
    }
  });

  it('reads sentences in proportion to the mentions, not to the text around them', () => {
    const reads = (mentions: number, fillerPerMention: number) => feed((FILLER.repeat(fillerPerMention) + MENTION).repeat(mentions)).work;
    const base = reads(10, 5);
    assert.ok(base.read >= 10, `each mention's sentence is read (${base.read})`);
    // Ten times the mentions: ten times the reads. Ten times the prose between them: the same reads.
    assert.equal(reads(100, 5).read, 10 * base.read);
    assert.equal(reads(10, 50).read, base.read);
    assert.equal(reads(10, 50).charsRead, base.charsRead);
  });

  it('never reads more of one sentence than the bound, even one that never ends', () => {
    const s = feed(`{"title": "${'open_ticket '.repeat(2000)}`, 64);
    assert.ok(s.work.read >= 5, `every piece names the tool and is read (${s.work.read})`);
    assert.ok(s.work.charsRead <= s.work.read * MAX_SENTENCE);
  });
});
