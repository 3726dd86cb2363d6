import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import type { AgentEvent } from '../../../src/core/agent/agent-events.js';
import { runAgent } from '../../../src/core/agent/agent-loop.js';
import type { ChatMessage } from '../../../src/core/chat/types.js';
import { LocalEndpoint } from '../../../src/core/endpoint/local-endpoint.js';
import type { Session } from '../../../src/core/session/format.js';
import { loadSessions } from '../../../src/core/session/load-sessions.js';
import { ArgumentNormalizer } from '../../../src/core/schema/argument-normalizer.js';
import { parseRules } from '../../../src/core/rules/rule-parser.js';
import { LatencyStats } from '../../../src/core/speculation/latency-stats.js';
import { DEFAULT_POLICY } from '../../../src/core/speculation/speculation-policy.js';
import { createRecordedTools } from '../../../src/core/tools/recorded-tools.js';

describe('the shipped demo sessions, as the embedded default serves them', () => {
  let sessions: Session[];
  let endpoint: LocalEndpoint;
  before(async () => {
    sessions = (await loadSessions([join(process.cwd(), 'media/demo-sessions')])).sessions;
    endpoint = await LocalEndpoint.start({ sessions, tokensPerSecond: 60 });
  });
  after(async () => endpoint.close());

  it('each demo prompt gets at least one tool call served from speculation, with no misfire', async () => {
    const rules = parseRules(readFileSync(join(process.cwd(), 'media/rules/default.sniff'), 'utf8')).rules;
    const client = new OpenAI({ baseURL: endpoint.baseUrl, apiKey: 'unused', maxRetries: 0 });
    assert.equal(sessions.length, 3);
    await Promise.all(
      sessions.map(async (session) => {
        const events: AgentEvent[] = [];
        for await (const e of runAgent({
          client,
          model: session.header.model,
          messages: session.turns[0]!.request as ChatMessage[],
          tools: createRecordedTools(sessions),
          speculation: { rules, normalizer: new ArgumentNormalizer(), policy: DEFAULT_POLICY, latency: new LatencyStats() },
        })) events.push(e);
        const title = session.header.title;
        assert.equal(events[events.length - 1]?.type === 'done' && (events[events.length - 1] as { reason: string }).reason, 'answer', title);
        assert.ok(events.some((e) => e.type === 'toolEnd' && e.speculative), `${title}: a tool card should show a speculative result`);
        const misfires = events.filter((e) => e.type === 'speculation' && e.event.type === 'misfire');
        assert.equal(misfires.length, 0, title);
      }),
    );
  });
});
