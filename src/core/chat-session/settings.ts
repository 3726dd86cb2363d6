import { redactUrl } from '../util/redact-url.js';
import type { SpeculationSettings } from '../engine/speculation-setup.js';
import { normaliseSpecReasonSettings, SPEC_REASON_DEFAULTS, type SpecReasonSettings } from '../specreason/specreason-settings.js';

/** The chat's settings as plain values, normalised once; `src/extension/config.ts` is their only reader. */
export interface ChatSettings {
  /** OpenAI-compatible base URL without a trailing slash; empty means the embedded demo endpoint. */
  baseUrl: string;
  /** Model id; empty means the first model the endpoint lists. */
  model: string;
  extraBody: Record<string, unknown>;
  temperature: number | null;
  maxSteps: number;
  /** Folder the file tools may read; empty means the first workspace folder. */
  toolRoot: string;
  /** Where runs are recorded; empty means the extension's global storage. */
  sessionsDir: string;
  /** Pace of the demo endpoint; null replays recorded timing. */
  demoTokensPerSecond: number | null;
  /** Folder of recorded sessions the embedded endpoint serves instead of the shipped demos; empty for those. */
  demoSessionsDir: string;
  speculation: SpeculationSettings;
  tools: ToolSettings;
  telemetry: TelemetrySettings;
  specReason: SpecReasonChatSettings;
}

/** SpecReason mode as the chat reads it: the switch, the draft endpoint (its key is in SecretStorage), the step loop's knobs. */
export interface SpecReasonChatSettings {
  enabled: boolean;
  /** The draft model's endpoint without a trailing slash; empty means the base endpoint serves it too. */
  draftBaseUrl: string;
  /** Empty means the first model the draft endpoint lists. */
  draftModel: string;
  loop: SpecReasonSettings;
}

/** Where finished runs go as OpenTelemetry traces; user-level, since they carry the conversation. */
export interface TelemetrySettings {
  /** OTLP/HTTP traces URL (`…/v1/traces`) each recorded run is sent to; empty sends nothing. */
  otlpEndpoint: string;
  /** Put messages, reasoning, tool arguments and results in the spans (off by default, as the conventions say). */
  captureContent: boolean;
}

/** Which tools a live chat offers besides the endpoint's own; all user-level settings. */
export interface ToolSettings {
  /** `foresight.mcp.servers` as written (parsed by `parseForesightServers`, which reports bad entries). */
  mcpServers: unknown;
  /** Servers whose annotations may make a tool read-only (by name, from any source). */
  trustedServers: string[];
  /** Servers whose read-only open-world tools may run early. */
  openWorldServers: string[];
  /** Offer the workspace tools (read, list, find, search, diagnostics, git; write and run ask first). */
  workspace: boolean;
  /** Offer `run_code` (asks first; its interpreter is warmed while the model thinks). */
  codeRunner: boolean;
}

/** Every setting's key under `foresight.`, with its default. */
export const SETTING_DEFAULTS = {
  baseUrl: '',
  model: '',
  extraBody: {},
  temperature: null,
  maxSteps: 12,
  toolRoot: '',
  sessionsDir: '',
  'demo.tokensPerSecond': 60,
  'demo.sessionsDir': '',
  'speculation.enabled': true,
  'speculation.readOnlyTools': [],
  'speculation.openWorldTools': [],
  'speculation.ruleFiles': [],
  'speculation.schemaSniffing': true,
  'speculation.minConfidence': 0.3,
  'speculation.costFactor': 0.25,
  'speculation.costPerRunMs': 200,
  'speculation.budgetMsPerTurn': 30000,
  'speculation.maxConcurrent': 4,
  'speculation.timeoutMs': 20000,
  'mcp.servers': [],
  'mcp.trustedServers': [],
  'mcp.openWorldServers': [],
  'tools.workspace': true,
  'tools.codeRunner': true,
  'telemetry.otlpEndpoint': '',
  'telemetry.captureContent': false,
  'specReason.enabled': false,
  'specReason.draftBaseUrl': '',
  'specReason.draftModel': '',
  'specReason.threshold': SPEC_REASON_DEFAULTS.threshold,
  'specReason.scoring': SPEC_REASON_DEFAULTS.scoring,
  'specReason.reservedSteps': SPEC_REASON_DEFAULTS.reservedSteps,
  'specReason.tokenBudget': SPEC_REASON_DEFAULTS.tokenBudget,
  'specReason.stepTokenLimit': SPEC_REASON_DEFAULTS.stepTokenLimit,
  'specReason.topLogprobs': SPEC_REASON_DEFAULTS.topLogprobs,
  'specReason.measureBaseOnly': SPEC_REASON_DEFAULTS.measureBaseOnly,
  // Read by the .sniff language server through workspace/configuration; not part of ChatSettings.
  'ruleEditor.liveEvaluation': true,
} as const satisfies Record<string, unknown>;

export type SettingKey = keyof typeof SETTING_DEFAULTS;

/**
 * Settings a workspace must not set, since a repository's `.vscode/settings.json` could then
 * send the stored API key to its own server (`baseUrl`), widen what the file tools read
 * (`toolRoot`), or let its tools run before the model calls them (`speculation.readOnlyTools`,
 * and `speculation.openWorldTools` for tools that reach outside), start its own programs as
 * MCP servers or trust them (`mcp.*`), switch on tools that write or run code (`tools.*`), or
 * script the demo model's tool calls against real tools (`demo.sessionsDir`), or have every
 * conversation sent to its own collector (`telemetry.*`), or have the reasoning sent to its own
 * draft server (`specReason.draftBaseUrl`, which gets the draft key).
 * package.json declares them `machine`-scoped; `chooseUserValue` enforces it where VS Code
 * does not.
 */
export const USER_ONLY_SETTINGS: ReadonlySet<SettingKey> = new Set<SettingKey>([
  'baseUrl',
  'toolRoot',
  'speculation.readOnlyTools',
  'speculation.openWorldTools',
  'mcp.servers',
  'mcp.trustedServers',
  'mcp.openWorldServers',
  'tools.workspace',
  'tools.codeRunner',
  'demo.sessionsDir',
  'telemetry.otlpEndpoint',
  'telemetry.captureContent',
  'specReason.draftBaseUrl',
]);

/** The layers of one setting as `WorkspaceConfiguration.inspect` reports them (the fields read here). */
export interface InspectedSetting {
  defaultValue?: unknown;
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
  defaultLanguageValue?: unknown;
  globalLanguageValue?: unknown;
  workspaceLanguageValue?: unknown;
  workspaceFolderLanguageValue?: unknown;
}

/**
 * The value of a user-only setting: the user's (global) value, else the default; never a
 * workspace, folder or workspace-language value. `problem` says so when one was set and ignored.
 */
export function chooseUserValue(key: SettingKey, inspected: InspectedSetting | undefined): { value: unknown; problem?: string } {
  const value = inspected?.globalValue !== undefined ? inspected.globalValue : inspected?.defaultValue;
  const fromWorkspace = [inspected?.workspaceValue, inspected?.workspaceFolderValue, inspected?.workspaceLanguageValue, inspected?.workspaceFolderLanguageValue];
  if (fromWorkspace.every((v) => v === undefined)) return { value };
  return {
    value,
    problem: `foresight.${key} is set in this workspace's settings, which Foresight ignores for it (a workspace must not redirect your endpoint, key or tools); set it in your user settings.`,
  };
}

export interface NormalisedSettings {
  settings: ChatSettings;
  /** One sentence per value that was unusable and replaced by its default, naming the setting. */
  problems: string[];
}

/**
 * Turns raw setting values (as a user may have typed them in settings.json) into ChatSettings:
 * strings trimmed, the base URL without trailing slashes, numbers clamped to their range,
 * anything of the wrong type replaced by the default with a problem reported. Never throws.
 */
export function normaliseSettings(read: (key: SettingKey) => unknown): NormalisedSettings {
  const problems: string[] = [];
  const wrong = (key: SettingKey, expected: string) => {
    problems.push(`foresight.${key} should be ${expected}; using the default.`);
  };
  const text = (key: 'baseUrl' | 'model' | 'toolRoot' | 'sessionsDir' | 'demo.sessionsDir' | 'telemetry.otlpEndpoint' | 'specReason.draftBaseUrl' | 'specReason.draftModel'): string => {
    const value = read(key);
    if (value === undefined || value === null) return SETTING_DEFAULTS[key];
    if (typeof value !== 'string') {
      wrong(key, 'a string');
      return SETTING_DEFAULTS[key];
    }
    return value.trim();
  };
  const number = (key: 'temperature' | 'demo.tokensPerSecond', min: number, max: number): number | null => {
    const value = read(key);
    if (value === undefined) return SETTING_DEFAULTS[key];
    if (value === null) return null;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      wrong(key, 'a number or null');
      return SETTING_DEFAULTS[key];
    }
    return Math.min(max, Math.max(min, value));
  };

  const extraBodyRaw = read('extraBody');
  let extraBody: Record<string, unknown> = {};
  if (isPlainRecord(extraBodyRaw)) extraBody = extraBodyRaw;
  else if (extraBodyRaw !== undefined && extraBodyRaw !== null) wrong('extraBody', 'an object');

  const maxStepsRaw = read('maxSteps');
  let maxSteps: number = SETTING_DEFAULTS.maxSteps;
  if (typeof maxStepsRaw === 'number' && Number.isFinite(maxStepsRaw)) maxSteps = Math.min(100, Math.max(1, Math.round(maxStepsRaw)));
  else if (maxStepsRaw !== undefined && maxStepsRaw !== null) wrong('maxSteps', 'a whole number from 1 to 100');

  let tokensPerSecond = number('demo.tokensPerSecond', 0, 1_000_000);
  // Zero tokens per second would never finish a reply.
  if (tokensPerSecond === 0) {
    wrong('demo.tokensPerSecond', 'greater than 0 or null');
    tokensPerSecond = SETTING_DEFAULTS['demo.tokensPerSecond'];
  }

  const flag = (key: 'specReason.enabled' | 'speculation.enabled' | 'speculation.schemaSniffing' | 'tools.workspace' | 'tools.codeRunner' | 'telemetry.captureContent'): boolean => {
    const value = read(key);
    if (value === undefined || value === null) return SETTING_DEFAULTS[key];
    if (typeof value !== 'boolean') {
      wrong(key, 'true or false');
      return SETTING_DEFAULTS[key];
    }
    return value;
  };
  const strings = (key: 'speculation.readOnlyTools' | 'speculation.openWorldTools' | 'speculation.ruleFiles' | 'mcp.trustedServers' | 'mcp.openWorldServers'): string[] => {
    const value = read(key);
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
      wrong(key, 'a list of strings');
      return [];
    }
    return value.map((v: string) => v.trim()).filter((v) => v.length > 0);
  };
  const bounded = (key: 'speculation.minConfidence' | 'speculation.costFactor' | 'speculation.costPerRunMs' | 'speculation.budgetMsPerTurn' | 'speculation.maxConcurrent' | 'speculation.timeoutMs', min: number, max: number): number => {
    const value = read(key);
    if (value === undefined || value === null) return SETTING_DEFAULTS[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      wrong(key, `a number from ${min} to ${max}`);
      return SETTING_DEFAULTS[key];
    }
    return Math.min(max, Math.max(min, value));
  };

  return {
    settings: {
      baseUrl: text('baseUrl').replace(/\/+$/, ''),
      model: text('model'),
      extraBody,
      temperature: number('temperature', 0, 2),
      maxSteps,
      toolRoot: text('toolRoot'),
      sessionsDir: text('sessionsDir'),
      demoTokensPerSecond: tokensPerSecond,
      demoSessionsDir: text('demo.sessionsDir'),
      speculation: {
        enabled: flag('speculation.enabled'),
        readOnlyTools: strings('speculation.readOnlyTools'),
        openWorldTools: strings('speculation.openWorldTools'),
        ruleFiles: strings('speculation.ruleFiles'),
        schemaSniffing: flag('speculation.schemaSniffing'),
        minConfidence: bounded('speculation.minConfidence', 0, 1),
        costFactor: bounded('speculation.costFactor', 0, 10),
        costPerRunMs: bounded('speculation.costPerRunMs', 0, 600_000),
        budgetMsPerTurn: bounded('speculation.budgetMsPerTurn', 0, 600_000),
        maxConcurrent: Math.round(bounded('speculation.maxConcurrent', 1, 32)),
        timeoutMs: bounded('speculation.timeoutMs', 100, 600_000),
      },
      tools: {
        mcpServers: read('mcp.servers') ?? [],
        trustedServers: strings('mcp.trustedServers'),
        openWorldServers: strings('mcp.openWorldServers'),
        workspace: flag('tools.workspace'),
        codeRunner: flag('tools.codeRunner'),
      },
      telemetry: { otlpEndpoint: otlpEndpoint(text('telemetry.otlpEndpoint'), problems), captureContent: flag('telemetry.captureContent') },
      specReason: {
        enabled: flag('specReason.enabled'),
        draftBaseUrl: text('specReason.draftBaseUrl').replace(/\/+$/, ''),
        draftModel: text('specReason.draftModel'),
        loop: specReasonLoop(read, wrong),
      },
    },
    problems,
  };
}

const SPEC_REASON_LOOP_KEYS = ['threshold', 'scoring', 'reservedSteps', 'tokenBudget', 'stepTokenLimit', 'topLogprobs', 'measureBaseOnly'] as const;

/** The step loop's knobs, clamped by `normaliseSpecReasonSettings`; a value of the wrong type is reported and replaced by its default. */
function specReasonLoop(read: (key: SettingKey) => unknown, wrong: (key: SettingKey, expected: string) => void): SpecReasonSettings {
  const raw: Partial<Record<keyof SpecReasonSettings, unknown>> = {};
  for (const name of SPEC_REASON_LOOP_KEYS) {
    const key = `specReason.${name}` as const;
    const value = read(key);
    if (value === undefined || value === null) continue;
    const ok = name === 'scoring' ? value === 'greedy' || value === 'weighted' : name === 'measureBaseOnly' ? typeof value === 'boolean' : typeof value === 'number' && Number.isFinite(value);
    if (ok) raw[name] = value;
    else wrong(key, name === 'scoring' ? '"greedy" or "weighted"' : name === 'measureBaseOnly' ? 'true or false' : 'a number');
  }
  return normaliseSpecReasonSettings(raw);
}

/** True when going from `a` to `b` needs a new endpoint, client or tool set. */
export function needsNewBackend(a: ChatSettings, b: ChatSettings): boolean {
  return (
    a.baseUrl !== b.baseUrl ||
    a.model !== b.model ||
    a.toolRoot !== b.toolRoot ||
    a.demoTokensPerSecond !== b.demoTokensPerSecond ||
    a.demoSessionsDir !== b.demoSessionsDir ||
    // The MCP tools' early-run decisions are taken when they are listed, from these globs.
    JSON.stringify([a.speculation.readOnlyTools, a.speculation.openWorldTools]) !== JSON.stringify([b.speculation.readOnlyTools, b.speculation.openWorldTools]) ||
    JSON.stringify(a.tools) !== JSON.stringify(b.tools) ||
    // The backend holds the draft client and the step loop's configuration.
    JSON.stringify(a.specReason) !== JSON.stringify(b.specReason)
  );
}

/**
 * Checks a configured base URL: an absolute http(s) URL. Returns a sentence for the user
 * when it is not one, else undefined.
 */
export function baseUrlProblem(baseUrl: string): string | undefined {
  let url: URL;
  // The sentence is shown and logged, so it quotes the URL without its credentials.
  const shown = redactUrl(baseUrl);
  try {
    url = new URL(baseUrl);
  } catch {
    return `foresight.baseUrl "${shown}" is not a URL. Set it to an OpenAI-compatible endpoint such as https://integrate.api.nvidia.com/v1, or clear it to use the demo.`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `foresight.baseUrl must start with http:// or https:// (it is "${shown}").`;
  }
  return undefined;
}

/** The same check for SpecReason's draft endpoint, naming its setting. */
export function draftBaseUrlProblem(draftBaseUrl: string): string | undefined {
  const shown = redactUrl(draftBaseUrl);
  try {
    const url = new URL(draftBaseUrl);
    if (url.protocol === 'http:' || url.protocol === 'https:') return undefined;
  } catch {
    // Reported below.
  }
  return `foresight.specReason.draftBaseUrl "${shown}" is not an http(s) URL. Set it to the draft model's OpenAI-compatible endpoint, such as http://127.0.0.1:8000/v1, or clear it to use the base endpoint for the draft model too.`;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The OTLP URL when it is an http(s) URL, else empty with a problem naming the setting. */
function otlpEndpoint(value: string, problems: string[]): string {
  if (value === '') return '';
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return value;
  } catch {
    // Reported below.
  }
  problems.push('foresight.telemetry.otlpEndpoint should be an http(s) URL such as http://127.0.0.1:4318/v1/traces; nothing is sent.');
  return '';
}
