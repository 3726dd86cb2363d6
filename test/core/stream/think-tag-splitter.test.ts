import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ThinkTagSplitter } from '../../../src/core/stream/think-tag-splitter.js';
import type { StreamEvent } from '../../../src/core/stream/events.js';
import { collect } from './collect.js';

function run(pieces: string[], options: { assumeThinking?: boolean } = {}) {
  const s = new ThinkTagSplitter(options);
  const events: StreamEvent[] = [];
  const add = (segs: ReturnType<ThinkTagSplitter['push']>) => {
    for (const seg of segs) {
      if (seg.kind === 'reasoning') events.push({ type: 'reasoning', text: seg.text });
      else if (seg.kind === 'content') events.push({ type: 'content', text: seg.text });
      else events.push({ type: 'contentWasReasoning', text: seg.text });
    }
  };
  for (const p of pieces) add(s.push(p));
  add(s.flush());
  return collect(events);
}

/** Every way of cutting `text` into two pieces, and into three at neighbouring positions. */
function splits(text: string): string[][] {
  const out: string[][] = [[text]];
  for (let i = 1; i < text.length; i++) {
    out.push([text.slice(0, i), text.slice(i)]);
    if (i + 1 < text.length) out.push([text.slice(0, i), text.slice(i, i + 1), text.slice(i + 1)]);
  }
  out.push([...text]);
  return out;
}

const cases: { name: string; text: string; reasoning: string; content: string; assumeThinking?: boolean }[] = [
  { name: 'a full think block then an answer', text: '<think>I should call f.</think>\n\nThe answer is 4.', reasoning: 'I should call f.', content: 'The answer is 4.' },
  { name: 'leading whitespace before the opening tag', text: '\n <think>\nplan</think>ok', reasoning: 'plan', content: 'ok' },
  { name: 'no tags at all', text: 'Just an answer < 5 and </b> stays.', reasoning: '', content: 'Just an answer < 5 and </b> stays.' },
  { name: 'a lone closing tag (opening tag in the prompt)', text: 'Let me think about it.</think>Done.', reasoning: 'Let me think about it.', content: 'Done.' },
  { name: 'an empty think block', text: '<think></think>Hi', reasoning: '', content: 'Hi' },
  { name: 'text that looks like a tag but is not', text: '<thinking>x</thinking> <th', reasoning: '', content: '<thinking>x</thinking> <th' },
  { name: 'a second think block after an answer', text: '<think>a</think>b<think>c</think>d', reasoning: 'ac', content: 'bd' },
  { name: 'assumed thinking without an opening tag', text: 'step one</think>answer', reasoning: 'step one', content: 'answer', assumeThinking: true },
];

describe('ThinkTagSplitter', () => {
  for (const c of cases) {
    it(`splits ${c.name} identically at every split position`, () => {
      for (const pieces of splits(c.text)) {
        const got = run(pieces, { assumeThinking: c.assumeThinking ?? false });
        assert.equal(got.reasoning, c.reasoning, `pieces ${JSON.stringify(pieces)}`);
        assert.equal(got.content, c.content, `pieces ${JSON.stringify(pieces)}`);
      }
    });
  }

  it('streams reasoning before the closing tag arrives', () => {
    const s = new ThinkTagSplitter();
    const first = s.push('<think>Looking up the order');
    assert.deepEqual(first, [{ kind: 'reasoning', text: 'Looking up the order' }]);
  });

  it('holds back at most a partial tag, never the whole buffer', () => {
    const s = new ThinkTagSplitter();
    s.push('<think>');
    const segs = s.push('a long line of reasoning </thi');
    assert.deepEqual(segs, [{ kind: 'reasoning', text: 'a long line of reasoning ' }]);
  });

  it('does not reclassify content once a reasoning field has been seen', () => {
    const s = new ThinkTagSplitter();
    s.push('Answer text ');
    s.reasoningFieldSeen();
    const segs = s.push('and a stray </think> tag');
    assert.ok(segs.every((x) => x.kind === 'content'));
  });
});
