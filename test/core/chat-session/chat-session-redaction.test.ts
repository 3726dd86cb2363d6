import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { remoteBackend } from '../../../src/core/chat-session/backends.js';
import { ChatSession, type RunSettings } from '../../../src/core/chat-session/chat-session.js';
import { baseUrlProblem } from '../../../src/core/chat-session/settings.js';
import { LocalEndpoint } from '../../../src/core/endpoint/local-endpoint.js';
import { WEATHER_PROMPT, weatherSession } from '../../fixtures/weather-transcript.js';

const SECRET = 'SeCrEt-9f31c7';

describe('a chat run against a key-bearing base URL that fails', () => {
  let endpoint: LocalEndpoint;
  let dir: string;
  const prompt = WEATHER_PROMPT.find((m) => m.role === 'user')?.content as string;

  before(async () => {
    endpoint = await LocalEndpoint.start({ sessions: [weatherSession()], tokensPerSecond: 5000 });
    dir = await mkdtemp(join(tmpdir(), 'foresight-redact-'));
  });
  after(async () => {
    await endpoint.close();
    await rm(dir, { recursive: true, force: true });
  });

  const cases: [string, (port: number) => string, string][] = [
    ['a password in the user-info part (fetch refuses it)', (port) => `http://user:${SECRET}@127.0.0.1:${port}/v1`, 'test-reasoner'],
    ['a key as the user name, the model asked from the listing', (port) => `http://${SECRET}@127.0.0.1:${port}/v1`, ''],
    ['an api_key query parameter on a wrong path (404)', (port) => `http://127.0.0.1:${port}/wrong?api_key=${SECRET}`, 'test-reasoner'],
    ['a token query parameter, listing the models on a wrong path (404)', (port) => `http://127.0.0.1:${port}/nope?Access_Token=${SECRET}`, ''],
    ['a sig parameter on a closed port', () => `http://127.0.0.1:1/v1?sig=${SECRET}`, 'test-reasoner'],
  ];
  for (const [what, urlOf, model] of cases) {
    it(`never shows the credential with ${what}`, async () => {
      const runDir = await mkdtemp(join(dir, 'run-'));
      const logged: string[] = [];
      const agentEvents: unknown[] = [];
      const session = new ChatSession({ log: (line) => logged.push(line), onAgentEvent: (_c, _r, e) => agentEvents.push(e) });
      const backend = remoteBackend({ baseUrl: urlOf(endpoint.port), model, apiKey: 'unused' });
      const settings: RunSettings = { maxSteps: 2, temperature: null, extraBody: {}, versions: { foresight: 'test' }, recordDir: runDir };
      const chatEvents: unknown[] = [];
      const reason = await session.send(prompt, async () => backend, settings, (_c, e) => chatEvents.push(e));
      assert.equal(reason, 'error');
      const runEnd = chatEvents.at(-1) as { type: string; message?: string };
      assert.equal(runEnd.type, 'runEnd');
      assert.ok(runEnd.message && runEnd.message.length > 0, 'the run ends with a sentence for the user');
      const recordings = await Promise.all((await readdir(runDir)).map((f) => readFile(join(runDir, f), 'utf8')));
      const everything = JSON.stringify({ chatEvents, agentEvents, logged, recordings, shown: backend.endpoint });
      assert.ok(!everything.includes(SECRET), `the credential leaked: ${everything}`);
      assert.ok(logged.length > 0, 'the failure was logged');
    });
  }

  it('quotes an unusable base URL in its problem without the credential', () => {
    const problem = baseUrlProblem(`user:${SECRET}@host.example/v1`) ?? '';
    assert.match(problem, /foresight\.baseUrl/);
    assert.ok(!problem.includes(SECRET), problem);
  });
});
