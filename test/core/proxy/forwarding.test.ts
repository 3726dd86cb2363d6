import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isChatCompletion, requestHeadersForUpstream, responseHeadersForClient, upstreamUrl } from '../../../src/core/proxy/forwarding.js';

describe('forwarding rules', () => {
  it('maps client paths, with or without /v1, under the upstream base path and keeps the query', () => {
    const base = new URL('https://api.example.com/openai/v1');
    assert.equal(upstreamUrl(base, '/v1/chat/completions').href, 'https://api.example.com/openai/v1/chat/completions');
    assert.equal(upstreamUrl(base, '/chat/completions').href, 'https://api.example.com/openai/v1/chat/completions');
    assert.equal(upstreamUrl(base, '/v1/models?limit=2').href, 'https://api.example.com/openai/v1/models?limit=2');
    assert.equal(upstreamUrl(new URL('http://127.0.0.1:9/v1/'), '/v1/files').href, 'http://127.0.0.1:9/v1/files');
  });

  it('records only POSTed chat completions', () => {
    assert.equal(isChatCompletion('POST', '/v1/chat/completions'), true);
    assert.equal(isChatCompletion('POST', '/chat/completions?x=1'), true);
    assert.equal(isChatCompletion('GET', '/v1/chat/completions'), false);
    assert.equal(isChatCompletion('POST', '/v1/completions'), false);
  });

  it('forwards the Authorization header and drops hop-by-hop ones, including those Connection names', () => {
    const out = requestHeadersForUpstream(
      { authorization: 'Bearer sk-x', host: 'localhost:1', connection: 'keep-alive, x-hop', 'x-hop': '1', 'keep-alive': 'timeout=5', 'content-length': '99', 'accept-encoding': 'gzip', 'x-stainless-os': 'Linux' },
      12,
      true,
    );
    assert.deepEqual(out, { authorization: 'Bearer sk-x', 'accept-encoding': 'identity', 'x-stainless-os': 'Linux', 'content-length': 12 });
    const passthrough = requestHeadersForUpstream({ 'accept-encoding': 'gzip' }, undefined, false);
    assert.deepEqual(passthrough, { 'accept-encoding': 'gzip' });
  });

  it('gives the client every response header but hop-by-hop ones', () => {
    const out = responseHeadersForClient({ 'content-type': 'text/event-stream', 'transfer-encoding': 'chunked', connection: 'close', 'x-request-id': 'r1', 'retry-after-ms': '20' });
    assert.deepEqual(out, { 'content-type': 'text/event-stream', 'x-request-id': 'r1', 'retry-after-ms': '20' });
  });
});
