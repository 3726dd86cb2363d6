import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChatRuleFiles } from '../../src/extension/chat-rule-files.js';

const GOOD = [
  'tool get_forecast',
  '  when /\\bforecast for (?<city>[A-Z][a-z]+)/',
  '  confidence 0.7',
  '  test "Let me get the forecast for Lisbon." => { "city": "Lisbon" }',
  '',
].join('\n');
const ALSO_GOOD = GOOD.replace('get_forecast', 'get_weather');
const BROKEN = 'tool get_forecast\n  when /unclosed (group/\n';

describe('ChatRuleFiles', () => {
  it('uses a file added from the editor and lists it', () => {
    const files = new ChatRuleFiles();
    assert.deepEqual(files.use('/w/weather.sniff', GOOD), { ok: true, rules: 1 });
    assert.deepEqual(files.listed(), [{ path: '/w/weather.sniff' }]);
    assert.deepEqual(files.sources(), [{ name: '/w/weather.sniff', text: GOOD }]);
  });

  it('refuses a malformed file with the line, and adds nothing', () => {
    const files = new ChatRuleFiles();
    const outcome = files.use('/w/broken.sniff', BROKEN);
    assert.equal(outcome.ok, false);
    if (!outcome.ok) assert.match(outcome.problem, /^line 2: /);
    assert.deepEqual(files.listed(), []);
  });

  it('keeps the previous rules when a save breaks the file, and says why', () => {
    const files = new ChatRuleFiles();
    files.use('/w/weather.sniff', GOOD);
    const outcome = files.saved('/w/weather.sniff', BROKEN);
    assert.equal(outcome?.ok, false);
    assert.deepEqual(files.sources(), [{ name: '/w/weather.sniff', text: GOOD }]);
    assert.match(files.listed()[0]?.problem ?? '', /^line 2: /);
  });

  it('takes a save that parses, and forgets the earlier refusal', () => {
    const files = new ChatRuleFiles();
    files.use('/w/weather.sniff', GOOD);
    files.saved('/w/weather.sniff', BROKEN);
    assert.deepEqual(files.saved('/w/weather.sniff', ALSO_GOOD), { ok: true, rules: 1 });
    assert.deepEqual(files.listed(), [{ path: '/w/weather.sniff' }]);
    assert.equal(files.sources()[0]?.text, ALSO_GOOD);
  });

  it('ignores saves of files the chat does not use', () => {
    const files = new ChatRuleFiles();
    assert.equal(files.saved('/w/other.sniff', GOOD), undefined);
    assert.deepEqual(files.listed(), []);
  });
});
