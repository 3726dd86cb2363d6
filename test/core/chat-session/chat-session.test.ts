import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { remoteBackend, replayBackend } from '../../../src/core/chat-session/backends.js';
import { ChatSession, type ChatBackend, type RunSettings } from '../../../src/core/chat-session/chat-session.js';
import { loadDemoSessions, type DemoSessions } from '../../../src/core/chat-session/demo-sessions.js';
import { forkPoint } from '../../../src/core/chat-session/fork-history.js';
import { UserFacingError } from '../../../src/core/chat-session/run-end-message.js';
import type { ChatMessage } from '../../../src/core/chat/types.js';
import type { Session, SessionHeader } from '../../../src/core/session/format.js';
import { LocalEndpoint } from '../../../src/core/endpoint/local-endpoint.js';
import type { ChatEvent } from '../../../src/shared/protocol.js';

const DEMO_DIR = join(__dirname, '..', '..', '..', 'media', 'demo-sessions');
const SETTINGS: RunSettings = { maxSteps: 12, temperature: null, extraBody: {}, versions: { foresight: 'test' } };

interface Seen {
  conversationId: string;
  event: ChatEvent;
}

async function run(session: ChatSession, text: string, backend: ChatBackend, settings = SETTINGS) {
  const seen: Seen[] = [];
  const reason = await session.send(text, async () => backend, settings, (conversationId, event) => seen.push({ conversationId, event }));
  return { reason, seen, events: seen.map((s) => s.event) };
}

function textOf(events: ChatEvent[], type: 'reasoning' | 'content'): string {
  return events.map((e) => (e.type === type ? e.text : '')).join('');
}

describe('ChatSession against the embedded demo endpoint', () => {
  let endpoint: LocalEndpoint;
  let demo: DemoSessions;
  let backend: ChatBackend;

  before(async () => {
    demo = await loadDemoSessions(DEMO_DIR);
    endpoint = await LocalEndpoint.start({ sessions: demo.sessions, tokensPerSecond: 20_000 });
    backend = replayBackend(endpoint, demo.sessions, { toolLatencyMs: 1 });
  });
  after(async () => endpoint.close());

  it('answers every suggestion, framed by runStart and one runEnd with reason answer', async () => {
    for (const prompt of demo.suggestions) {
      const session = new ChatSession();
      const { reason, events, seen } = await run(session, prompt, backend);
      assert.equal(reason, 'answer', prompt);
      assert.deepEqual(events[0], { type: 'runStart', runId: 0, text: prompt });
      assert.deepEqual(events.at(-1), { type: 'runEnd', runId: 0, reason: 'answer' });
      assert.equal(events.filter((e) => e.type === 'runEnd').length, 1);
      assert.ok(seen.every((s) => s.conversationId === session.conversationId));
      assert.ok(textOf(events, 'reasoning').length > 0, 'reasoning streamed');
      assert.ok(textOf(events, 'content').length > 0, 'answer streamed');
      const ends = events.filter((e) => e.type === 'toolEnd');
      assert.ok(ends.length > 0 && ends.every((e) => e.type === 'toolEnd' && e.recorded && !e.isError), prompt);
    }
  });

  it('runs the two parallel order lookups as two tool cards of one turn', async () => {
    const { events } = await run(new ChatSession(), 'Where are my orders A-1042 and A-1057?', backend);
    const sealed = events.filter((e) => e.type === 'toolCallSealed');
    assert.deepEqual(
      sealed.map((e) => (e.type === 'toolCallSealed' ? [e.turn, e.index, JSON.parse(e.arguments)] : [])),
      [
        [0, 0, { order_id: 'A-1042' }],
        [0, 1, { order_id: 'A-1057' }],
      ],
    );
  });

  it('keeps the conversation, so a second prompt continues it (and the demo explains its 404)', async () => {
    const session = new ChatSession();
    await run(session, 'Do I need an umbrella in Lisbon tomorrow?', backend);
    assert.deepEqual(
      session.messages.map((m) => m.role),
      ['user', 'assistant', 'tool', 'assistant'],
    );
    const second = await run(session, 'And in Porto?', backend);
    assert.equal(second.reason, 'error');
    const end = second.events.at(-1);
    assert.equal(end?.type, 'runEnd');
    if (end?.type === 'runEnd') assert.match(end.message ?? '', /demo endpoint only answers its recorded prompts.*suggestion.*foresight\.baseUrl/);
    assert.equal(session.messages.length, 4, 'the failed prompt is not kept');
  });

  it('stops a running run: reason stopped, message "Stopped.", nothing kept', async () => {
    const slow = await LocalEndpoint.start({ sessions: demo.sessions, tokensPerSecond: 20 });
    try {
      const session = new ChatSession();
      const pending = run(session, 'Do I need an umbrella in Lisbon tomorrow?', replayBackend(slow, demo.sessions));
      assert.equal(session.running, true);
      setTimeout(() => session.stop(), 150);
      const { reason, events } = await pending;
      assert.equal(reason, 'stopped');
      assert.deepEqual(events.at(-1), { type: 'runEnd', runId: 0, reason: 'stopped', message: 'Stopped.' });
      assert.equal(session.running, false);
      assert.deepEqual(session.messages, []);
    } finally {
      await slow.close();
    }
  });

  it('refuses a second send while a run is going on', async () => {
    const session = new ChatSession();
    const first = run(session, 'Do I need an umbrella in Lisbon tomorrow?', backend);
    const second = await run(session, 'Where are my orders A-1042 and A-1057?', backend);
    assert.equal(second.reason, 'busy');
    assert.deepEqual(second.events, []);
    assert.equal((await first).reason, 'answer');
  });

  it('after reset, the old run ends under the old conversation id and leaves the new history alone', async () => {
    const session = new ChatSession();
    const oldId = session.conversationId;
    const pending = run(session, 'Do I need an umbrella in Lisbon tomorrow?', backend);
    session.reset();
    const { seen } = await pending;
    assert.notEqual(session.conversationId, oldId);
    assert.ok(seen.every((s) => s.conversationId === oldId));
    assert.deepEqual(session.messages, []);
    assert.equal(session.running, false);
  });

  it('records each run as a session file in recordDir', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'foresight-rec-'));
    await run(new ChatSession(), 'Do I need an umbrella in Lisbon tomorrow?', backend, { ...SETTINGS, recordDir: dir });
    const files = await readdir(dir);
    assert.equal(files.length, 1);
    const lines = (await readFile(join(dir, files[0] ?? ''), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { kind: string });
    assert.equal(lines[0]?.kind, 'header');
    assert.ok(lines.some((l) => l.kind === 'chunk'));
    assert.deepEqual((lines[0] as unknown as { recordedTools: string[] }).recordedTools, ['get_forecast', 'search_docs', 'fetch_page', 'get_order_status', 'get_ticket', 'update_ticket', 'read_file', 'run_python']);
  });

  it('ends with the step limit explained when maxSteps runs out', async () => {
    const { reason, events } = await run(new ChatSession(), 'Do I need an umbrella in Lisbon tomorrow?', backend, { ...SETTINGS, maxSteps: 1 });
    assert.equal(reason, 'maxSteps');
    const end = events.at(-1);
    assert.ok(end?.type === 'runEnd' && /all 1 model calls of foresight\.maxSteps/.test(end.message ?? ''));
  });
});

describe('ChatSession setup failures', () => {
  it('ends the run with the setup error when the backend cannot be opened', async () => {
    const session = new ChatSession();
    const seen: ChatEvent[] = [];
    const reason = await session.send(
      'hi',
      () => Promise.reject(new UserFacingError('foresight.baseUrl "x" is not a URL.')),
      SETTINGS,
      (_, e) => seen.push(e),
    );
    assert.equal(reason, 'error');
    assert.deepEqual(seen, [
      { type: 'runStart', runId: 0, text: 'hi' },
      { type: 'runEnd', runId: 0, reason: 'error', message: 'foresight.baseUrl "x" is not a URL.' },
    ]);
  });

  it('says to check foresight.baseUrl when nothing listens there', async () => {
    const closed = await LocalEndpoint.start({ sessions: [] });
    const url = closed.baseUrl;
    await closed.close();
    const backend = remoteBackend({ baseUrl: url, model: 'm' });
    const { reason, events } = await run(new ChatSession(), 'hi', backend);
    assert.equal(reason, 'error');
    const end = events.at(-1);
    assert.ok(end?.type === 'runEnd');
    assert.match(end.message ?? '', /Could not reach .*foresight\.baseUrl/);
  });

  it('asks the endpoint for its first model when none is configured, and remembers it', async () => {
    const demo = await loadDemoSessions(DEMO_DIR);
    const endpoint = await LocalEndpoint.start({ sessions: demo.sessions, tokensPerSecond: 20_000 });
    try {
      const backend = remoteBackend({ baseUrl: endpoint.baseUrl, model: '' });
      assert.equal(backend.endpoint.model, null);
      assert.equal(await backend.resolveModel(new AbortController().signal), 'foresight-demo');
      assert.equal(backend.endpoint.model, 'foresight-demo');
      assert.deepEqual(backend.endpoint.tools, []);
    } finally {
      await endpoint.close();
    }
  });

  it('says to set foresight.model when the endpoint lists no models', async () => {
    const endpoint = await LocalEndpoint.start({ sessions: [] });
    try {
      const { events } = await run(new ChatSession(), 'hi', remoteBackend({ baseUrl: endpoint.baseUrl, model: '' }));
      const end = events.at(-1);
      assert.ok(end?.type === 'runEnd');
      assert.match(end.message ?? '', /lists no models\. Set foresight\.model/);
    } finally {
      await endpoint.close();
    }
  });
});

describe('ChatSession.fork', () => {
  const earlier: ChatMessage[] = [
    { role: 'user', content: 'Do I need an umbrella in Lisbon tomorrow?' },
    { role: 'assistant', content: 'Yes: 70% rain.', reasoning_content: 'The forecast said 0.7, so yes.' },
  ];
  const followUp = 'And the day after?';
  // The recorded turn answers only a request of exactly the forked messages and the follow-up.
  const session: Session = {
    header: { kind: 'header', format: 'foresight-session', version: 1, id: 'fork', createdAt: '2026-01-01T00:00:00Z', model: 'm', endpoint: 'x', tools: [], versions: { foresight: 'test' } },
    turns: [
      {
        index: 0,
        request: [earlier[0] as ChatMessage, { role: 'assistant', content: 'Yes: 70% rain.' }, { role: 'user', content: followUp }],
        chunks: [
          { t: 0, chunk: { choices: [{ index: 0, delta: { role: 'assistant', content: 'Dry, ' } }] } },
          { t: 1, chunk: { choices: [{ index: 0, delta: { content: 'no umbrella.' }, finish_reason: 'stop' }] } },
        ],
        toolResults: [],
      },
    ],
  };
  let endpoint: LocalEndpoint;
  const sentBodies: { messages: Record<string, unknown>[] }[] = [];
  let backend: ChatBackend;

  before(async () => {
    endpoint = await LocalEndpoint.start({ sessions: [session], tokensPerSecond: 20_000 });
    const capturing: typeof fetch = async (input, init) => {
      if (typeof init?.body === 'string') sentBodies.push(JSON.parse(init.body) as { messages: Record<string, unknown>[] });
      return fetch(input, init);
    };
    backend = remoteBackend({ baseUrl: endpoint.baseUrl, model: 'm', client: new OpenAI({ baseURL: endpoint.baseUrl, apiKey: 'x', maxRetries: 0, fetch: capturing }) });
  });
  after(async () => endpoint.close());

  function fork(chat: ChatSession, messages: ChatMessage[] = earlier) {
    const seen: Seen[] = [];
    const outcome = chat.fork(messages, { title: 'Umbrella', turn: 1 }, (conversationId, event) => seen.push({ conversationId, event }));
    return { outcome, seen };
  }

  it('starts a new conversation whose next run continues the forked messages against the endpoint', async () => {
    const chat = new ChatSession();
    const oldId = chat.conversationId;
    assert.equal(fork(chat).outcome, 'forked');
    assert.notEqual(chat.conversationId, oldId);
    const { reason, events } = await run(chat, followUp, backend);
    assert.equal(reason, 'answer', 'the endpoint recognised the forked conversation');
    assert.equal(textOf(events, 'content'), 'Dry, no umbrella.');
    assert.deepEqual(
      chat.messages.map((m) => m.role),
      ['user', 'assistant', 'user', 'assistant'],
    );
  });

  it('emits one forked event under the new conversation id, and keeps it for the view to ask', () => {
    const chat = new ChatSession();
    const { seen } = fork(chat);
    const expected = { type: 'forked', title: 'Umbrella', turn: 1, messages: 2 };
    assert.deepEqual(seen, [{ conversationId: chat.conversationId, event: expected }]);
    assert.deepEqual(chat.forked, expected);
    chat.reset();
    assert.equal(chat.forked, undefined, 'a new chat is no longer a fork');
  });

  it('does not send the reasoning back, and leaves the given messages untouched', async () => {
    const chat = new ChatSession();
    const given = structuredClone(earlier);
    fork(chat, given);
    assert.deepEqual(given, earlier);
    assert.ok(chat.messages.every((m) => !('reasoning_content' in m) && !('reasoning' in m)));
    sentBodies.length = 0;
    await run(chat, followUp, backend);
    assert.equal(sentBodies.length, 1);
    assert.deepEqual(sentBodies[0]?.messages, [earlier[0], { role: 'assistant', content: 'Yes: 70% rain.' }, { role: 'user', content: followUp }]);
  });

  it('drops the `reasoning` field some imported sessions carry too', () => {
    const chat = new ChatSession();
    fork(chat, [{ role: 'assistant', content: 'A', reasoning: 'hidden' } as ChatMessage]);
    assert.deepEqual(chat.messages, [{ role: 'assistant', content: 'A' }]);
  });

  it('refuses while a run is going on, changing nothing and emitting nothing', async () => {
    const chat = new ChatSession();
    const pending = run(chat, followUp, backend);
    const id = chat.conversationId;
    const { outcome, seen } = fork(chat);
    assert.equal(outcome, 'busy');
    assert.deepEqual(seen, []);
    assert.equal(chat.conversationId, id);
    assert.equal(chat.forked, undefined);
    await pending;
  });
});

describe('forkPoint', () => {
  const turn = (index: number, content: string) => ({ index, request: [{ role: 'user' as const, content }], chunks: [], toolResults: [] });
  const header: SessionHeader = { kind: 'header', format: 'foresight-session', version: 1, id: 's-1', createdAt: '', model: 'm', endpoint: 'x', tools: [], versions: { foresight: 't' } };

  it('takes the request of the turn asked for, under the session title', () => {
    const point = forkPoint({ header: { ...header, title: 'Orders' }, turns: [turn(0, 'a'), turn(1, 'b')] }, 1);
    assert.deepEqual(point, { messages: [{ role: 'user', content: 'b' }], origin: { title: 'Orders', turn: 1 } });
  });

  it('takes the last turn for a turn past the end, and the id for an untitled session', () => {
    const point = forkPoint({ header, turns: [turn(0, 'a'), turn(1, 'b')] }, Number.MAX_SAFE_INTEGER);
    assert.ok(!('problem' in point));
    assert.deepEqual(point.origin, { title: 's-1', turn: 1 });
  });

  it('explains that a session without turns has nothing to fork', () => {
    const point = forkPoint({ header, turns: [] }, 0);
    assert.ok('problem' in point && /has no turns/.test(point.problem));
  });
});
