import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { ToolSpec } from '../core/chat/types.js';
import { SETTING_DEFAULTS } from '../core/chat-session/settings.js';
import type { RuleFigures } from '../core/tuning/rule-figures.js';

// Every custom message between the `.sniff` language client (the extension) and the server, in
// one place. The client (vscode-languageclient 11) and the server (vscode-languageserver 11) share
// one vscode-languageserver-protocol, hence one vscode-jsonrpc, so both sides use these typed
// messages as they are.

/** `initializationOptions` of the `.sniff` server: what to tune against from the start. */
export interface SniffInitializationOptions {
  /** Files or folders of recorded sessions (.jsonl, .json), searched recursively. */
  sessionPaths?: string[];
  /** Tools known besides those the sessions offer (configured tools, MCP servers). */
  tools?: ToolSpec[];
}

/** The settings the server asks for with `workspace/configuration`, section `foresight.ruleEditor`. */
export interface RuleEditorSettings {
  /** Re-run tests and re-sniff sessions as you type (debounced); otherwise only on open and save. */
  liveEvaluation: boolean;
}

/** Defaults the server uses when the client has no value (or no configuration support). */
export const RULE_EDITOR_DEFAULTS: RuleEditorSettings = { liveEvaluation: SETTING_DEFAULTS['ruleEditor.liveEvaluation'] };

/** One inline test's outcome, located by its line so it survives a re-parse of the same text. */
export interface TestOutcome {
  /** 0-based line of the test. */
  line: number;
  ruleId: string;
  passed: boolean;
  expected: string;
  actual: string;
  message?: string;
  /** Columns [start, end) on `line` of what the rule's pattern matched in the test text; absent when nothing matched. */
  match?: { start: number; end: number };
}

/** Figures and test outcomes of one evaluated version of a rule file. */
export interface EvaluatedParams {
  uri: string;
  version: number;
  sessions: number;
  figures: RuleFigures[];
  testsPassed: number;
  testsFailed: number;
  /** Every test that ran, for the editor to mark its line and highlight its match; a test of a rule that could not run is absent. */
  tests: TestOutcome[];
  /** Set when the evaluation could not finish (a timeout); the message says why. */
  failure?: string;
}

/** The outcome of "Test rule" on one rule. */
export interface TestRuleResult {
  ruleId: string;
  passed: number;
  failed: number;
  /** One line per failing test: its line number and what went wrong. */
  failures: string[];
}

/** Client -> server, at start and whenever the user picks sessions (Foresight: Choose Sessions for Rule Tuning): tune against these files or folders. */
export const SetSessionsNotification = new NotificationType<{ paths: string[] }>('foresight/setSessions');

/** Client -> server, at start and when configured tools change: tools known besides the sessions' own. */
export const SetToolsNotification = new NotificationType<{ tools: ToolSpec[] }>('foresight/setTools');

/** Server -> client, after sessions were (re)loaded: how many, how many tools they offer, and unreadable lines. */
export const SessionsLoadedNotification = new NotificationType<{ sessions: number; tools: number; problems: string[] }>('foresight/sessionsLoaded');

/** Server -> client, each time a document's evaluation (tests, ReDoS checks, re-sniffing) finishes. */
export const EvaluatedNotification = new NotificationType<EvaluatedParams>('foresight/evaluated');

/** Client -> server, any time: run one rule's inline tests now (also behind the "Test rule" code lens, as a command). */
export const TestRuleRequest = new RequestType<{ uri: string; ruleId: string }, TestRuleResult, void>('foresight/testRule');

/** What running a rule file's tests came to: the outcome of each test that ran, or why none could. */
export interface RunRuleTestsResult {
  tests: TestOutcome[];
  /** Set when the evaluation could not finish (a timeout); the message says why. */
  failure?: string;
}

/** Client -> server, when the Test Explorer runs tests: run every inline test of this text (the file's, open or not) in the evaluation worker. */
export const RunRuleTestsRequest = new RequestType<{ uri: string; text: string }, RunRuleTestsResult, void>('foresight/runRuleTests');

/** The command the "Test rule" code lens runs; the server executes it (workspace/executeCommand). */
export const TEST_RULE_COMMAND = 'foresight.sniff.testRule';
