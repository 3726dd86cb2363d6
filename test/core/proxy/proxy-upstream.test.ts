import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { withFallbackKey } from '../../../src/core/proxy/forwarding.js';
import { chooseProxyUpstream } from '../../../src/core/proxy/proxy-upstream.js';
import { RecordingProxy } from '../../../src/core/proxy/recording-proxy.js';

const STORED = 'sk-stored-weather-81c2e4f0a9';

describe('chooseProxyUpstream', () => {
  it('forwards to the configured base URL and adds its stored key', () => {
    assert.deepEqual(chooseProxyUpstream({ baseUrl: ' https://api.example.com/v1 ', embeddedUrl: 'http://127.0.0.1:4000/v1', storedKey: STORED }), {
      ok: true,
      upstream: 'https://api.example.com/v1',
      embedded: false,
      fallbackKey: STORED,
    });
  });

  it('adds no key when none is stored', () => {
    const choice = chooseProxyUpstream({ baseUrl: 'https://api.example.com/v1', embeddedUrl: undefined, storedKey: '  ' });
    assert.deepEqual(choice, { ok: true, upstream: 'https://api.example.com/v1', embedded: false });
  });

  it('falls back to the demo endpoint without sending it the stored key', () => {
    assert.deepEqual(chooseProxyUpstream({ baseUrl: '', embeddedUrl: 'http://127.0.0.1:4000/v1', storedKey: STORED }), { ok: true, upstream: 'http://127.0.0.1:4000/v1', embedded: true });
  });

  it('says what to set when there is neither', () => {
    const choice = chooseProxyUpstream({ baseUrl: '', embeddedUrl: undefined, storedKey: undefined });
    assert.equal(choice.ok, false);
    assert.match(choice.ok ? '' : choice.message, /foresight\.baseUrl/);
  });
});

describe('withFallbackKey', () => {
  it('adds the key as a bearer token only when the agent sent no authorization', () => {
    assert.deepEqual(withFallbackKey({ accept: 'application/json' }, STORED), { accept: 'application/json', authorization: `Bearer ${STORED}` });
    assert.deepEqual(withFallbackKey({ authorization: 'Bearer sk-agent-own' }, STORED), { authorization: 'Bearer sk-agent-own' });
    assert.deepEqual(withFallbackKey({ accept: 'text/plain' }, undefined), { accept: 'text/plain' });
  });
});

describe('RecordingProxy with a fallback key', () => {
  it('sends the stored key upstream for an agent that sends none, and never records it', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const upstream = createServer((req, res) => {
      seen.push(req.headers);
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: 'c1', object: 'chat.completion', model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'Sunny in Lyon.' }, finish_reason: 'stop' }] }));
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const dir = mkdtempSync(join(tmpdir(), 'foresight-proxy-key-'));
    const logged: string[] = [];
    const proxy = await RecordingProxy.start({ upstream: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`, sessionsDir: dir, fallbackKey: STORED, log: (l) => logged.push(l) });
    try {
      const ask = (headers: Record<string, string>) =>
        fetch(`${proxy.baseUrl}/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'Weather in Lyon?' }] }),
        }).then((r) => r.json());
      await ask({});
      await ask({ authorization: 'Bearer sk-agent-own' });
      assert.deepEqual(
        seen.map((h) => h.authorization),
        [`Bearer ${STORED}`, 'Bearer sk-agent-own'],
      );
      await proxy.settled();
      const files = readdirSync(dir);
      assert.ok(files.length > 0, 'the conversation was recorded');
      for (const f of files) assert.ok(!readFileSync(join(dir, f), 'utf8').includes(STORED.slice(3)), 'the stored key is not in the recording');
      assert.ok(!logged.some((l) => l.includes(STORED.slice(3))));
    } finally {
      await proxy.close();
      await new Promise<void>((resolve) => upstream.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
