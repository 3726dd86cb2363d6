import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ToolSpec } from '../../../src/core/chat/types.js';
import { parseRules } from '../../../src/core/rules/rule-parser.js';
import { loadSessions } from '../../../src/core/session/load-sessions.js';
import { ResniffCache, ruleText } from '../../../src/core/tuning/resniff-cache.js';
import { roleCallsFound } from '../../../src/core/tuning/schema-finds.js';
import type { SessionDigest } from '../../../src/core/tuning/session-digest.js';
import { digestSession } from '../../../src/core/tuning/session-digest.js';

const tool = (name: string, description: string, param: string): ToolSpec => ({
  type: 'function',
  function: { name, description, parameters: { type: 'object', properties: { [param]: { type: 'string' } }, required: [param] } },
});
const SEARCH_TICKETS = tool('search_tickets', 'Search support tickets by text.', 'query');
const OPEN_TICKET = tool('read_ticket_file', 'Read a ticket file and return its contents.', 'path');
const digestOffering = (tools: ToolSpec[]) => ({ session: { header: { tools } } }) as unknown as SessionDigest;

test("a role's schema-found calls are counted for the tools that play the role in each session only", () => {
  const digests = [digestOffering([SEARCH_TICKETS, OPEN_TICKET]), digestOffering([OPEN_TICKET])];
  const finds = [new Map([['search_tickets', 2], ['read_ticket_file', 5]]), new Map([['search_tickets', 7], ['read_ticket_file', 1]])];
  // The second session does not offer search_tickets, so its 7 (from elsewhere) are not the role's.
  assert.equal(roleCallsFound(finds, digests, 'searcher'), 2);
  assert.equal(roleCallsFound(finds, digests, 'file-reader'), 6);
  assert.equal(roleCallsFound(finds, digests, 'fetcher'), 0);
});

test('a role rule without hits says how many of its tools\' calls the schema sniffer found; a named rule does not', async () => {
  const { sessions } = await loadSessions([join(process.cwd(), 'media/demo-sessions')]);
  // The demo sessions that offer no tool reading files, so the file-reader role has none to find.
  const withoutReader = sessions.filter((s) => !s.header.tools.some((t) => t.function.name === 'read_file'));
  assert.ok(withoutReader.length > 0 && withoutReader.length < sessions.length);
  const cache = new ResniffCache();
  cache.setSessions(withoutReader.map((s) => digestSession(s)));
  const text = 'tool role:searcher\n  when /never written (?<query>zz)/\n\ntool role:file-reader\n  when /never written (?<path>zz)/\n\ntool search_docs\n  when /never written (?<query>zz)/\n';
  const lines = text.split('\n');
  const [searcher, reader, named] = await cache.figures(parseRules(text).rules, (r) => ruleText(lines, r));
  assert.equal(searcher?.hits, 0);
  assert.ok((searcher?.schemaFound ?? 0) >= 1, 'the demo sessions hold a search call the schema sniffer predicts');
  assert.equal(reader?.schemaFound, 0);
  assert.equal(named?.hits, 0);
  assert.equal(named?.schemaFound, undefined);
});
