import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chatStatus } from '../../../webview/chat/status.js';

describe('chatStatus', () => {
  it('says "ready" for an idle chat only once the backend is ready', () => {
    assert.deepEqual(chatStatus({ kind: 'ready' }, { kind: 'opening' }), { text: 'starting the endpoint…', kind: 'starting' });
    assert.deepEqual(chatStatus({ kind: 'ready' }, { kind: 'listingTools' }), { text: 'starting the tools…', kind: 'starting' });
    assert.deepEqual(chatStatus({ kind: 'ready' }, { kind: 'ready' }), { text: 'ready', kind: 'ready' });
  });

  it('says why the backend is not ready, as an error', () => {
    assert.deepEqual(chatStatus({ kind: 'ready' }, { kind: 'failed', problem: 'foresight.baseUrl must start with http:// or https://' }), {
      text: 'not ready: foresight.baseUrl must start with http:// or https://',
      kind: 'error',
    });
  });

  it('shows a run’s own status whatever the readiness', () => {
    assert.equal(chatStatus({ kind: 'running' }, { kind: 'opening' }).text, 'running');
    assert.equal(chatStatus({ kind: 'done' }, { kind: 'failed', problem: 'gone' }).text, 'done');
    assert.equal(chatStatus({ kind: 'error', message: 'The endpoint timed out.' }, { kind: 'ready' }).text, 'error: The endpoint timed out.');
  });
});
