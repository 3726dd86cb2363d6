import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Readiness } from '../../../src/core/chat-session/readiness.js';
import type { BackendReadiness } from '../../../src/shared/protocol.js';

function recorded(): { readiness: Readiness; seen: BackendReadiness['kind'][] } {
  const seen: BackendReadiness['kind'][] = [];
  return { readiness: new Readiness((s) => seen.push(s.kind)), seen };
}

describe('Readiness', () => {
  it('is not ready before anything happened', () => {
    assert.equal(new Readiness().current.kind, 'opening');
  });

  it('goes opening, listing tools, ready, in that order, for one attempt', () => {
    const { readiness, seen } = recorded();
    const a = readiness.begin();
    readiness.opened(a);
    readiness.toolsListed(a);
    assert.deepEqual(seen, ['opening', 'listingTools', 'ready']);
  });

  it('does not become ready from a tool listing before the endpoint opened', () => {
    const { readiness } = recorded();
    const a = readiness.begin();
    readiness.toolsListed(a);
    assert.equal(readiness.current.kind, 'opening');
  });

  it('ignores the steps of an attempt a newer one replaced', () => {
    const { readiness } = recorded();
    const old = readiness.begin();
    const fresh = readiness.begin();
    readiness.opened(old);
    readiness.toolsListed(old);
    assert.equal(readiness.current.kind, 'opening', 'the old backend cannot report the new one ready');
    readiness.failed(old, 'the old endpoint went away');
    assert.equal(readiness.current.kind, 'opening');
    readiness.opened(fresh);
    readiness.toolsListed(fresh);
    assert.equal(readiness.current.kind, 'ready');
  });

  it('keeps the first failure of an attempt and its sentence, until a new attempt begins', () => {
    const { readiness } = recorded();
    const a = readiness.begin();
    readiness.failed(a, 'The endpoint https://llm.example.com/v1 refused the connection.');
    readiness.opened(a);
    assert.deepEqual(readiness.current, { kind: 'failed', problem: 'The endpoint https://llm.example.com/v1 refused the connection.' });
    readiness.begin();
    assert.equal(readiness.current.kind, 'opening');
  });
});
