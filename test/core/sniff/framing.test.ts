import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cueStrength, framingOf, type Cue } from '../../../src/core/sniff/framing.js';

/** `[[…]]` marks the evidence of the intent inside the sentence. */
function frame(marked: string): Cue | undefined {
  const start = marked.indexOf('[[');
  const end = marked.indexOf(']]') - 2;
  const text = marked.replace('[[', '').replace(']]', '');
  return framingOf(text, start, end);
}

describe('framingOf', () => {
  const cases: [string, Cue | undefined][] = [
    ['Next I will call [[get_weather with city "Austin"]].', undefined],
    ['So the order number is "A-17", let me [[lookup_order A-17]] now.', undefined],
    ['I should NOT call [[cancel_ticket with "T-9"]] yet.', 'negated'],
    ["We won't [[fetch the weather for Denver]].", 'negated'],
    ['Instead of calling [[search_flights with "OSL"]], I will ask the user.', 'negated'],
    ['I will ask the user rather than [[searching for "OSL"]].', 'negated'],
    ["I don't know the file yet, so I'll [[read_file with path \"a.txt\"]].", undefined],
    ['We called [[get_forecast with "Oslo"]]; it returned [].', 'past'],
    ['I already [[searched for "Bergen"]] and found nothing.', 'past'],
    ['First I looked up [[order A-17]], which was shipped.', 'past'],
    ['The first command they tried was [[execute "open door"]], but nothing happened.', 'past'],
    ['Then [[get_weather("Austin")]] returned 51F.', 'past'],
    ['I might need to [[search for "Kyoto"]] later.', 'hedged'],
    ['If the ticket is closed, we could [[reopen_ticket T-4]].', 'hedged'],
    ['If that fails, [[fetch the weather for Austin]].', 'hedged'],
    ["I'm not sure, but maybe [[list_files in \"/tmp\"]].", 'hedged'],
    ['Should I [[get_weather for "Paris"]]?', 'hedged'],
    ['The command would be [["open door"]].', undefined],
    ['Let me [[search for "Kyoto"]] again.', 'repeat'],
    ['Retry [[get_order with "A-17"]] now.', 'repeat'],
    ['Let me [[search for "Lima"]] to see what it returns.', undefined],
    ['One option is to [[open "draft.md"]], but the user wants the final copy.', 'hedged'],
    ['Another possibility would be [[list_files in "/srv"]].', 'hedged'],
    ['I was going to [[check the weather in Quito]], but that is not needed now.', 'negated'],
    ['I had planned to [[search for "Lima"]] first.', 'hedged'],
    ['[[fetch the rates for "EUR"]], though it is no longer necessary.', 'negated'],
    ['Based on the [[docs search for "pool size"]] above, 16 is the default.', 'past'],
    ['According to the results of [[get_rate for "CHF"]], it is 1.1.', 'past'],
    ['Recap: [[get_rate(code="CHF")]] -> 1.1; then the invoice.', 'past'],
    ['Calls so far: lookup_order A-1 (shipped), [[lookup_order A-2]] (found).', 'past'],
    ['Based on that, I will [[get_rate for "NOK"]] next.', undefined],
    ['I read [[the file notes/todo.md]] and it lists two tasks.', 'past'],
    ['We booked [[the room R-12]] for Friday.', 'past'],
    ['I need to read [[the file notes/todo.md]] first.', undefined],
  ];
  for (const [marked, cue] of cases) {
    it(`frames ${JSON.stringify(marked)} as ${cue ?? 'a plain statement'}`, () => {
      assert.equal(frame(marked), cue);
    });
  }

  it('reads only the clause before the evidence, so an earlier refusal of another call does not leak', () => {
    assert.equal(frame("Don't cancel the order; instead [[get_order with \"A-17\"]]."), undefined);
  });

  it('ranks a plain or repeated statement above a maybe, and a maybe above a refusal or a recap', () => {
    assert.ok(cueStrength(undefined) > cueStrength('hedged'));
    assert.equal(cueStrength('repeat'), cueStrength(undefined));
    assert.ok(cueStrength('hedged') > cueStrength('negated'));
    assert.equal(cueStrength('past'), cueStrength('negated'));
  });
});
