import type { SpeculationSetup } from './turn-engine.js';
import { toToolSpec, type Tool } from '../chat/tool.js';
import { matchesAnyGlob } from '../util/glob.js';
import { usableRules, type Rule } from '../rules/rule-ast.js';
import { parseRules } from '../rules/rule-parser.js';
import { ArgumentNormalizer } from '../schema/argument-normalizer.js';
import type { Calibration } from '../speculation/calibration.js';
import { LatencyStats } from '../speculation/latency-stats.js';
import { looksOpenWorld } from '../speculation/open-world.js';
import { DEFAULT_POLICY } from '../speculation/speculation-policy.js';

/** What the speculation settings say; `createSpeculationSetup` turns them into a SpeculationPolicy and rule set. */
export interface SpeculationSettings {
  enabled: boolean;
  /** Globs of tool names the user declares read-only, beyond the tools that say so themselves. */
  readOnlyTools: string[];
  /** Globs of read-only tools that reach outside (the web, others' systems) the user lets run early too. */
  openWorldTools: string[];
  /** `.sniff` files to use besides the shipped defaults (paths, relative to the workspace). */
  ruleFiles: string[];
  schemaSniffing: boolean;
  minConfidence: number;
  costFactor: number;
  costPerRunMs: number;
  budgetMsPerTurn: number;
  maxConcurrent: number;
  timeoutMs: number;
}

/** A rule file's text and where it came from, for messages. */
export interface RuleSource {
  name: string;
  text: string;
}

/**
 * Builds what the agent loop needs to speculate from the user's settings and rule files.
 * Rule-file problems are returned as sentences naming the file and line, and the rules that
 * parsed are still used, except those with a pattern that could backtrack catastrophically. Latency statistics and calibration are shared across runs.
 */
export function createSpeculationSetup(settings: SpeculationSettings, sources: readonly RuleSource[], calibration: Calibration | undefined, latency = new LatencyStats()): { setup: SpeculationSetup; problems: string[] } {
  const rules: Rule[] = [];
  const problems: string[] = [];
  for (const source of sources) {
    const file = parseRules(source.text);
    rules.push(...usableRules(file.rules));
    for (const p of file.problems) {
      if (p.severity === 'error') problems.push(`${source.name}:${p.range.start.line + 1}: ${p.message}`);
    }
  }
  return {
    setup: {
      rules,
      normalizer: new ArgumentNormalizer(),
      policy: {
        ...DEFAULT_POLICY,
        minConfidence: settings.minConfidence,
        costFactor: settings.costFactor,
        costPerRunMs: settings.costPerRunMs,
        budgetMsPerTurn: settings.budgetMsPerTurn,
        maxConcurrent: settings.maxConcurrent,
        timeoutMs: settings.timeoutMs,
      },
      latency,
      ...(calibration ? { calibration } : {}),
      schemaSniffing: settings.schemaSniffing,
      openWorldTools: settings.openWorldTools,
    },
    problems,
  };
}

/**
 * The tools with those the user declared read-only (by glob) marked so, except any its MCP
 * server annotates as destructive; others unchanged. A
 * tool marked here that looks like it reaches outside is open-world: it still needs the
 * user's separate opt-in to run early.
 */
export function markReadOnly(tools: readonly Tool[], globs: readonly string[]): Tool[] {
  if (globs.length === 0) return [...tools];
  return tools.map((t) =>
    // A tool its own server calls destructive is never made read-only, whatever the globs say.
    t.readOnly || t.source?.destructive === true || !matchesAnyGlob(t.name, globs)
      ? t
      : { ...t, readOnly: true, openWorld: t.openWorld ?? looksOpenWorld(toToolSpec(t)), run: t.run.bind(t), ...(t.warm ? { warm: t.warm.bind(t) } : {}) },
  );
}
