import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ArgumentNormalizer } from '../../../src/core/schema/argument-normalizer.js';

const forecast = {
  type: 'object',
  properties: {
    city: { type: 'string' },
    days: { type: 'integer', default: 3 },
    units: { type: ['string', 'null'] },
    alerts: { type: 'array', items: { type: 'string' } },
    tags: { type: 'array', items: { type: 'string' }, default: [] },
    region: { type: 'string' },
  },
  required: ['city', 'units'],
};

function canonical(args: Record<string, unknown>): string {
  const n = new ArgumentNormalizer().normalize(forecast, args);
  assert.ok(n.ok, JSON.stringify(n));
  return n.canonical;
}

describe('ArgumentNormalizer', () => {
  it('coerces captured strings and fills defaults, with sorted keys', () => {
    assert.equal(canonical({ days: '5', city: 'Oslo' }), '{"city":"Oslo","days":5}');
  });

  it('treats a required nullable parameter left out as null, so a prediction without it matches a call passing null', () => {
    assert.equal(canonical({ city: 'Oslo' }), canonical({ city: 'Oslo', units: null }));
    const n = new ArgumentNormalizer().normalize(forecast, { city: 'Oslo' });
    assert.ok(n.ok && n.value.units === null, 'the tool still receives null');
  });

  it('drops null for an optional parameter before coercion could make it an empty string', () => {
    assert.equal(canonical({ city: 'Oslo', region: null }), canonical({ city: 'Oslo' }));
  });

  it('counts an empty list with no default as absent, but not a list with values', () => {
    assert.equal(canonical({ city: 'Oslo', alerts: [] }), canonical({ city: 'Oslo' }));
    assert.notEqual(canonical({ city: 'Oslo', alerts: ['wind'] }), canonical({ city: 'Oslo' }));
    assert.equal(canonical({ city: 'Oslo', tags: [] }), canonical({ city: 'Oslo' }));
  });

  it('checks the standard formats, without a word on the console about them', (t) => {
    const warned: unknown[] = [];
    t.mock.method(console, 'warn', (...args: unknown[]) => warned.push(args));
    t.mock.method(console, 'log', (...args: unknown[]) => warned.push(args));
    const n = new ArgumentNormalizer();
    const schema = { type: 'object', properties: { day: { type: 'string', format: 'date' }, to: { type: 'string', format: 'email' } }, required: ['day'] };
    assert.equal(n.normalize(schema, { day: '2027-05-02', to: 'ops@example.org' }).ok, true);
    assert.equal(n.normalize(schema, { day: '2027-02-30' }).ok, false);
    assert.equal(n.normalize(schema, { day: '2027-05-02', to: 'not an address' }).ok, false);
    assert.deepEqual(warned, []);
  });

  it('still rejects arguments the schema forbids', () => {
    const n = new ArgumentNormalizer().normalize(forecast, { days: 2 });
    assert.equal(n.ok, false);
  });

  it('answers a repeated call the same even after a caller changed an earlier result', () => {
    const n = new ArgumentNormalizer();
    const first = n.normalize(forecast, { city: 'Oslo' });
    assert.ok(first.ok);
    first.value.city = 'changed';
    const again = n.normalize(forecast, { city: 'Oslo' });
    assert.ok(again.ok && again.value.city === 'Oslo');
  });

  it('answers a repeated argument text the same, and as checked, even after a caller changed an earlier result', () => {
    const n = new ArgumentNormalizer();
    const text = '{"city":"Oslo","units":null,"days":"2"}';
    const first = n.normalizeText(forecast, text);
    assert.ok(first.ok);
    assert.equal(first.canonical, '{"city":"Oslo","days":2}', 'coerced, and the nullable null as if absent');
    first.value.city = 'changed';
    const again = n.normalizeText(forecast, text);
    assert.ok(again.ok && again.value.city === 'Oslo' && again.canonical === first.canonical);
    assert.equal(n.normalizeText(forecast, '{"units":null}').ok, false, 'a text without the required city is still rejected');
    assert.equal(n.normalizeText(forecast, '{"units":null}').ok, false, 'and again from the memo');
    assert.equal(n.normalizeText(forecast, '{not json').ok, false);
  });
});
