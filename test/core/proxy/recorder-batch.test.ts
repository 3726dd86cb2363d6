import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RecorderBatch } from '../../../src/core/proxy/recorder-batch.js';
import { inputsOfBatch, type RecorderInput } from '../../../src/core/proxy/recorder-messages.js';

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const text = (view: Uint8Array) => Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('utf8');

describe('RecorderBatch', () => {
  it('gives back every input in order, its bytes copied at add time, across growth of both buffers', () => {
    const batch = new RecorderBatch();
    const sent: RecorderInput[] = [{ type: 'request', id: 7, body: bytes('{"messages":[]}'), at: 1 }, { type: 'begin', id: 7, status: 200, contentType: 'text/event-stream', at: 2 }];
    // Enough chunks to outgrow the first index and the first byte buffer.
    for (let i = 0; i < 300; i++) sent.push({ type: 'bytes', id: 7, bytes: bytes(`data: ${'x'.repeat(100)} ${i}\n\n`), at: 3 + i });
    sent.push({ type: 'end', id: 7, at: 400 }, { type: 'bytes', id: 8, bytes: bytes('late'), at: 401 });
    for (const input of sent) {
      batch.add(input);
      // The caller reuses its buffer: the batch has its own copy.
      if (input.type === 'bytes') input.bytes.fill(0x21);
    }
    const taken = batch.take();
    assert.ok(taken);
    assert.ok(batch.empty);
    assert.equal(batch.take(), undefined);
    if (taken.wire.type !== 'batch') throw new Error('not a batch');
    const got = [...inputsOfBatch(taken.wire)];
    assert.equal(got.length, sent.length);
    assert.deepEqual(got.map((g) => g.type), sent.map((s) => s.type));
    assert.equal(text((got[0] as Extract<RecorderInput, { type: 'request' }>).body), '{"messages":[]}');
    assert.equal(text((got[2] as Extract<RecorderInput, { type: 'bytes' }>).bytes), `data: ${'x'.repeat(100)} 0\n\n`);
    assert.equal(text((got[301] as Extract<RecorderInput, { type: 'bytes' }>).bytes), `data: ${'x'.repeat(100)} 299\n\n`);
    const late = got.at(-1) as Extract<RecorderInput, { type: 'bytes' }>;
    assert.deepEqual([late.id, late.at, text(late.bytes)], [8, 401, 'late']);
    assert.deepEqual(taken.transfer, [taken.wire.index.buffer, taken.wire.bytes]);
  });
});
