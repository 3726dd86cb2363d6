import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { replayBackend, withSpecReason } from '../../../src/core/chat-session/backends.js';
import { ChatSession, type ChatBackend, type RunSettings } from '../../../src/core/chat-session/chat-session.js';
import { loadDemoSessions, type DemoSessions } from '../../../src/core/chat-session/demo-sessions.js';
import { loadSpecReasonDemo, specReasonDemoBackend, type SpecReasonDemo } from '../../../src/core/chat-session/specreason-demo.js';
import { LocalEndpoint } from '../../../src/core/endpoint/local-endpoint.js';
import { normaliseSpecReasonSettings } from '../../../src/core/specreason/specreason-settings.js';
import type { ChatEvent } from '../../../src/shared/protocol.js';

const ROOT = join(__dirname, '..', '..', '..');
const SETTINGS: RunSettings = { maxSteps: 12, temperature: null, extraBody: {}, versions: { foresight: 'test' } };

async function run(backend: ChatBackend, text: string): Promise<ChatEvent[]> {
  const events: ChatEvent[] = [];
  await new ChatSession().send(text, async () => backend, SETTINGS, (_id, event) => events.push(event));
  return events;
}

describe('the chat in SpecReason mode on the embedded demo (draft and base served by one local endpoint)', () => {
  let endpoint: LocalEndpoint;
  let sessions: DemoSessions;
  let spec: SpecReasonDemo;
  let backend: ChatBackend;

  before(async () => {
    sessions = await loadDemoSessions(join(ROOT, 'media/demo-sessions'));
    spec = await loadSpecReasonDemo(join(ROOT, 'media/specreason'));
    endpoint = await LocalEndpoint.start({ sessions: sessions.sessions, exchanges: spec.exchanges, tokensPerSecond: null });
    const made = specReasonDemoBackend(replayBackend(endpoint, sessions.sessions, { toolLatencyMs: 1 }), spec, normaliseSpecReasonSettings({}));
    assert.ok(made);
    backend = made;
  });
  after(() => endpoint.close());

  it('answers the SpecReason prompt and tells the chat who wrote each step, with the judge\'s score', async () => {
    assert.deepEqual(backend.endpoint.specReason, { draftModel: 'foresight-demo-draft', draftBaseUrl: endpoint.baseUrl });
    const [prompt] = spec.suggestions;
    assert.ok(prompt);
    const events = await run(backend, prompt);
    assert.deepEqual(events.at(-1), { type: 'runEnd', runId: 0, reason: 'answer' });
    const steps = events.flatMap((e) => (e.type === 'reasoningStep' ? [`${e.turn} ${e.author} ${e.kind} ${e.score ?? '-'}`] : []));
    assert.deepEqual(steps, ['0 base reserved -', '0 draft accepted 8', '0 base rewritten 3', '0 draft accepted 7', '1 base reserved -', '1 draft accepted 9']);
    assert.ok(!events.some((e) => e.type === 'notice'));
    // Each step's offsets cut the turn's streamed reasoning at the step's own text.
    const reasoning = events.map((e) => (e.type === 'reasoning' && e.turn === 0 ? e.text : '')).join('');
    const firstDraft = events.find((e) => e.type === 'reasoningStep' && e.author === 'draft');
    assert.ok(firstDraft?.type === 'reasoningStep');
    assert.match(reasoning.slice(firstDraft.start, firstDraft.end), /^The get_order_status tool takes an order number/);
  });

  it('shows a notice in the run, naming the draft settings, when the draft endpoint cannot name its model', async () => {
    const gone = await LocalEndpoint.start({ sessions: [], tokensPerSecond: null });
    const goneUrl = gone.baseUrl;
    await gone.close();
    const plain = replayBackend(endpoint, sessions.sessions, { toolLatencyMs: 1 });
    const draft = new OpenAI({ baseURL: goneUrl, apiKey: 'secret-draft-key', maxRetries: 0 });
    const withDraft = withSpecReason(plain, { draft: { client: draft, model: '', baseUrl: goneUrl }, settings: normaliseSpecReasonSettings({}) });
    const events = await run(withDraft, sessions.suggestions[0]!);
    const notices = events.flatMap((e) => (e.type === 'notice' ? [e.text] : []));
    assert.ok(notices.length >= 1);
    assert.match(notices[0]!, /foresight\.specReason\.draftBaseUrl/);
    assert.ok(notices.every((n) => !n.includes('secret-draft-key')));
    // The base model alone still answers the recorded conversation.
    assert.deepEqual(events.at(-1), { type: 'runEnd', runId: 0, reason: 'answer' });
  });
});
