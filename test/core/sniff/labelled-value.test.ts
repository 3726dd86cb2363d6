import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readLabelledValue } from '../../../src/core/sniff/labelled-value.js';

/** The decided read of `after` (text following a label), as value text or null. */
function read(after: string, filler = false): string | null {
  const r = readLabelledValue(after, 0, true, filler);
  assert.notEqual(r.status, 'more');
  return r.status === 'value' ? r.value.text : null;
}

describe('readLabelledValue', () => {
  const cases: [string, string | null][] = [
    [' is ACC123, and more', 'ACC123'],
    [' is "asl_interpreter", event', 'asl_interpreter'],
    [': EVT-789456.', 'EVT-789456'],
    [' (user_12345) and', 'user_12345'],
    [' 978-0-7432-7356-5, quantity', '978-0-7432-7356-5'],
    [' = 2025-12-07 16:14:56 CST', '2025-12-07 16:14:56'],
    [' (2025-12-08 13:00:00), and', '2025-12-08 13:00:00'],
    [' is 2025-12-12.', '2025-12-12'],
    [" 'Lisbon' please", 'Lisbon'],
    ['": "E-1"}', 'E-1'],
    [' is required.', 'required'],
    [' is', null],
    [', then', null],
    [' to be decided', 'be'],
    [' alex.teenreader@email.com.', 'alex.teenreader@email.com'],
    [' "unterminated\nnext', null],
  ];
  for (const [after, expected] of cases) {
    it(`reads ${JSON.stringify(after)} as ${JSON.stringify(expected)}`, () => {
      assert.equal(read(after), expected);
    });
  }

  it('reads a value after one filler word only when asked to', () => {
    assert.equal(read(' time 2025-12-08 10:30:00 and', true), '2025-12-08 10:30:00');
    assert.equal(read(' time 2025-12-08 10:30:00 and', false), 'time');
  });

  it('answers the same for every prefix: more until the text decides, then the final value', () => {
    const texts = [' is "asl_interpreter", x', ' (2025-12-08 13:00:00), and', ': EVT-7 ok', ' is required.', ' should be 42 now'];
    for (const text of texts) {
      const whole = readLabelledValue(text, 0, true, false);
      let decidedAt = -1;
      for (let n = 0; n <= text.length; n++) {
        const r = readLabelledValue(text.slice(0, n), 0, false, false);
        if (r.status !== 'more') {
          if (decidedAt < 0) decidedAt = n;
          assert.deepEqual(r, whole, `${JSON.stringify(text)} decided at ${n}`);
        } else {
          assert.equal(decidedAt, -1, `${JSON.stringify(text)} said more at ${n} after deciding`);
        }
      }
    }
  });
});
