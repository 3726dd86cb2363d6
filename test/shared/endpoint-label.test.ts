import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { endpointLabel } from '../../src/shared/endpoint-label.js';

const remote = (baseUrl: string, model: string | null = null) => endpointLabel({ kind: 'remote', baseUrl, model });

describe('endpointLabel', () => {
  it('calls the embedded endpoint what it is, whatever its local URL', () => {
    assert.deepEqual(endpointLabel({ kind: 'demo', baseUrl: 'http://127.0.0.1:41234/v1', model: 'foresight-demo' }), { label: 'Demo (recorded sessions)', model: 'foresight-demo' });
  });

  it('names NVIDIA NIM and OpenAI by their hosts, with the model beside', () => {
    assert.deepEqual(remote('https://integrate.api.nvidia.com/v1', 'deepseek-ai/deepseek-r1'), { label: 'NVIDIA NIM', model: 'deepseek-ai/deepseek-r1' });
    assert.equal(remote('https://api.openai.com/v1').label, 'OpenAI');
  });

  it('says a local server’s port', () => {
    assert.equal(remote('http://localhost:8000/v1').label, 'Local (port 8000)');
    assert.equal(remote('http://127.0.0.1:11434/v1').label, 'Local (port 11434)');
  });

  it('shows only the host name of any other endpoint: no scheme, path, user or password', () => {
    const { label } = remote('https://alice:s3cret@llm.tickets.example.org:8443/openai/v1?key=abc');
    assert.equal(label, 'llm.tickets.example.org');
    assert.doesNotMatch(label, /alice|s3cret|abc|https|\/v1/);
  });

  it('does not mistake a look-alike host for NVIDIA', () => {
    assert.equal(remote('https://integrate.api.nvidia.com.evil.example/v1').label, 'integrate.api.nvidia.com.evil.example');
  });

  it('calls an unparseable URL a custom endpoint rather than echoing it', () => {
    assert.equal(remote('not a url at all').label, 'Custom endpoint');
  });
});
