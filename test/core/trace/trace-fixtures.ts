import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SpeculationSetup } from '../../../src/core/agent/agent-loop.js';
import { parseRules } from '../../../src/core/rules/rule-parser.js';
import { ArgumentNormalizer } from '../../../src/core/schema/argument-normalizer.js';
import type { Session } from '../../../src/core/session/format.js';
import { readSessionFile } from '../../../src/core/session/session-reader.js';
import { LatencyStats } from '../../../src/core/speculation/latency-stats.js';
import { DEFAULT_POLICY } from '../../../src/core/speculation/speculation-policy.js';

/** The shipped default rules with the default policy, as the chat uses them. */
export function defaultSetup(): SpeculationSetup {
  const rules = parseRules(readFileSync(join(process.cwd(), 'media/rules/default.sniff'), 'utf8')).rules;
  return { rules, normalizer: new ArgumentNormalizer(), policy: DEFAULT_POLICY, latency: new LatencyStats() };
}

/** A demo session shipped in media/demo-sessions. */
export async function demoSession(name: string): Promise<Session> {
  const read = await readSessionFile(join(process.cwd(), 'media/demo-sessions', name));
  const session = read.sessions[0];
  if (!session) throw new Error(`no session in ${name}`);
  return session;
}
