import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToolSpec } from '../../../src/core/chat/types.js';
import { ArgumentNormalizer } from '../../../src/core/schema/argument-normalizer.js';
import type { Intent } from '../../../src/core/sniff/intent.js';
import { Sniffer } from '../../../src/core/sniff/sniffer.js';

const tools: ToolSpec[] = [
  {
    type: 'function',
    function: {
      name: 'lookup_shipment',
      parameters: {
        type: 'object',
        properties: { tracking_number: { type: 'string' }, carrier: { type: 'string', enum: ['ups', 'dhl'] }, include_history: { type: 'boolean', default: false } },
        required: ['tracking_number', 'carrier'],
      },
    },
  },
  {
    type: 'function',
    function: {
      name: 'book_room',
      parameters: {
        type: 'object',
        properties: { room_id: { type: 'string' }, start_time: { type: 'string' }, nights: { type: 'integer' } },
        required: ['room_id', 'start_time', 'nights'],
      },
    },
  },
];

function sniff(text: string, chunk = 3): Intent[] {
  // Through the facade, which reports each distinct call once.
  const s = new Sniffer({ rules: [], tools, normalizer: new ArgumentNormalizer() });
  const out: Intent[] = [];
  for (let i = 0; i < text.length; i += chunk) out.push(...s.push(text.slice(i, i + chunk)));
  out.push(...s.flush());
  return out;
}

describe('SchemaSniffer', () => {
  it('predicts a call from the tool name and values labelled with parameter names', () => {
    const got = sniff('I should use lookup_shipment. The tracking_number is "1Z999AA10123456784" and carrier is "ups". Then answer.');
    assert.equal(got.length, 1);
    assert.equal(got[0]?.tool, 'lookup_shipment');
    // Schema defaults are filled, so the key equals the formal call's canonical form.
    assert.deepEqual(got[0]?.args, { tracking_number: '1Z999AA10123456784', carrier: 'ups', include_history: false });
  });

  it('reads labels written as words and values in parentheses, with the tool named in words', () => {
    const got = sniff('Next I will book room with room ID (R-204), start time 2026-03-01 15:00 and nights of 3. Done.');
    assert.deepEqual(got.map((i) => i.args), [{ room_id: 'R-204', start_time: '2026-03-01 15:00', nights: 3 }]);
  });

  it('gives the same prediction whatever the chunk size', () => {
    const text = 'Use lookup_shipment: tracking number TRK-88-1, carrier dhl. Ok.';
    const expected = sniff(text, 1000).map((i) => i.canonical);
    assert.equal(expected.length, 1);
    for (let size = 1; size < 12; size++) assert.deepEqual(sniff(text, size).map((i) => i.canonical), expected, `chunk ${size}`);
  });

  it('predicts nothing while a required value is missing', () => {
    assert.deepEqual(sniff('I need lookup_shipment but the tracking_number is unknown; carrier is "ups".'), []);
  });

  it('rejects a value that does not fit the schema (an enum, an integer)', () => {
    assert.deepEqual(sniff('Use lookup_shipment with tracking_number T-1 and carrier fedex-ground. End.'), []);
    assert.deepEqual(sniff('Call book_room: room_id R-1, start_time 2026-01-01, nights is many. End.'), []);
  });

  it('does not take prose words as values', () => {
    assert.deepEqual(sniff('lookup_shipment needs the tracking_number and carrier first. I will ask.'), []);
  });

  it('waits for the end of the sentence so later values in it are not missed', () => {
    const got = sniff('Use lookup_shipment: tracking_number is T-9, carrier is dhl, include_history is true. Go.');
    assert.deepEqual(got.map((i) => i.args.include_history), [true]);
  });

  it('predicts again when the values change, once per distinct call', () => {
    const got = sniff('lookup_shipment with tracking_number A-1, carrier ups. Also lookup_shipment with tracking_number B-2, carrier ups. And again tracking_number A-1, carrier ups.');
    assert.deepEqual(got.map((i) => i.args.tracking_number), ['A-1', 'B-2']);
  });
});

describe('SchemaSniffer with parallel calls', () => {
  it('predicts one call per mention when the same tool is named twice with different values', () => {
    const got = sniff('I should call lookup_shipment with tracking_number "A-1" and carrier "ups", and lookup_shipment with tracking_number "B-2" and carrier "dhl". Both now.');
    assert.deepEqual(
      got.map((i) => [i.args.tracking_number, i.args.carrier]),
      [
        ['A-1', 'ups'],
        ['B-2', 'dhl'],
      ],
    );
  });
});
