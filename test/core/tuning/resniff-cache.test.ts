import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { BATCH_TOKENS_PER_PIECE, CHARS_PER_TOKEN } from '../../../src/core/engine/replay-timing.js';
import { parseRules } from '../../../src/core/rules/rule-parser.js';
import { loadSessions } from '../../../src/core/session/load-sessions.js';
import { ResniffCache, ruleText } from '../../../src/core/tuning/resniff-cache.js';
import { digestSession } from '../../../src/core/tuning/session-digest.js';

const RULES = [
  'tool get_forecast',
  '  when /call get_forecast with city "(?<city>[^"]+)" and days (?<days>\\d+)/',
  '',
  'tool search_docs',
  '  when /call search_docs with query "(?<query>[^"]+)"/',
  '',
].join('\n');

async function cache(): Promise<ResniffCache> {
  const { sessions } = await loadSessions([join(process.cwd(), 'media/demo-sessions')]);
  const c = new ResniffCache();
  c.setSessions(sessions.map((s) => digestSession(s)));
  return c;
}

/** The arguments text of the first recorded call of `tool` in a demo session. */
async function recordedArguments(file: string, tool: string): Promise<string> {
  const session = JSON.parse(await readFile(join(process.cwd(), 'media/demo-sessions', file), 'utf8')) as { messages: { tool_calls?: { function: { name: string; arguments: string } }[] }[] };
  const call = session.messages.flatMap((m) => m.tool_calls ?? []).find((c) => c.function.name === tool);
  assert.ok(call, `${file} has no call of ${tool}`);
  return call.function.arguments;
}

/** The reasoning of the turn that makes the first recorded call of `tool` in a demo session. */
async function recordedReasoning(file: string, tool: string): Promise<string> {
  const session = JSON.parse(await readFile(join(process.cwd(), 'media/demo-sessions', file), 'utf8')) as { messages: { reasoning_content?: string; tool_calls?: { function: { name: string } }[] }[] };
  const turn = session.messages.find((m) => (m.tool_calls ?? []).some((c) => c.function.name === tool));
  assert.ok(turn?.reasoning_content, `${file} has no reasoning before ${tool}`);
  return turn.reasoning_content;
}

const figuresOf = async (c: ResniffCache, text: string) => {
  const lines = text.split('\n');
  return c.figures(parseRules(text).rules, (r) => ruleText(lines, r));
};

test('a rule that matches the exact call before it is made counts a hit with its lead', async () => {
  const [forecast, search] = await figuresOf(await cache(), RULES);
  assert.equal(forecast?.hits, 1);
  assert.equal(forecast?.misfires, 0);
  // The pattern's last group (\d+) closes at the period after "days 2", so the lead is what
  // streams after that before the call is sealed: the rest of the reasoning, then the arguments as recorded.
  const reasoning = await recordedReasoning('01-weather-umbrella.json', 'get_forecast');
  const afterMatch = reasoning.length - (reasoning.indexOf('and days 2') + 'and days 2'.length);
  const lead = afterMatch + (await recordedArguments('01-weather-umbrella.json', 'get_forecast')).length;
  // Rule figures replay in pieces of BATCH_TOKENS_PER_PIECE words' worth: the lead is known to a piece, never overstated.
  const got = forecast?.leadCharsMedian ?? -1;
  assert.ok(got <= lead && got >= lead - BATCH_TOKENS_PER_PIECE * CHARS_PER_TOKEN, `lead ${got} chars, ${lead} exactly`);
  // The search rule captures the query but not limit 3, so its prediction is not the call made.
  assert.equal(search?.hits, 0);
  assert.equal(search?.misfires, 1);
});

test('after an edit, an unchanged rule keeps its figures and only the edited one is re-sniffed', async () => {
  const c = await cache();
  const first = await figuresOf(c, RULES);
  const edited = RULES.replace('query "(?<query>[^"]+)"/', 'query "(?<query>[^"]+)" and limit (?<limit>\\d+)/');
  const second = await figuresOf(c, edited);
  assert.equal(c.recomputed, 1);
  assert.deepEqual(second[0], first[0]);
  assert.equal(second[1]?.hits, 1);
});
