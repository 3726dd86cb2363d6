import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  baseUrlProblem,
  chooseUserValue,
  needsNewBackend,
  normaliseSettings,
  SETTING_DEFAULTS,
  USER_ONLY_SETTINGS,
  type InspectedSetting,
  type SettingKey,
} from '../../../src/core/chat-session/settings.js';

function normalise(raw: Partial<Record<SettingKey, unknown>>) {
  return normaliseSettings((key) => raw[key]);
}

describe('normaliseSettings', () => {
  it('gives the package.json defaults when nothing is set', () => {
    assert.deepEqual(normalise({}), {
      settings: {
        baseUrl: '',
        model: '',
        extraBody: {},
        temperature: null,
        maxSteps: 12,
        toolRoot: '',
        sessionsDir: '',
        demoTokensPerSecond: 60,
        demoSessionsDir: '',
        speculation: {
          enabled: true,
          readOnlyTools: [],
          openWorldTools: [],
          ruleFiles: [],
          schemaSniffing: true,
          minConfidence: 0.3,
          costFactor: 0.25,
          costPerRunMs: 200,
          budgetMsPerTurn: 30000,
          maxConcurrent: 4,
          timeoutMs: 20000,
        },
        tools: { mcpServers: [], trustedServers: [], openWorldServers: [], workspace: true, codeRunner: true },
        telemetry: { otlpEndpoint: '', captureContent: false },
        specReason: {
          enabled: false,
          draftBaseUrl: '',
          draftModel: '',
          loop: { threshold: 7, scoring: 'greedy', reservedSteps: 1, tokenBudget: 4096, stepTokenLimit: 192, topLogprobs: 20, measureBaseOnly: false },
        },
      },
      problems: [],
    });
  });

  it('reads SpecReason mode: the draft endpoint without trailing slashes, the knobs clamped, a wrong type replaced and named', () => {
    const { settings, problems } = normalise({
      'specReason.enabled': true,
      'specReason.draftBaseUrl': ' http://127.0.0.1:8000/v1/ ',
      'specReason.draftModel': ' tiny-reasoner ',
      'specReason.threshold': 12,
      'specReason.scoring': 'weighted',
      'specReason.reservedSteps': 2.6,
      'specReason.tokenBudget': 'lots',
      'specReason.stepTokenLimit': 2,
    });
    assert.deepEqual(settings.specReason, {
      enabled: true,
      draftBaseUrl: 'http://127.0.0.1:8000/v1',
      draftModel: 'tiny-reasoner',
      loop: { threshold: 9, scoring: 'weighted', reservedSteps: 3, tokenBudget: 4096, stepTokenLimit: 8, topLogprobs: 20, measureBaseOnly: false },
    });
    assert.deepEqual(problems, ['foresight.specReason.tokenBudget should be a number; using the default.']);
  });

  it('replaces a scoring method it does not know by greedy and says so', () => {
    const { settings, problems } = normalise({ 'specReason.scoring': 'majority' });
    assert.equal(settings.specReason.loop.scoring, 'greedy');
    assert.match(problems.join(' '), /foresight\.specReason\.scoring should be "greedy" or "weighted"/);
  });

  it('needs a new backend when SpecReason mode or its draft endpoint changes, not when nothing does', () => {
    const off = normalise({}).settings;
    const on = normalise({ 'specReason.enabled': true }).settings;
    const otherDraft = normalise({ 'specReason.enabled': true, 'specReason.draftModel': 'tiny-reasoner' }).settings;
    assert.equal(needsNewBackend(off, on), true);
    assert.equal(needsNewBackend(on, otherDraft), true);
    assert.equal(needsNewBackend(on, normalise({ 'specReason.enabled': true }).settings), false);
  });

  it('has the same default for every setting as package.json declares', () => {
    const declared = declaredSettings() as Record<string, { default: unknown }>;
    for (const [key, value] of Object.entries(SETTING_DEFAULTS)) {
      assert.deepEqual(declared[`foresight.${key}`]?.default, value, key);
    }
    assert.equal(Object.keys(declared).length, Object.keys(SETTING_DEFAULTS).length);
  });

  it('reads the tool settings, replacing a trusted-server list that is not a list of names', () => {
    const servers = [{ name: 'tickets', type: 'http', url: 'http://127.0.0.1:4000/mcp' }];
    const { settings, problems } = normalise({ 'mcp.servers': servers, 'mcp.trustedServers': 'tickets', 'mcp.openWorldServers': [' tickets '], 'tools.codeRunner': false });
    assert.deepEqual(settings.tools, { mcpServers: servers, trustedServers: [], openWorldServers: ['tickets'], workspace: true, codeRunner: false });
    assert.match(problems.join(' '), /foresight\.mcp\.trustedServers/);
  });

  it('replaces a wrongly typed speculation setting by its default and says which', () => {
    const { settings, problems } = normalise({ 'speculation.readOnlyTools': 'get_*', 'speculation.minConfidence': 'high', 'speculation.maxConcurrent': 99 });
    assert.deepEqual(settings.speculation.readOnlyTools, []);
    assert.equal(settings.speculation.minConfidence, 0.3);
    assert.equal(settings.speculation.maxConcurrent, 32);
    assert.equal(problems.length, 2);
    assert.match(problems.join(' '), /speculation.readOnlyTools/);
  });

  it('trims strings and drops trailing slashes from the base URL', () => {
    const { settings } = normalise({ baseUrl: ' https://integrate.api.nvidia.com/v1// ', model: ' deepseek-ai/deepseek-r1 ' });
    assert.equal(settings.baseUrl, 'https://integrate.api.nvidia.com/v1');
    assert.equal(settings.model, 'deepseek-ai/deepseek-r1');
  });

  it('clamps numbers to their ranges and rounds maxSteps', () => {
    const { settings, problems } = normalise({ temperature: 3, maxSteps: 0.4, 'demo.tokensPerSecond': -5 });
    assert.equal(settings.temperature, 2);
    assert.equal(settings.maxSteps, 1);
    assert.equal(settings.demoTokensPerSecond, 60, 'a pace of zero or less falls back to the default');
    assert.deepEqual(problems, ['foresight.demo.tokensPerSecond should be greater than 0 or null; using the default.']);
  });

  it('keeps null for temperature and the demo pace', () => {
    const { settings } = normalise({ temperature: null, 'demo.tokensPerSecond': null });
    assert.equal(settings.temperature, null);
    assert.equal(settings.demoTokensPerSecond, null);
  });

  it('replaces values of the wrong type by their default and names the setting', () => {
    const { settings, problems } = normalise({ baseUrl: 42, extraBody: [1], maxSteps: 'many', temperature: 'hot' });
    assert.equal(settings.baseUrl, '');
    assert.deepEqual(settings.extraBody, {});
    assert.equal(settings.maxSteps, 12);
    assert.equal(settings.temperature, null);
    assert.deepEqual(problems, [
      'foresight.extraBody should be an object; using the default.',
      'foresight.maxSteps should be a whole number from 1 to 100; using the default.',
      'foresight.baseUrl should be a string; using the default.',
      'foresight.temperature should be a number or null; using the default.',
    ]);
  });

  it('passes extraBody through unchanged', () => {
    const extraBody = { chat_template_kwargs: { thinking: true } };
    assert.deepEqual(normalise({ extraBody }).settings.extraBody, extraBody);
  });
});

describe('needsNewBackend', () => {
  const base = normalise({}).settings;
  it('is true for a change of endpoint, model, tool root or demo pace', () => {
    assert.equal(needsNewBackend(base, { ...base, baseUrl: 'http://localhost:8000/v1' }), true);
    assert.equal(needsNewBackend(base, { ...base, model: 'm' }), true);
    assert.equal(needsNewBackend(base, { ...base, toolRoot: '/tmp' }), true);
    assert.equal(needsNewBackend(base, { ...base, demoTokensPerSecond: null }), true);
  });

  it('is true when the tools change: servers, trust, the switches, or the globs their early-run decision was taken from', () => {
    assert.equal(needsNewBackend(base, { ...base, tools: { ...base.tools, mcpServers: [{ name: 'orders', command: 'node' }] } }), true);
    assert.equal(needsNewBackend(base, { ...base, tools: { ...base.tools, trustedServers: ['orders'] } }), true);
    assert.equal(needsNewBackend(base, { ...base, tools: { ...base.tools, codeRunner: false } }), true);
    assert.equal(needsNewBackend(base, { ...base, speculation: { ...base.speculation, readOnlyTools: ['get_*'] } }), true);
    assert.equal(needsNewBackend(base, { ...base, demoSessionsDir: '/tmp/sessions' }), true);
    assert.equal(needsNewBackend(base, { ...base, speculation: { ...base.speculation, minConfidence: 0.9 } }), false);
  });

  it('is false for settings each run reads afresh', () => {
    assert.equal(needsNewBackend(base, { ...base, maxSteps: 3, temperature: 0.6, extraBody: { x: 1 }, sessionsDir: '/tmp/s' }), false);
  });
});

describe('baseUrlProblem', () => {
  it('accepts http and https URLs', () => {
    assert.equal(baseUrlProblem('https://integrate.api.nvidia.com/v1'), undefined);
    assert.equal(baseUrlProblem('http://127.0.0.1:8000/v1'), undefined);
  });

  it('explains what is wrong with anything else', () => {
    assert.match(baseUrlProblem('integrate.api.nvidia.com/v1') ?? '', /is not a URL.*clear it to use the demo/);
    assert.match(baseUrlProblem('ftp://example.com') ?? '', /must start with http:\/\/ or https:\/\//);
  });
});

describe('settings a workspace must not set', () => {
  const declared = declaredSettings() as Record<string, { scope?: string }>;

  it('gives every setting in package.json a deliberate scope', () => {
    for (const [key, spec] of Object.entries(declared)) {
      assert.ok(['application', 'machine', 'machine-overridable', 'window', 'resource', 'language-overridable'].includes(spec.scope ?? ''), `${key} has scope ${spec.scope}`);
    }
  });

  it('declares exactly the user-only settings (endpoint, tool root, read-only and open-world tools) application or machine', () => {
    const locked = Object.entries(declared)
      .filter(([, spec]) => spec.scope === 'application' || spec.scope === 'machine')
      .map(([key]) => key.replace(/^foresight\./, ''))
      .sort();
    assert.deepEqual(locked, [...USER_ONLY_SETTINGS].sort());
    for (const key of ['baseUrl', 'toolRoot', 'speculation.readOnlyTools', 'speculation.openWorldTools', 'specReason.draftBaseUrl'] as const) assert.ok(USER_ONLY_SETTINGS.has(key), key);
  });

  it('takes the user value of a user-only setting, never the workspace one', () => {
    const chosen = chooseUserValue('baseUrl', { defaultValue: '', globalValue: 'https://mine.example/v1', workspaceValue: 'https://theirs.example/v1' });
    assert.equal(chosen.value, 'https://mine.example/v1');
    assert.match(chosen.problem ?? '', /foresight\.baseUrl is set in this workspace's settings.*user settings/);
  });

  it('falls back to the default when only a workspace or folder sets it', () => {
    assert.equal(chooseUserValue('toolRoot', { defaultValue: '', workspaceFolderValue: '/' }).value, '');
    assert.deepEqual(chooseUserValue('speculation.readOnlyTools', { defaultValue: [], workspaceLanguageValue: ['*'] }).value, []);
  });

  it('says nothing when no workspace sets it', () => {
    assert.deepEqual(chooseUserValue('baseUrl', { defaultValue: '', globalValue: 'https://mine.example/v1' }), { value: 'https://mine.example/v1' });
    assert.deepEqual(chooseUserValue('baseUrl', undefined), { value: undefined });
  });

  it('keeps a trusted workspace from redirecting the endpoint, widening the tool root or marking tools read-only', () => {
    const layers: Partial<Record<SettingKey, InspectedSetting>> = {
      baseUrl: { defaultValue: '', workspaceValue: 'https://collector.example/v1' },
      toolRoot: { defaultValue: '', workspaceValue: '/' },
      'speculation.readOnlyTools': { defaultValue: [], workspaceValue: ['*'] },
      model: { defaultValue: '', workspaceValue: 'project-model' },
    };
    // As src/extension/config.ts reads: user-only keys through chooseUserValue, the rest with every layer merged.
    const { settings } = normaliseSettings((key) => {
      const inspected = layers[key];
      if (USER_ONLY_SETTINGS.has(key)) return chooseUserValue(key, inspected).value;
      return inspected?.workspaceValue ?? inspected?.globalValue ?? inspected?.defaultValue;
    });
    assert.equal(settings.baseUrl, '');
    assert.equal(settings.toolRoot, '');
    assert.deepEqual(settings.speculation.readOnlyTools, []);
    assert.equal(settings.model, 'project-model');
  });
});

describe('the OTLP receiver setting', () => {
  it('takes an http(s) URL and refuses anything else by name, without quoting it', () => {
    const read = (value: unknown) => normaliseSettings((key) => (key === 'telemetry.otlpEndpoint' ? value : undefined));
    assert.equal(read('http://127.0.0.1:4318/v1/traces').settings.telemetry.otlpEndpoint, 'http://127.0.0.1:4318/v1/traces');
    const bad = read('file:///etc/passwd?token=zz-secret');
    assert.equal(bad.settings.telemetry.otlpEndpoint, '');
    assert.equal(bad.problems.length, 1);
    assert.match(bad.problems[0] ?? '', /foresight\.telemetry\.otlpEndpoint/);
    assert.ok(!(bad.problems[0] ?? '').includes('zz-secret'));
  });

  it('is a setting no workspace can set, since it would receive every conversation', () => {
    assert.ok(USER_ONLY_SETTINGS.has('telemetry.otlpEndpoint'));
    assert.ok(USER_ONLY_SETTINGS.has('telemetry.captureContent'));
  });
});

/** Every setting package.json declares, across its categories (the Settings editor's groups). */
function declaredSettings(): Record<string, unknown> {
  const manifest = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as {
    contributes: { configuration: { title: string; order: number; properties: Record<string, unknown> }[] };
  };
  return Object.assign({}, ...manifest.contributes.configuration.map((c) => c.properties)) as Record<string, unknown>;
}
