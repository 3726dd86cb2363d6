import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PRIOR_ART_WINDOW, PriorArtSniffer, type PriorArtIntent } from './prior-art-sniffer.js';

/** Everything the sniffer reports for `text` streamed in pieces of `size` characters. */
function sniffInPieces(text: string, size: number): PriorArtIntent[] {
  const sniffer = new PriorArtSniffer();
  const out: PriorArtIntent[] = [];
  for (let i = 0; i < text.length; i += size) out.push(...sniffer.push(text.slice(i, i + size)));
  return [...out, ...sniffer.flush()];
}

describe('the prior-art-way sniffer (benchmark baseline)', () => {
  it('finds each kind of intent when the text arrives four characters at a time', () => {
    const text =
      'First let me search for weather in Lisbon. Then I will call get_forecast with the city. ' +
      'I should read the file config/stations.yaml first, and then let me run the code again. ' +
      'Maybe fetch https://example.org/tides.json and look up the harbour schedule.\n';
    assert.deepEqual(sniffInPieces(text, 4), [
      { intent: 'search', argument: 'weather in Lisbon' },
      { intent: 'call', argument: 'get_forecast' },
      { intent: 'read', argument: 'config/stations.yaml' },
      { intent: 'run', argument: '' },
      { intent: 'fetch', argument: 'https://example.org/tides.json' },
      { intent: 'lookup', argument: 'harbour schedule' },
    ]);
  });

  it('reports an intent once though every later chunk re-reads it', () => {
    const found = sniffInPieces('I will call open_ticket now, as said. ' + 'Waiting. '.repeat(20), 3);
    assert.deepEqual(found, [{ intent: 'call', argument: 'open_ticket' }]);
  });

  it('does not report an argument before something ends it', () => {
    const sniffer = new PriorArtSniffer();
    assert.deepEqual(sniffer.push('let me search for order 4471'), []);
    assert.deepEqual(sniffer.push(' status.'), [{ intent: 'search', argument: 'order 4471 status' }]);
  });

  it('no longer sees a phrase once it has left the window', () => {
    const sniffer = new PriorArtSniffer();
    sniffer.push('let me search for ');
    sniffer.push('x'.repeat(PRIOR_ART_WINDOW));
    assert.deepEqual(sniffer.push('parcel tracking.'), []);
  });
});
