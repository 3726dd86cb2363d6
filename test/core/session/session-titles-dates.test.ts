import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { importChatTranscript } from '../../../src/core/session/import-chat.js';
import { CONVERSATION_TITLE_CHARS, conversationTitle } from '../../../src/core/session/import-common.js';
import { importResponsesRollout } from '../../../src/core/session/import-responses.js';
import { listedDate, sessionDate, summarizeSession } from '../../../src/core/session/session-summary.js';

const rollout = (extra: Record<string, unknown> = {}, input: unknown = 'Which of my tickets are still open?') => ({
  responses_create_params: { model: 'm', input },
  response: { output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Two: #12 and #40.' }] }] },
  ...extra,
});

describe('the title of an imported session', () => {
  it('is the first user message of a rollout, not the file name', () => {
    const session = importResponsesRollout(rollout(), { file: '/tmp/rollouts.jsonl', line: 4 });
    assert.equal(session.header.title, 'Which of my tickets are still open?');
  });

  it('is the rollout’s own title when it has one, at the top or in its metadata', () => {
    assert.equal(importResponsesRollout(rollout({ title: 'Open tickets' }), { file: 'r.jsonl', line: 1 }).header.title, 'Open tickets');
    assert.equal(importResponsesRollout(rollout({ metadata: { title: 'Ticket triage' } }), { file: 'r.jsonl', line: 1 }).header.title, 'Ticket triage');
  });

  it('falls back to the file and line when nobody asked anything', () => {
    const session = importResponsesRollout(rollout({}, []), { file: '/data/rollouts.jsonl', line: 7 });
    assert.equal(session.header.title, 'rollouts.jsonl #7');
  });

  it('skips system text and blank user messages for a transcript’s first real question', () => {
    const session = importChatTranscript(
      {
        messages: [
          { role: 'system', content: 'You answer about orders.' },
          { role: 'user', content: '   ' },
          { role: 'user', content: 'Where is\n\n  order 1182?' },
          { role: 'assistant', content: 'It left the warehouse today.' },
        ],
      },
      { file: 'orders.json' },
    );
    assert.equal(session.header.title, 'Where is order 1182?');
  });

  it('is cut at a word with an ellipsis when the question is long', () => {
    const long = `Please compare the delivery estimates of ${'every carrier '.repeat(12)}for my parcel`;
    const title = conversationTitle([{ role: 'user', content: long }]);
    assert.ok(title);
    assert.ok(title.length <= CONVERSATION_TITLE_CHARS, title);
    assert.ok(title.endsWith('…'));
    assert.ok(long.startsWith(title.slice(0, -1)), 'the cut keeps the start of the message');
    assert.doesNotMatch(title, / …$/);
  });
});

describe('the date the Sessions view shows', () => {
  it('is empty for the epoch an import puts where its source gave no date', () => {
    const session = importResponsesRollout(rollout(), { file: 'r.jsonl', line: 1 });
    assert.equal(session.header.createdAt, new Date(0).toISOString());
    assert.equal(summarizeSession(session).createdAt, '');
  });

  it('is empty for a missing, unreadable or pre-2000 date, and the recorded one otherwise', () => {
    assert.equal(sessionDate(undefined), '');
    assert.equal(sessionDate(''), '');
    assert.equal(sessionDate('last Tuesday'), '');
    assert.equal(sessionDate('1970-01-01T00:00:01.000Z'), '');
    assert.equal(sessionDate('2026-03-04T05:06:07.000Z'), '2026-03-04T05:06:07.000Z');
  });

  it('takes a rollout’s created_at when it has one', () => {
    const session = importResponsesRollout({ ...rollout(), response: { ...rollout().response, created_at: 1767225600 } }, { file: 'r.jsonl', line: 1 });
    assert.equal(summarizeSession(session).createdAt, '2026-01-01T00:00:00.000Z');
  });

  it('is written to the minute, and nothing for no date', () => {
    assert.equal(listedDate('2026-03-04T05:06:07.000Z'), '2026-03-04 05:06');
    assert.equal(listedDate(''), '');
  });
});
