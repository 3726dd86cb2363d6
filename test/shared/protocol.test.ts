import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isHostMessage,
  MAX_PROMPT_CHARS,
  Messenger,
  parseTraceMessage,
  parseWebviewMessage,
  type HostToWebview,
  type MessageOf,
  type WebviewToHost,
} from '../../src/shared/protocol.js';

describe('parseWebviewMessage', () => {
  const accepted: [string, unknown][] = [
    ['chat/ready with an empty payload', { type: 'chat/ready', payload: {} }],
    ['chat/send with text', { type: 'chat/send', payload: { text: 'Where are my orders?' } }],
    ['chat/stop', { type: 'chat/stop', payload: {} }],
    ['chat/new', { type: 'chat/new', payload: {} }],
    ['chat/configure for the endpoint', { type: 'chat/configure', payload: { what: 'endpoint' } }],
    ['chat/configure for the API key', { type: 'chat/configure', payload: { what: 'apiKey' } }],
    ['chat/configure for the model', { type: 'chat/configure', payload: { what: 'model' } }],
    ['chat/openRuleFile with a path', { type: 'chat/openRuleFile', payload: { path: '/home/ana/rules/orders.sniff' } }],
    ['a prompt exactly at the length limit', { type: 'chat/send', payload: { text: 'x'.repeat(MAX_PROMPT_CHARS) } }],
  ];
  for (const [name, value] of accepted) {
    it(`accepts ${name}`, () => {
      const result = parseWebviewMessage(value);
      assert.deepEqual(result, { ok: true, message: value });
    });
  }

  const rejected: [string, unknown, RegExp][] = [
    ['a string', 'chat/send', /must be an object/],
    ['null', null, /must be an object/],
    ['an array', [{ type: 'chat/stop', payload: {} }], /must be an object/],
    ['an unknown type', { type: 'chat/delete', payload: {} }, /unknown message type "chat\/delete"/],
    ['a host-to-webview type', { type: 'chat/state', payload: {} }, /unknown message type/],
    ['an inherited property name as type', { type: 'toString', payload: {} }, /unknown message type/],
    ['a missing type', { payload: {} }, /unknown message type/],
    ['a missing payload', { type: 'chat/stop' }, /payload must be an object/],
    ['an array payload', { type: 'chat/stop', payload: [] }, /payload must be an object/],
    ['an extra envelope field', { type: 'chat/stop', payload: {}, id: 1 }, /unexpected field "id"/],
    ['chat/send without text', { type: 'chat/send', payload: {} }, /`text` must be a string/],
    ['chat/configure of something else', { type: 'chat/configure', payload: { what: 'theme' } }, /`what` must be/],
    ['chat/openRuleFile without a path', { type: 'chat/openRuleFile', payload: { path: '' } }, /`path` must be/],
    ['chat/openRuleFile with a number', { type: 'chat/openRuleFile', payload: { path: 3 } }, /`path` must be/],
    ['chat/send with a number', { type: 'chat/send', payload: { text: 42 } }, /`text` must be a string/],
    ['chat/send with blank text', { type: 'chat/send', payload: { text: '  \n' } }, /must not be blank/],
    ['chat/send with too long a text', { type: 'chat/send', payload: { text: 'x'.repeat(MAX_PROMPT_CHARS + 1) } }, /longer than/],
    ['chat/send with an extra field', { type: 'chat/send', payload: { text: 'hi', model: 'x' } }, /unexpected field "model"/],
    ['chat/stop with a field', { type: 'chat/stop', payload: { force: true } }, /unexpected field "force"/],
    ['a payload that is a class instance', { type: 'chat/stop', payload: new Date() }, /payload must be an object/],
  ];
  for (const [name, value, problem] of rejected) {
    it(`rejects ${name}`, () => {
      const result = parseWebviewMessage(value);
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.problem, problem);
    });
  }

  it('never throws, even on an object whose prototype is odd', () => {
    const odd = Object.create({ type: 'chat/stop', payload: {} }) as unknown;
    assert.equal(parseWebviewMessage(odd).ok, false);
  });
});

describe('isHostMessage', () => {
  it('accepts each host message envelope', () => {
    for (const type of ['chat/state', 'chat/event', 'config/changed']) assert.equal(isHostMessage({ type, payload: {} }), true);
  });

  it('rejects posts that are not host messages', () => {
    assert.equal(isHostMessage({ type: 'chat/send', payload: { text: 'x' } }), false);
    assert.equal(isHostMessage({ type: 'chat/event' }), false);
    assert.equal(isHostMessage('chat/event'), false);
  });
});

describe('Messenger', () => {
  it('posts { type, payload } envelopes', () => {
    const posted: MessageOf<WebviewToHost>[] = [];
    const m = new Messenger<WebviewToHost, HostToWebview>((msg) => posted.push(msg));
    m.send('chat/send', { text: 'hi' });
    m.send('chat/stop', {});
    assert.deepEqual(posted, [
      { type: 'chat/send', payload: { text: 'hi' } },
      { type: 'chat/stop', payload: {} },
    ]);
  });

  it('dispatches a received message to the handlers of its type only, in order', () => {
    const seen: string[] = [];
    const m = new Messenger<HostToWebview, WebviewToHost>(() => {});
    m.on('chat/send', (p) => seen.push(`a:${p.text}`));
    m.on('chat/send', (p) => seen.push(`b:${p.text}`));
    m.on('chat/stop', () => seen.push('stop'));
    m.receive({ type: 'chat/send', payload: { text: 'x' } });
    assert.deepEqual(seen, ['a:x', 'b:x']);
  });

  it('stops calling a handler once it is disposed', () => {
    let calls = 0;
    const m = new Messenger<HostToWebview, WebviewToHost>(() => {});
    const sub = m.on('chat/new', () => calls++);
    m.receive({ type: 'chat/new', payload: {} });
    sub.dispose();
    m.receive({ type: 'chat/new', payload: {} });
    assert.equal(calls, 1);
  });

  it('reports a throwing handler and still runs the others', () => {
    const errors: string[] = [];
    let ran = false;
    const m = new Messenger<HostToWebview, WebviewToHost>(
      () => {},
      (type, err) => errors.push(`${type}: ${(err as Error).message}`),
    );
    m.on('chat/ready', () => {
      throw new Error('boom');
    });
    m.on('chat/ready', () => {
      ran = true;
    });
    m.receive({ type: 'chat/ready', payload: {} });
    assert.deepEqual(errors, ['chat/ready: boom']);
    assert.equal(ran, true);
  });
});

describe('parseTraceMessage', () => {
  it('accepts each trace panel message in its exact shape', () => {
    for (const message of [
      { type: 'trace/ready', payload: {} },
      { type: 'replay/play', payload: {} },
      { type: 'replay/speed', payload: { speed: 20 } },
      { type: 'replay/step', payload: { to: 'call' } },
      { type: 'replay/seek', payload: { position: 0 } },
      { type: 'replay/resniff', payload: { on: true } },
      { type: 'replay/fork', payload: { turn: 0 } },
      { type: 'replay/fork', payload: { turn: 3 } },
    ]) {
      assert.equal(parseTraceMessage(message).ok, true, JSON.stringify(message));
    }
  });

  it('refuses speeds outside 1x-20x, fractional or negative positions, unknown steps and extra fields', () => {
    for (const message of [
      { type: 'replay/speed', payload: { speed: 21 } },
      { type: 'replay/speed', payload: { speed: '2' } },
      { type: 'replay/seek', payload: { position: -1 } },
      { type: 'replay/seek', payload: { position: 1.5 } },
      { type: 'replay/step', payload: { to: 'end' } },
      { type: 'replay/play', payload: { now: true } },
      { type: 'chat/send', payload: { text: 'hi' } },
    ]) {
      assert.equal(parseTraceMessage(message).ok, false, JSON.stringify(message));
    }
  });

  it('accepts a fork only at a whole, non-negative turn, with nothing else in the payload', () => {
    for (const payload of [{}, { turn: -1 }, { turn: 1.5 }, { turn: '2' }, { turn: null }, { turn: 1, messages: [] }]) {
      const parsed = parseTraceMessage({ type: 'replay/fork', payload });
      assert.equal(parsed.ok, false, JSON.stringify(payload));
      if (!parsed.ok) assert.match(parsed.problem, /^replay\/fork: /);
    }
  });
});
