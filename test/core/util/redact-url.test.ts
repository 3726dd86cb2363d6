import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactText, redactUrl, redactorFor, secretsInUrl } from '../../../src/core/util/redact-url.js';

describe('redactUrl', () => {
  const table: [string, string][] = [
    ['http://127.0.0.1:8123/v1', 'http://127.0.0.1:8123/v1'],
    ['https://user:nvapi-abc123@integrate.example/v1', 'https://***@integrate.example/v1'],
    ['https://nvapi-abc123@integrate.example/v1', 'https://***@integrate.example/v1'],
    ['https://host.example/v1?api_key=abc123', 'https://host.example/v1?api_key=***'],
    ['https://host.example/v1?API_KEY=abc123&x=7', 'https://host.example/v1?API_KEY=***&x=7'],
    ['https://host.example/v1?token=t&sig=s&jwt=j&access_token=a', 'https://host.example/v1?token=***&sig=***&jwt=***&access_token=***'],
    ['https://host.example/v1?Bearer=b&key=k&Secret=s&password=p&auth=a', 'https://host.example/v1?Bearer=***&key=***&Secret=***&password=***&auth=***'],
    ['https://host.example/v1?X-Amz-Signature=s&X-Amz-Credential=c&apiKey=k', 'https://host.example/v1?X-Amz-Signature=***&X-Amz-Credential=***&apiKey=***'],
    ['https://host.example/v1?api%5Fkey=abc123', 'https://host.example/v1?api%5Fkey=***'],
    ['https://host.example/v1?model=m&temperature=1', 'https://host.example/v1?model=m&temperature=1'],
    ['https://host.example/cb#access_token=abc123&state=1', 'https://host.example/cb#access_token=***&state=1'],
    ['https://u:p@host.example/v1?key=1&token=2&x=7#frag', 'https://***@host.example/v1?key=***&token=***&x=7#frag'],
    ['user:pw@host/v1?key=abc', '***@host/v1?key=***'],
    ['', ''],
  ];
  for (const [input, expected] of table) {
    it(`turns ${JSON.stringify(input)} into ${JSON.stringify(expected)}`, () => {
      assert.equal(redactUrl(input), expected);
    });
  }
});

describe('secretsInUrl', () => {
  it('lists the user info and credential-named values, raw and decoded, longest first', () => {
    assert.deepEqual(secretsInUrl('https://bob:p%40ss-word@h/v1?api_key=k3y-123&x=visible'), ['p%40ss-word', 'p@ss-word', 'k3y-123', 'bob']);
  });

  it('finds nothing in a URL without credentials', () => {
    assert.deepEqual(secretsInUrl('http://127.0.0.1:9/v1?model=m'), []);
  });
});

describe('redactText', () => {
  it('redacts a URL quoted inside an SDK error message, keeping the prose around it', () => {
    assert.equal(
      redactText('Request cannot be constructed from a URL that includes credentials: http://user:s3cr3t@127.0.0.1:9/v1/models.'),
      'Request cannot be constructed from a URL that includes credentials: http://***@127.0.0.1:9/v1/models.',
    );
  });

  it('redacts a query echoed without its URL, and bearer tokens', () => {
    assert.equal(redactText('Unknown route POST /v1?api_key=abc123/chat/completions'), 'Unknown route POST /v1?api_key=***');
    assert.equal(redactText('sent Authorization: Bearer nvapi-0123456789'), 'sent Authorization: Bearer ***');
  });

  it('scrubs the known secrets of a URL wherever they appear, decoded or not', () => {
    const redact = redactorFor('https://bob:p%40ss-word@h/v1');
    assert.equal(redact('login failed for p@ss-word (p%40ss-word)'), 'login failed for *** (***)');
  });

  it('keeps token counts, which are no credential', () => {
    assert.equal(redactText('max_tokens=40000 is more than the context allows'), 'max_tokens=40000 is more than the context allows');
  });

  it('leaves text without credentials as it is', () => {
    const text = 'Could not reach http://127.0.0.1:9/v1: ECONNREFUSED. Check foresight.baseUrl.';
    assert.equal(redactText(text), text);
  });
});
