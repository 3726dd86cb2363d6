import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToolSpec } from '../../../src/core/chat/types.js';
import { ArgumentNormalizer } from '../../../src/core/schema/argument-normalizer.js';
import { commandToolOf, SCHEMA_DECLARED_CONFIDENCE } from '../../../src/core/sniff/implied-call.js';
import type { Intent } from '../../../src/core/sniff/intent.js';
import { Sniffer } from '../../../src/core/sniff/sniffer.js';

const fn = (name: string, properties: Record<string, unknown>, required: string[] = [], description?: string): ToolSpec => ({
  type: 'function',
  function: { name, parameters: { type: 'object', properties, required }, ...(description ? { description } : {}) },
});

const normalizer = new ArgumentNormalizer();

function sniff(tools: ToolSpec[], text: string, chunk = 5): Intent[] {
  const s = new Sniffer({ rules: [], tools, normalizer });
  const out: Intent[] = [];
  for (let i = 0; i < text.length; i += chunk) out.push(...s.push(text.slice(i, i + chunk)));
  out.push(...s.flush());
  return out;
}

const calls = (tools: ToolSpec[], text: string) => sniff(tools, text).map((i) => `${i.tool} ${i.canonical}${i.cue ? ` (${i.cue})` : ''}`);

// A strict-mode schema: every property required, the optional ones nullable.
const probe = fn(
  'launch_probe',
  { mass: { type: 'number' }, distance: { type: 'number' }, duration: { type: ['number', 'null'] }, label: { type: ['string', 'null'] } },
  ['mass', 'distance', 'duration', 'label'],
);
const orbit = fn('compute_orbit', { body_mass: { type: 'number' }, orbit_radius: { type: 'number' } }, ['body_mass', 'orbit_radius']);
const trip = fn('estimate_trip', { distance: { type: 'number' }, duration: { type: 'number' } }, ['distance', 'duration']);
const weather = fn('get_weather', { city: { type: 'string' } }, ['city']);
const forecast = fn('get_forecast', { city: { type: 'string' }, days: { type: 'integer' } }, ['city']);
const ticket = fn('file_ticket', { summary: { type: 'string' } }, ['summary']);
const shell = fn('shell_exec', { cmd: { type: 'string' }, timeout: { type: 'integer' } }, ['cmd'], 'Runs a shell command in the sandbox.');

describe('Sniffer: keys written as abbreviations of the parameters', () => {
  it('binds letters with a number, prefixes and initials to the one parameter each abbreviates', () => {
    assert.deepEqual(calls([orbit], 'Then I will call compute_orbit(bm=5.5, rad=2) to check.'), ['compute_orbit {"body_mass":5.5,"orbit_radius":2}']);
  });

  it('reads a key=value list in prose for the one tool whose parameters it fits, with no tool named', () => {
    assert.deepEqual(calls([orbit, weather], 'Next, run it with bm=3, rad=7.'), ['compute_orbit {"body_mass":3,"orbit_radius":7}']);
  });

  it('predicts nothing when a key abbreviates two parameters a call must both state, unless another key takes one', () => {
    assert.deepEqual(calls([trip], 'Next, try estimate_trip(d=4, dur=3).'), ['estimate_trip {"distance":4,"duration":3}']);
    assert.deepEqual(calls([trip], 'Next, try estimate_trip(d=4).'), []);
    assert.deepEqual(calls([trip], 'Now run it with d=4.'), []);
  });

  it('lets an optional (nullable) parameter give way to the essential one, and fills it with null', () => {
    const got = sniff([probe], 'Now run the probe with m=2.0, d=3.');
    assert.deepEqual(got.map((i) => i.canonical), ['{"distance":3,"mass":2}']);
    // The formal call of a strict schema writes the optional ones as null, and 3.0 for 3: the same call.
    const formal = normalizer.normalizeText(probe.function.parameters, '{"mass": 2, "distance": 3.0, "duration": null, "label": null}');
    assert.equal(formal.ok && formal.canonical, got[0]?.canonical);
  });

  it('does not read a list recounting results, or one that goes on with values it could not read', () => {
    assert.deepEqual(calls([orbit], 'For bm=3, rad=7 the period came out at 4.1 hours.'), []);
    assert.deepEqual(calls([probe], "Let's start with m=1, d=2, duration maybe 0.5."), []);
  });

  it('keeps the framing gates: a list ruled out or only supposed is not a plain call', () => {
    assert.deepEqual(calls([orbit], 'I should not run it with bm=3, rad=7 again.'), ['compute_orbit {"body_mass":3,"orbit_radius":7} (negated)']);
    assert.deepEqual(calls([orbit], 'Suppose we try bm=9, rad=1.'), ['compute_orbit {"body_mass":9,"orbit_radius":1} (hedged)']);
  });
});

describe('Sniffer: a value declared for a parameter only one tool has', () => {
  it('states the call without the tool being named', () => {
    assert.deepEqual(calls([ticket, weather], 'Putting it together, the summary is "Printer jams on tray 2".'), ['file_ticket {"summary":"Printer jams on tray 2"}']);
  });

  it('gives a declared call, with no tool named, less confidence than a named one', () => {
    const [declared] = sniff([ticket], 'So the summary is "Fan is loud".');
    const [named] = sniff([ticket], 'I will call file_ticket with summary "Fan is loud".');
    assert.ok(declared && named && declared.confidence <= SCHEMA_DECLARED_CONFIDENCE && declared.confidence < named.confidence);
  });

  it('predicts nothing when two tools share the parameter, or the value is not declared', () => {
    assert.deepEqual(calls([weather, forecast], 'So the city is Lisbon.'), []);
    assert.deepEqual(calls([ticket], 'A summary: "Printer jams" came from the user.'), []);
  });

  it('reads names in any script', () => {
    assert.deepEqual(calls([weather], 'The user wrote from Switzerland, so the city is Zürich.'), ['get_weather {"city":"Zürich"}']);
    assert.deepEqual(calls([fn('find_guest', { guest_name: { type: 'string' } }, ['guest_name'])], 'So the guest name is Åsa Nordström.'), ['find_guest {"guest_name":"Åsa Nordström"}']);
  });
});

describe('Sniffer: commands for the tool that runs them, which reasoning seldom names', () => {
  it('finds the command tool and its one string parameter from the schema', () => {
    assert.deepEqual(commandToolOf([weather, shell]), { tool: 'shell_exec', param: 'cmd' });
    assert.equal(commandToolOf([weather, orbit]), undefined);
    // Two string parameters: which one takes the command is not the schema's to say.
    assert.equal(commandToolOf([fn('run_script', { code: { type: 'string' }, language: { type: 'string' } }, ['code', 'language'])]), undefined);
  });

  it('binds a quoted command after a run verb, and one labelled with the word for it', () => {
    assert.deepEqual(calls([shell], 'The log folder looks stale. Let me run `ls -la /var/log` to see it.'), ['shell_exec {"cmd":"ls -la /var/log"}']);
    assert.deepEqual(calls([shell], "To see the disk, the cmd would be 'df -h /data'."), ['shell_exec {"cmd":"df -h /data"}']);
  });

  it('keeps the framing gates for commands', () => {
    assert.deepEqual(calls([shell], 'I should not run `rm -rf /srv/cache` yet.'), ['shell_exec {"cmd":"rm -rf /srv/cache"} (negated)']);
    assert.deepEqual(calls([shell], 'We already did run `uptime` earlier, and it returned 3 days.'), ['shell_exec {"cmd":"uptime"} (past)']);
  });

  it('leaves quoted values to a tool named just before, and binds nothing without a command tool', () => {
    assert.deepEqual(calls([weather, shell], 'I will call get_weather for Oslo. Then try "Bergen" as well.'), ['get_weather {"city":"Oslo"}', 'get_weather {"city":"Bergen"}']);
    assert.deepEqual(calls([weather], 'The user said "hello there" and waited.'), []);
  });
});

describe('Sniffer: a fenced block to run, for the command tool', () => {
  it('takes the block after a line that says to run it, without its last line break', () => {
    const text = 'The archive should be there. Let me run:\n```bash\ntar -tzf backup.tgz | head -n 5\n```\nThen I will read the list.';
    assert.deepEqual(calls([shell], text), ['shell_exec {"cmd":"tar -tzf backup.tgz | head -n 5"}']);
  });

  it('keeps the lines of a block and ends it at the last fence of the text', () => {
    assert.deepEqual(calls([shell], 'I will execute this:\n```\ncd /srv\nmake check\n```'), ['shell_exec {"cmd":"cd /srv\\nmake check"}']);
  });

  it('takes no block shown as an example, none left open, and keeps a refusal a refusal', () => {
    assert.deepEqual(calls([shell], 'The config looks like this:\n```\nport: 8080\n```\n'), []);
    assert.deepEqual(calls([shell], 'Let me run:\n```bash\nls -la /opt'), []);
    assert.deepEqual(calls([shell], 'I must not run:\n```bash\nshutdown -h now\n```\n'), ['shell_exec {"cmd":"shutdown -h now"} (negated)']);
  });
});
