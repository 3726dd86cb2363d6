import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runEndMessage } from '../../../src/core/chat-session/run-end-message.js';

describe('runEndMessage', () => {
  const demo = { endpointKind: 'demo' as const, maxSteps: 12 };
  const remote = { endpointKind: 'remote' as const, maxSteps: 12 };

  it('says nothing after an answer', () => {
    assert.equal(runEndMessage('answer', undefined, remote), undefined);
  });

  it('explains a 404 from the demo endpoint as a prompt it has no recording of', () => {
    const message = runEndMessage('error', { kind: 'http', status: 404, message: 'Not found (404).' }, demo);
    assert.match(message ?? '', /^The demo endpoint only answers its recorded prompts\. Pick a suggestion .* set foresight\.baseUrl/);
  });

  it('passes a 404 from a configured endpoint through, since there it means a wrong URL or model', () => {
    const error = { kind: 'http' as const, status: 404, message: 'Not found (404). Check foresight.baseUrl (usually ends in /v1) and foresight.model.' };
    assert.equal(runEndMessage('error', error, remote), error.message);
  });

  it('names the setting when the step limit ran out', () => {
    assert.match(runEndMessage('maxSteps', undefined, { endpointKind: 'remote', maxSteps: 3 }) ?? '', /all 3 model calls of foresight\.maxSteps/);
  });

  it('points to the log when an error came without details', () => {
    assert.match(runEndMessage('error', undefined, remote) ?? '', /Show Log/);
  });
});
