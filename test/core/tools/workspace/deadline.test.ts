import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { underDeadline } from '../../../../src/core/tools/workspace/deadline.js';

/** Work that only ends when its signal aborts, as every tool's reads do. */
const untilAborted = (signal: AbortSignal) =>
  new Promise<string>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));

describe('underDeadline', () => {
  it('turns a timeout into the result the tool makes for it', async () => {
    const result = await underDeadline(new AbortController().signal, 5, untilAborted, () => 'timed out');
    assert.equal(result, 'timed out');
  });

  it('lets the caller abort reject as an AbortError, not as a timeout', async () => {
    const controller = new AbortController();
    const running = underDeadline(controller.signal, 60_000, untilAborted, () => 'timed out');
    controller.abort();
    await assert.rejects(running, { name: 'AbortError' });
  });

  it('ends at the deadline even when the work ignores its signal and never ends', async () => {
    // An editor's diagnostics provider, say, that never answers: the call must not wait for it.
    const never = () => new Promise<string>(() => {});
    assert.equal(await underDeadline(new AbortController().signal, 5, never, () => 'timed out'), 'timed out');
    const controller = new AbortController();
    const running = underDeadline(controller.signal, 60_000, never, () => 'timed out');
    controller.abort();
    await assert.rejects(running, { name: 'AbortError' });
  });

  it('hands back the work result when it ends in time', async () => {
    assert.equal(await underDeadline(new AbortController().signal, 60_000, async () => 'read', () => 'timed out'), 'read');
  });
});
