import { RULE_EDITOR_DEFAULTS, type RuleEditorSettings } from '../shared/lsp-protocol.js';

/** The client's raw `foresight.ruleEditor` section made into settings; anything unusable falls back to the default. */
export function normalizeRuleEditorSettings(raw: unknown): RuleEditorSettings {
  const section = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const live = section['liveEvaluation'];
  return { liveEvaluation: typeof live === 'boolean' ? live : RULE_EDITOR_DEFAULTS.liveEvaluation };
}
