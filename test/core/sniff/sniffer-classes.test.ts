import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToolSpec } from '../../../src/core/chat/types.js';
import { ArgumentNormalizer } from '../../../src/core/schema/argument-normalizer.js';
import type { Intent } from '../../../src/core/sniff/intent.js';
import { Sniffer } from '../../../src/core/sniff/sniffer.js';

const fn = (name: string, properties: Record<string, unknown>, required: string[] = []): ToolSpec => ({
  type: 'function',
  function: { name, parameters: { type: 'object', properties, required } },
});

const tools: ToolSpec[] = [
  fn('get_weather', { city: { type: 'string' }, units: { type: 'string', enum: ['metric', 'imperial'] } }, ['city']),
  fn('get_forecast', { city: { type: 'string' }, days: { type: 'integer' } }, ['city', 'days']),
  fn('lookup_order', { order_id: { type: 'string' } }, ['order_id']),
  fn('send_command', { command: { type: 'string' } }, ['command']),
  fn('list_files', { directory: { type: 'string' }, recursive: { type: 'boolean' } }),
  fn('tag_ticket', { ticket_id: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } }, ['ticket_id', 'tags']),
  fn('find_person', { full_name: { type: 'string' } }, ['full_name']),
];

function sniff(text: string, chunk = 3, offered: ToolSpec[] = tools): Intent[] {
  const s = new Sniffer({ rules: [], tools: offered, normalizer: new ArgumentNormalizer() });
  const out: Intent[] = [];
  for (let i = 0; i < text.length; i += chunk) out.push(...s.push(text.slice(i, i + chunk)));
  out.push(...s.flush());
  return out;
}

const calls = (text: string) => sniff(text).map((i) => `${i.tool} ${i.canonical}`);

describe('Sniffer: a value stated without its parameter name', () => {
  it('binds a quoted value to the one required string parameter of the tool named', () => {
    assert.deepEqual(calls('Next I will call get_weather with "Austin". Then answer.'), ['get_weather {"city":"Austin"}']);
    assert.deepEqual(calls('Let me use send_command with "open door" now.'), ['send_command {"command":"open door"}']);
  });

  it('recognises a tool by its distinctive noun and an unquoted name after it', () => {
    assert.deepEqual(calls('Let me fetch the weather for Austin before replying.'), ['get_weather {"city":"Austin"}']);
  });

  it('reads a label written after the value', () => {
    assert.deepEqual(calls('Using lookup_order with "A-17" as the order id should work.'), ['lookup_order {"order_id":"A-17"}']);
  });

  it('reads a noun that names a tool in the plural, and keeps the full stop of an abbreviation inside quotes', () => {
    assert.deepEqual(calls('Now I will fetch the weathers for Oslo and Bergen.'), ['get_weather {"city":"Oslo"}', 'get_weather {"city":"Bergen"}']);
    // A plural in a sentence about data, not about what to do, names no call.
    assert.deepEqual(calls('The weathers for Oslo and Bergen were mild.'), []);
    assert.deepEqual(calls('Next I will call get_weather with "Washington, D.C.".'), ['get_weather {"city":"Washington, D.C."}']);
    assert.deepEqual(calls('Next I will call get_weather with "Oslo."'), ['get_weather {"city":"Oslo"}']);
  });

  it('takes a proper name of several words, unquoted, after the tool', () => {
    assert.deepEqual(calls('I will call find_person for Ada King Lovelace and compare.'), ['find_person {"full_name":"Ada King Lovelace"}']);
  });

  it('takes an identifier right after the noun that names the tool, in a sentence about what to do', () => {
    assert.deepEqual(calls('Next I will pull up order ORD-5531 for the refund.'), ['lookup_order {"order_id":"ORD-5531"}']);
    assert.deepEqual(calls('Now let me check order 884213 as well.'), ['lookup_order {"order_id":"884213"}']);
    assert.deepEqual(calls('Let me look up the order with ID ORD-77 now.'), ['lookup_order {"order_id":"ORD-77"}']);
    assert.deepEqual(calls('Next I will check order number 884213.'), ['lookup_order {"order_id":"884213"}']);
    // Said of what is, or a number that is no identifier: no call.
    assert.deepEqual(calls('The order with ID ORD-77 shipped yesterday.'), []);
    assert.deepEqual(calls('The order ORD-5531 shipped yesterday.'), []);
    assert.deepEqual(calls('I will open the order 360 view.'), []);
  });

  it('does not bind prose words or a title to an identifier parameter', () => {
    assert.deepEqual(calls('The lookup_order tool needs the order first.'), []);
    assert.deepEqual(calls('Maybe lookup_order for "The Blue Parcel" helps.'), []);
  });
});

describe('Sniffer: values of a tool with several parameters, stated without their names', () => {
  const several: ToolSpec[] = [
    fn('move_funds', { from_account: { type: 'string' }, to_account: { type: 'string' }, amount: { type: 'number' } }, ['from_account', 'to_account', 'amount']),
    fn('get_tides', { port: { type: 'string' }, date: { type: 'string', format: 'date' } }, ['port', 'date']),
  ];
  const callsOf = (text: string) => sniff(text, 4, several).map((i) => `${i.tool} ${i.canonical}`);

  it('binds each value to the only parameter its type and format fit', () => {
    assert.deepEqual(callsOf('Next I will call get_tides for "Porto" on 2027-05-02.'), ['get_tides {"date":"2027-05-02","port":"Porto"}']);
    assert.deepEqual(callsOf('Let me use get_tides with 2027-05-02 and "Porto".'), ['get_tides {"date":"2027-05-02","port":"Porto"}']);
  });

  it('binds values after "from" and "to" to the parameters named for each side', () => {
    assert.deepEqual(callsOf('I will call move_funds from "CHK-1" to "SAV-2" with 250.'), ['move_funds {"amount":250,"from_account":"CHK-1","to_account":"SAV-2"}']);
    assert.deepEqual(callsOf('I will call move_funds to "SAV-2" from "CHK-1" with 250.'), ['move_funds {"amount":250,"from_account":"CHK-1","to_account":"SAV-2"}']);
  });

  it('binds after a noun only in a sentence that says what to do', () => {
    assert.deepEqual(callsOf('Now get the tides for "Porto" on 2027-05-02.'), ['get_tides {"date":"2027-05-02","port":"Porto"}']);
    assert.deepEqual(callsOf('The tides for "Porto" on 2027-05-02 were wrong in the report.'), []);
  });

  it('predicts nothing when two values fit the same parameters equally, or a value breaks its format', () => {
    assert.deepEqual(callsOf('I will call move_funds with "CHK-1", "SAV-2" and 250.'), []);
    assert.deepEqual(callsOf('Next I will call get_tides for "Porto" on 2027-02-30.'), []);
  });
});

describe('Sniffer: list parameters stated item by item', () => {
  const lists: ToolSpec[] = [fn('get_quotes', { symbols: { type: 'array', items: { type: 'string' } } }, ['symbols']), tools.find((t) => t.function.name === 'tag_ticket')!];
  const callsOf = (text: string) => sniff(text, 4, lists).map((i) => `${i.tool} ${i.canonical}`);

  it('makes the items listed after the mention one call with a list, when the one open parameter takes a list', () => {
    assert.deepEqual(callsOf('Next I will call get_quotes for NVDA, AMD and INTC.'), ['get_quotes {"symbols":["NVDA","AMD","INTC"]}']);
    // Alternatives and a plan are not a list: a call each, with a list of one.
    assert.deepEqual(callsOf('Next I will call get_quotes for NVDA or AMD.'), ['get_quotes {"symbols":["NVDA"]}', 'get_quotes {"symbols":["AMD"]}']);
    assert.deepEqual(callsOf('Next I will call get_quotes for NVDA, then AMD.'), ['get_quotes {"symbols":["NVDA"]}', 'get_quotes {"symbols":["AMD"]}']);
  });

  it('takes the values listed after a list parameter\'s label as its items', () => {
    assert.deepEqual(callsOf('I will call tag_ticket with ticket_id "T-4" and tags "late", "refund" and "vip".'), ['tag_ticket {"tags":["late","refund","vip"],"ticket_id":"T-4"}']);
  });
});

describe('Sniffer: argument objects written in the reasoning', () => {
  it('reads a call with its one argument written bare, and not a variable name', () => {
    assert.deepEqual(calls("Let's do: get_weather(Lima) first."), ['get_weather {"city":"Lima"}']);
    assert.deepEqual(calls('Then lookup_order(A-17) too.'), ['lookup_order {"order_id":"A-17"}']);
    assert.deepEqual(calls('In code that is get_weather(city) with a variable.'), []);
  });

  it('reads a Python dict after the tool', () => {
    assert.deepEqual(calls("Call get_forecast with {'city': 'Oslo', 'days': 3} please."), ['get_forecast {"city":"Oslo","days":3}']);
  });

  it('reads a JSON call, a keyword call and a positional call', () => {
    assert.deepEqual(calls('So: get_forecast({"city": "Bergen", "days": 2}) is next.'), ['get_forecast {"city":"Bergen","days":2}']);
    assert.deepEqual(calls('I will run get_forecast(city="Lima", days=5) now.'), ['get_forecast {"city":"Lima","days":5}']);
    assert.deepEqual(calls('Then get_weather("Quito") for the answer.'), ['get_weather {"city":"Quito"}']);
  });

  it('reads a JSON object that spans lines without cutting it at a newline', () => {
    assert.deepEqual(calls('Arguments for get_forecast:\n{\n  "city": "Nairobi",\n  "days": 4\n}\nDone.'), ['get_forecast {"city":"Nairobi","days":4}']);
  });

  it('reads an array value after its label', () => {
    assert.deepEqual(calls('Use tag_ticket with ticket_id T-4 and tags ["urgent", "billing"].'), ['tag_ticket {"tags":["urgent","billing"],"ticket_id":"T-4"}']);
  });
});

describe('Sniffer: plans', () => {
  it('makes one intent per item of a plan', () => {
    assert.deepEqual(calls('First get_weather for Boston, then Denver, then Austin.'), [
      'get_weather {"city":"Boston"}',
      'get_weather {"city":"Denver"}',
      'get_weather {"city":"Austin"}',
    ]);
    assert.deepEqual(calls('We will fetch the weather for "Boston", "Denver" and "Austin".').length, 3);
  });
});

describe('Sniffer: framing', () => {
  it('marks a recap of a call already made as past (the speculator never runs those)', () => {
    const [i] = sniff('We called get_weather with "Oslo"; it returned [].');
    assert.equal(i?.cue, 'past');
  });

  it('marks refusals and maybes', () => {
    assert.equal(sniff('I should NOT call lookup_order with "A-9" yet.')[0]?.cue, 'negated');
    assert.equal(sniff('I might need to call get_weather with "Rome" later.')[0]?.cue, 'hedged');
  });

  it('reports a call again when a refusal is followed by a plain statement of it', () => {
    const got = sniff('We will not call get_weather with "Paris". Actually, let me call get_weather with "Paris".');
    assert.deepEqual(got.map((i) => i.cue ?? 'plain'), ['negated', 'plain']);
  });
});

describe('Sniffer: the same call stated twice', () => {
  it('reports it again, at the higher confidence, when restated with surer evidence', () => {
    const got = sniff('So the weather for Austin matters here. I will call get_weather with city "Austin" now.');
    assert.deepEqual(got.map((i) => i.canonical), ['{"city":"Austin"}', '{"city":"Austin"}']);
    assert.ok(got[1]!.confidence >= got[0]!.confidence + 0.1, `${got[0]!.confidence} then ${got[1]!.confidence}`);
  });

  it('does not report it again when restated no more surely', () => {
    const got = sniff('I will call get_weather with city "Austin". Again: get_weather with city "Austin".');
    assert.equal(got.length, 1);
  });
});

describe('Sniffer: what is not an argument', () => {
  it('does not take restated tool output or list markers as values', () => {
    assert.deepEqual(calls('The get_weather tool said: Boston — 40F, Denver — 35F.'), []);
    assert.deepEqual(calls('Results of get_weather:\n1. Boston: 40F\n2. Denver: 35F\n'), []);
  });

  it('does not take a result restated with a verb of outcome as the next command, and reads the command it followed as done', () => {
    const actionable = (text: string) => sniff(text).filter((i) => i.cue === undefined || i.cue === 'repeat').map((i) => `${i.tool} ${i.canonical}`);
    assert.deepEqual(actionable('The second send_command, "pull lever", resulted in "Nothing happens." so the lever is stuck.'), []);
    assert.deepEqual(actionable('The previous attempt with send_command "open hatch" printed "The hatch is locked."'), []);
    assert.deepEqual(actionable('The error for the last command suggests that "north gate" is not recognized by the game.'), []);
    // The same command stated as the next step is still a prediction.
    assert.deepEqual(actionable('Let me use send_command with "open hatch" now.'), ['send_command {"command":"open hatch"}']);
  });

  it('after a restated result, takes the value of the next step stated in a clause of its own', () => {
    const actionable = (text: string) => sniff(text).filter((i) => i.cue === undefined || i.cue === 'repeat').map((i) => `${i.tool} ${i.canonical}`);
    assert.deepEqual(actionable('The get_weather call gave 12C for "Oslo" earlier, so now I need "Bergen".'), ['get_weather {"city":"Bergen"}']);
    assert.deepEqual(actionable('lookup_order returned nothing for "A-17"; next I will try "A-71".'), ['lookup_order {"order_id":"A-71"}']);
    // A result listed on, with no next step of its own, is still a result.
    assert.deepEqual(actionable('The get_weather call returned "Oslo", then "Bergen".'), []);
  });

  it('does not take the quoted name of a key, column or field as an argument', () => {
    assert.deepEqual(calls('The parser trips over the "total" key, so I will send_command with "inventory".'), ['send_command {"command":"inventory"}']);
    assert.deepEqual(calls("send_command fails on the 'Revenue' column of the sheet."), []);
  });

  it('never predicts a call from defaults alone while its value is still to come', () => {
    assert.deepEqual(calls('I will use list_files. The directory is "/tmp/logs".'), ['list_files {"directory":"/tmp/logs"}']);
  });

  it('gives the same predictions whatever the chunk size', () => {
    const text = 'First get_weather for Boston, then Denver. Then get_forecast({"city": "Oslo", "days": 2}).';
    const expected = sniff(text, 1000).map((i) => i.canonical);
    for (let size = 1; size < 9; size++) assert.deepEqual(sniff(text, size).map((i) => i.canonical), expected, `chunk ${size}`);
  });
});

describe('Sniffer: chunks that carry nothing to read', () => {
  it('still reads the words they brought, at the next chunk that ends a sentence and at the end of the stream', () => {
    // Word by word, most chunks hold no tool name, no label and no stop: the sniffer holds them back.
    const words = (text: string) => text.split(/(?<= )/);
    const run = (pieces: string[]) => {
      const s = new Sniffer({ rules: [], tools, normalizer: new ArgumentNormalizer() });
      const out: Intent[] = [];
      for (const p of pieces) out.push(...s.push(p));
      out.push(...s.flush());
      return out.map((i) => `${i.tool} ${i.canonical} @${i.span.start}-${i.span.end}`);
    };
    const text = 'After a long look through the notes and the earlier replies I will now fetch the weather for Austin. Then I will fetch the weather for Denver';
    assert.deepEqual(run(words(text)), run([text]));
    assert.equal(run(words(text)).length, 2);
  });

  it('finds the same intents when chunks holding tool names, labels, quotes and brackets are held back until a sentence ends', () => {
    // No stop and no line break until the end of each sentence: every chunk before it can be held, hits and quotes with it.
    const text =
      'I will call lookup_order with order_id "A-77" and then tag_ticket with {"ticket_id": "T-9", "tags": ["late", "refund"]} ' +
      'because the customer asked twice; get_weather for "Boston" with units "imperial". After that find_person for "Ada Lovelace"';
    const run = (size: number) => {
      const s = new Sniffer({ rules: [], tools, normalizer: new ArgumentNormalizer() });
      const out: Intent[] = [];
      for (let i = 0; i < text.length; i += size) out.push(...s.push(text.slice(i, i + size)));
      // The last sentence has no stop: what is held when the stream ends is read by flush.
      out.push(...s.flush());
      return out.map((i) => `${i.tool} ${i.canonical} @${i.span.start}-${i.span.end} ${i.cue ?? ''}`);
    };
    const whole = run(text.length);
    assert.ok(whole.some((i) => i.startsWith('find_person')), whole.join('\n'));
    assert.ok(whole.some((i) => i.startsWith('tag_ticket')), whole.join('\n'));
    for (const size of [1, 2, 3, 4, 5, 7, 11, 16]) assert.deepEqual(run(size), whole, `chunks of ${size}`);
  });
});

describe('Sniffer: plans across sentences', () => {
  it('reads "do the same for X" as the next call of the tool named before', () => {
    assert.deepEqual(calls('I will call get_weather for Lisbon first. Then I will do the same for Porto.'), ['get_weather {"city":"Lisbon"}', 'get_weather {"city":"Porto"}']);
  });

  it('reads the framing of a value from its own clause, not from the clause of the mention', () => {
    const got = sniff('The first send_command did not work, so perhaps try "pull lever" next.');
    assert.deepEqual(got.map((i) => [i.canonical, i.cue]), [['{"command":"pull lever"}', 'hedged']]);
  });
});

describe('Sniffer: framing of rule intents', () => {
  it('sets the cue on an intent found by a rule too', async () => {
    const { parseRules } = await import('../../../src/core/rules/rule-parser.js');
    const { readFileSync } = await import('node:fs');
    const rules = parseRules(readFileSync('media/rules/default.sniff', 'utf8')).rules;
    const search = fn('search_docs', { query: { type: 'string' } }, ['query']);
    const s = new Sniffer({ rules, tools: [search], normalizer: new ArgumentNormalizer(), schemaSniffing: false });
    const got = [...s.push('I will not search for "rate limits" here.'), ...s.flush()].filter((i) => i.kind === 'call');
    assert.deepEqual(got.map((i) => [i.args.query, i.cue]), [['rate limits', 'negated']]);
  });
});

describe('Sniffer: more ways of writing arguments', () => {
  it('reads a raw tool call written as {"name": …, "arguments": {…}}', () => {
    assert.deepEqual(calls('<tool_call>{"name": "get_weather", "arguments": {"city": "Paris"}}</tool_call>'), ['get_weather {"city":"Paris"}']);
  });

  it('reads a count written before its label, for a numeric parameter only', () => {
    assert.deepEqual(calls('Next: get_forecast for Oslo over 3 days.'), ['get_forecast {"city":"Oslo","days":3}']);
    assert.deepEqual(calls('Step 2 order id pending, so lookup_order waits.'), []);
  });
});

describe('Sniffer: identifiers written with a number sign', () => {
  const withSign = fn('track_parcel', { parcel_id: { type: 'string', description: "The parcel id, such as '#P0000000', with its number sign." } }, ['parcel_id']);
  const withoutSign = fn('get_ticket', { ticket_id: { type: 'string', description: 'The ticket number.' } }, ['ticket_id']);
  const callsOf = (text: string) => sniff(text, 4, [withSign, withoutSign]).map((i) => `${i.tool} ${i.canonical}`);

  it('keeps the sign where the schema writes its values with it, and drops it where not', () => {
    assert.deepEqual(callsOf('Next I will call track_parcel for #K55120.'), ['track_parcel {"parcel_id":"#K55120"}']);
    assert.deepEqual(callsOf('Next I will call get_ticket for #K55120.'), ['get_ticket {"ticket_id":"K55120"}']);
  });

  it('reads the value after a label when it starts with the sign, not the label as a value', () => {
    assert.deepEqual(callsOf('So track_parcel with parcel_id #Q7731 it is.'), ['track_parcel {"parcel_id":"#Q7731"}']);
  });
});

describe('Sniffer: a tool named by its verb and object', () => {
  const booking: ToolSpec[] = [
    fn('cancel_reservation', { reservation_id: { type: 'string' }, reason: { type: 'string', enum: ['change of plans', 'found a better price'] } }, ['reservation_id', 'reason']),
    fn('get_reservation', { reservation_id: { type: 'string' } }, ['reservation_id']),
  ];
  const callsOf = (text: string) => sniff(text, 4, booking).map((i) => `${i.tool} ${i.canonical}`);

  it('recognises the name written with an article between its words, and not the noun inside it as another tool', () => {
    assert.deepEqual(callsOf('Now I will cancel the reservation RV-2231, reason: change of plans.'), ['cancel_reservation {"reason":"change of plans","reservation_id":"RV-2231"}']);
    // "reservation" alone names get_reservation; inside "cancel the reservation" it is cancel_reservation's word, whose reason is not stated.
    assert.deepEqual(callsOf('Now I will cancel the reservation RV-2231 for the guest.'), []);
    assert.deepEqual(callsOf("Now I'm getting the reservation RV-2231 first."), ['get_reservation {"reservation_id":"RV-2231"}']);
  });

  it('takes an enum value of several words written unquoted after its label', () => {
    assert.deepEqual(callsOf('I will call cancel_reservation with reservation_id RV-9 and reason found a better price.'), ['cancel_reservation {"reason":"found a better price","reservation_id":"RV-9"}']);
  });
});

describe('Sniffer: an argument object declared as the call\'s arguments', () => {
  it('reads a bare object after "the arguments would be" as the call of the one tool it fits', () => {
    assert.deepEqual(calls('So the arguments would be {"city": "Accra", "days": 2}.'), ['get_forecast {"city":"Accra","days":2}']);
    assert.deepEqual(calls('The service answered {"city": "Accra", "days": 2}.'), []);
  });
});

describe('Sniffer: values after a colon, and labels in a row', () => {
  const account: ToolSpec[] = [
    fn('search_people', { given_name: { type: 'string' }, family_name: { type: 'string' }, postcode: { type: 'string' } }, ['given_name', 'family_name', 'postcode']),
    fn('get_member', { member_id: { type: 'string' } }, ['member_id']),
  ];
  const callsOf = (text: string) => sniff(text, 4, account).map((i) => `${i.tool} ${i.canonical}`);

  it('takes the values listed after a colon that follows the mention, a call each', () => {
    assert.deepEqual(callsOf('Then I will look up each member: M-1180 and M-2291.'), ['get_member {"member_id":"M-1180"}', 'get_member {"member_id":"M-2291"}']);
  });

  it('does not take the next label as a value, and reads every required parameter named in a sentence that says what to do as the call', () => {
    assert.deepEqual(callsOf('First I will find the member id: given name Ines, family name Okafor, postcode 40213.'), ['search_people {"family_name":"Okafor","given_name":"Ines","postcode":"40213"}']);
    assert.deepEqual(callsOf('Her given name Ines, family name Okafor and postcode 40213 are on file.'), []);
  });
});

describe('Sniffer: a parameter name inside a quoted value', () => {
  const offered: ToolSpec[] = [
    fn('run_shell', { command: { type: 'string' } }, ['command']),
    fn('open_ticket', { project: { type: 'string' }, summary: { type: 'string' } }, ['project', 'summary']),
  ];
  const callsOf = (text: string) => sniff(text, 4, offered).map((i) => `${i.tool} ${i.canonical}`);

  it('is part of the value, not a label that takes the words after the quote', () => {
    assert.deepEqual(callsOf('I will run `cat /srv/project/notes.txt` to read the summary.'), ['run_shell {"command":"cat /srv/project/notes.txt"}']);
    assert.deepEqual(callsOf('I will call open_ticket with project "web" and summary "project page is blank".'), ['open_ticket {"project":"web","summary":"project page is blank"}']);
  });
});

describe('Sniffer: tools named in the order prose puts their words', () => {
  const offered: ToolSpec[] = [
    fn('web_search', { query: { type: 'string' } }, ['query']),
    fn('get_tides', { port: { type: 'string' } }, ['port']),
  ];
  const callsOf = (text: string) => sniff(text, 4, offered).map((i) => `${i.tool} ${i.canonical}`);

  it('reads a name whose verb comes last as verb and object ("search the web" for web_search), with a plan after it', () => {
    assert.deepEqual(callsOf('First I will search the web for "harbour strike", then for "ferry delays".'), ['web_search {"query":"harbour strike"}', 'web_search {"query":"ferry delays"}']);
  });

  it('takes the values after "both" or "each of" as a call each', () => {
    assert.deepEqual(callsOf('Let me get the tides for both Porto and Faro.'), ['get_tides {"port":"Porto"}', 'get_tides {"port":"Faro"}']);
  });

  it('takes nothing after a noun in a sentence that describes the data', () => {
    assert.deepEqual(callsOf('The tides for both Porto and Faro were unusually high.'), []);
    assert.deepEqual(callsOf('The tides in Porto looked calm.'), []);
  });
});

describe('Sniffer: a value and its label joined by "as"', () => {
  it('reads a name written before "as the" its label, and a quoted value after a filler word and "as"', () => {
    assert.deepEqual(calls('I will call get_weather, passing Tbilisi as the city.'), ['get_weather {"city":"Tbilisi"}']);
    assert.deepEqual(calls('Call get_weather with the city parameter as "Tbilisi" and units as "metric".'), ['get_weather {"city":"Tbilisi","units":"metric"}']);
  });
});

describe('Sniffer: a parameter named with a possessive', () => {
  it('reads "the order\'s id" as the label of order_id, with either apostrophe', () => {
    assert.deepEqual(calls("Since the order's id is A-5531, I will now call lookup_order."), ['lookup_order {"order_id":"A-5531"}']);
    assert.deepEqual(calls('Since the order\u2019s id is A-5531, I will now call lookup_order.'), ['lookup_order {"order_id":"A-5531"}']);
  });
});
