import type { SpeculationPolicy } from '../speculation/speculation-policy.js';
import type { TraceDecisionExplanation } from '../../shared/protocol.js';

/** What the speculator reported about one intent, as recorded or live. */
export interface DecisionFacts {
  tool: string;
  kind: 'call' | 'warm';
  /** Open: a newer engine may decide in ways this one cannot name. */
  decision: string;
  /** The rule's own confidence. */
  prior: number;
  /** What the policy weighed (calibrated, hedged). */
  probability: number;
  cue?: 'negated' | 'hedged' | 'past' | 'repeat';
  savingMs?: number;
  costMs?: number;
}

const pct = (p: number) => `${Math.round(p * 100)}%`;
const ms = (v: number) => (v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(1)} s`);

/**
 * Why an intent ran early or why not, with the figures behind it. The tool's typical latency
 * is read back from the policy's expected saving (saving = p x latency), and the budget used
 * from its expected cost when the policy is known (cost = (1 - p) x (cost per run + cost
 * factor x latency) x (1 + used)); either is left out when the figures cannot give it.
 */
export function explainDecision(facts: DecisionFacts, policy?: SpeculationPolicy): TraceDecisionExplanation {
  const p = Math.min(1, Math.max(0, facts.probability));
  const figures: Omit<TraceDecisionExplanation, 'gate' | 'summary' | 'action'> = { prior: facts.prior, probability: facts.probability };
  if (facts.savingMs !== undefined && facts.costMs !== undefined) {
    figures.savingMs = facts.savingMs;
    figures.costMs = facts.costMs;
    if (p > 0) {
      const latency = facts.savingMs / p;
      figures.latencyMs = latency;
      if (policy) {
        const perRun = policy.costPerRunMs + policy.costFactor * latency;
        figures.costPerRunMs = perRun;
        if (p < 1 && perRun > 0) figures.budgetUsed = Math.min(1, Math.max(0, facts.costMs / ((1 - p) * perRun) - 1));
      }
    }
  }
  if (policy) {
    figures.minConfidence = policy.minConfidence;
    figures.budgetMs = policy.budgetMsPerTurn;
  }
  const measured = Math.abs(facts.probability - facts.prior) > 0.005;
  const chance = measured
    ? `${pct(facts.probability)} likely (rule ${pct(facts.prior)}, ${facts.cue === 'hedged' ? 'lowered: the reasoning hedges' : 'measured on past runs'})`
    : `${pct(facts.probability)} likely`;
  const weighed =
    figures.savingMs !== undefined && figures.costMs !== undefined
      ? `expected saving ${ms(figures.savingMs)} (${pct(p)} × ${figures.latencyMs !== undefined ? ms(figures.latencyMs) : 'its latency'}) against an expected cost of ${ms(figures.costMs)}`
      : undefined;
  const say = (gate: string, summary: string, action?: string): TraceDecisionExplanation => ({ gate, summary, ...(action ? { action } : {}), ...figures });
  const tool = facts.tool;
  switch (facts.decision) {
    case 'fired':
      return say('fired', `Ran early: ${chance}${weighed ? `; ${weighed}` : ''}.`);
    case 'warmed':
      return say('warmed', `Warmed up ${tool} (a warm rule prepares the tool, it never runs it).`);
    case 'blocked':
      return say(
        'blocked',
        `Not run early: ${tool} is not known to be read-only, and a tool that may change things only runs when the model calls it.`,
        `If ${tool} only reads, add it to foresight.speculation.readOnlyTools; for an MCP tool whose server marks it read-only, run "Foresight: Trust MCP Server…".`,
      );
    case 'open-world':
      return say(
        'open-world',
        `Not run early: ${tool} reaches outside (the web, other people's systems) and you have not let such tools run early.`,
        `To allow it, add ${tool} to foresight.speculation.openWorldTools, or its MCP server to foresight.mcp.openWorldServers.`,
      );
    case 'negated':
      return say('negated', 'Not run early: the reasoning rules this call out ("should not call…", "instead of…").');
    case 'recap':
      return say('recap', facts.cue === 'past' ? 'Not run early: the reasoning recounts a call already made.' : 'Not run early: the conversation already made this call and has its answer.');
    case 'low-confidence':
      return say(
        'low-confidence',
        `Not run early: only ${chance}, below the minimum confidence${figures.minConfidence !== undefined ? ` of ${pct(figures.minConfidence)}` : ''}.`,
        'Lower foresight.speculation.minConfidence, or write a more specific rule for this phrasing.',
      );
    case 'not-worth-it':
      return say(
        'not-worth-it',
        `Not worth it: ${chance}; ${weighed ?? 'the expected saving did not beat the expected cost'}.`,
        'Runs early when the tool is slower or the call more likely; foresight.speculation.costPerRunMs and costFactor set the cost.',
      );
    case 'budget':
      return say(
        'budget',
        `Not run early: the turn's speculation budget${figures.budgetMs !== undefined ? ` of ${ms(figures.budgetMs)}` : ''} is spent${figures.budgetUsed !== undefined ? ` (${pct(figures.budgetUsed)} used)` : ''}.`,
        'Raise foresight.speculation.budgetMsPerTurn.',
      );
    case 'concurrency':
      return say('concurrency', 'Not run early: as many speculations as allowed were already running.', 'Raise foresight.speculation.maxConcurrent.');
    case 'unknown-tool':
      return say('unknown-tool', `Not run early: the chat offers no tool named ${tool}.`);
    case 'already-cached':
      return say('already-cached', 'Not run again: the same call is already running or has its result waiting.');
    default:
      return say(facts.decision, `Decision: ${facts.decision}.`);
  }
}
