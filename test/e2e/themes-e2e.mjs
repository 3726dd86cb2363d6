// End-to-end in a real VS Code (code-server) in three colour themes: Default Light Modern,
// Default Dark Modern and Default High Contrast. For each, one demo prompt runs in the chat with
// the trace panel open; screenshots go to test-results/screenshots/<theme>-{chat,trace}.png.
// It asserts what can fail: each webview's body takes its colours from the theme's --vscode-*
// variables (and they differ between the themes), and the text of the tool card, the timeline
// legend and the tables has a WCAG contrast ratio of at least 4.5 against what is behind it.
// `node test/e2e/themes-e2e.mjs`; FORESIGHT_E2E_VSIX=path tests that .vsix instead of building one,
// FORESIGHT_E2E_THEMES=light,dark runs only those (then the across-themes check is left out).
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCodeServer } from '../../scripts/vscode-harness/code-server.mjs';
import { measureContrast, themeColours } from './contrast.mjs';
import { activationFailure, CHROMIUM, createChecks, exthostLog, findFrame, launchChromium, openForesightView, poll, prepareRun, runChecked, runCommand, WORKBENCH_SETTINGS } from './workbench.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const resultsDir = join(repoRoot, 'test-results');
const shotsDir = join(resultsDir, 'screenshots');
const WHOLE_RUN_MS = 15 * 60_000;
const WAIT_MS = 90_000;
/** WCAG AA for normal text; high contrast themes should do better, but AA is what is asserted. */
const MIN_CONTRAST = 4.5;
const THEMES = [
  { slug: 'light', name: 'Default Light Modern', kind: 'vscode-light' },
  { slug: 'dark', name: 'Default Dark Modern', kind: 'vscode-dark' },
  { slug: 'high-contrast', name: 'Default High Contrast', kind: 'vscode-high-contrast' },
];
const only = (process.env.FORESIGHT_E2E_THEMES ?? '').split(',').filter(Boolean);
const RUN = only.length > 0 ? THEMES.filter((t) => only.includes(t.slug)) : THEMES;
const CHAT_TEXT = [
  ['chat tool card', '[data-testid="tool-card"]'],
  ['chat thinking summary', '[data-testid="thinking-summary"]'],
  ['chat answer', '[data-testid="answer"]'],
];
const TRACE_TEXT = [
  ['trace timeline legend', '[data-testid="legend"]'],
  ['trace decisions table', '[data-testid="intents"] table'],
  ['trace per-turn figures table', '[data-testid="figures"] table'],
  ['trace reasoning and highlights', '[data-testid="think-stream"]'],
];

const checks = createChecks();
const { check, attempt } = checks;
/** Per theme, the chat's and the trace panel's body colours, compared across themes at the end. */
const seen = [];

function contrastChecks(theme, results) {
  for (const r of results) {
    if (r.count === 0) {
      check(`${theme}: ${r.label} has text to measure`, false, 'no visible text matched');
      continue;
    }
    check(
      `${theme}: ${r.label}: text contrast at least ${MIN_CONTRAST}`,
      r.ratio >= MIN_CONTRAST,
      `lowest ${r.ratio} over ${r.count} element(s): "${r.text}" (.${r.className}) ${r.color} on ${r.background}`,
    );
  }
}

function colourChecks(theme, expectedKind, where, colours) {
  check(
    `${theme}: the ${where} webview is told its theme kind (${expectedKind})`,
    colours.kind.includes(expectedKind),
    `body classes ${colours.kind.join(' ') || 'none'}`,
  );
  check(
    `${theme}: the ${where} body's colours are the theme's variables`,
    colours.color === colours.themeColor && colours.background === colours.themeBackground,
    `color ${colours.color} (variable ${colours.themeColor}), background ${colours.background} (variable ${colours.themeBackground})`,
  );
}

async function runTheme(vsix, tmp, theme, cleanups) {
  const root = join(tmp, theme.slug);
  const workspace = join(root, 'workspace');
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, 'README.md'), '# Sample\n');
  const server = await startCodeServer({
    workspace,
    userDataDir: join(root, 'user-data'),
    extensionsDir: join(root, 'extensions'),
    vsixPaths: [vsix],
    logFile: join(resultsDir, `themes-e2e-code-server-${theme.slug}.log`),
    settings: { ...WORKBENCH_SETTINGS, 'workbench.colorTheme': theme.name, 'foresight.sessionsDir': join(root, 'sessions') },
  });
  cleanups.push(() => server.stop());
  const browser = await launchChromium();
  cleanups.push(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
  page.setDefaultTimeout(30_000);
  // The chat's picture is the side bar, the trace panel's the editor area (the whole window if either is missing).
  const shot = async (part) => {
    const area = page.locator(part === 'chat' ? '.part.sidebar' : '.part.editor').first();
    const path = join(shotsDir, `${theme.slug}-${part}.png`);
    if ((await area.count()) > 0) await area.screenshot({ path });
    else await page.screenshot({ path });
  };
  try {
    await page.goto(`${server.url}/?folder=${encodeURI(workspace)}`, { timeout: 30_000 });
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    await openForesightView(page);
    const chat = await findFrame(page, '[data-testid="prompt"]', server.logsDir);
    await runCommand(page, 'Foresight: Open Trace Panel');
    const trace = await findFrame(page, '[data-testid="think-stream"]', server.logsDir);

    const suggestion = chat.locator('[data-testid="suggestion"]').first();
    await poll(async () => (await suggestion.count()) > 0, WAIT_MS, 'a demo suggestion');
    await suggestion.click();
    await poll(async () => /done/.test(await chat.locator('[data-testid="status"]').innerText()), WAIT_MS, 'the chat run to finish');
    await chat.locator('[data-testid="tool-card"]').first().waitFor({ timeout: 10_000 });
    await trace.locator('[data-testid="legend"]').first().waitFor({ timeout: WAIT_MS });
    await poll(async () => (await trace.locator('[data-testid="figures-row"]').count()) > 0, WAIT_MS, 'the per-turn figures');

    const chatColours = await chat.evaluate(themeColours, ['--vscode-foreground', '--vscode-sideBar-background']);
    const traceColours = await trace.evaluate(themeColours, ['--vscode-foreground', '--vscode-editor-background']);
    colourChecks(theme.slug, theme.kind, 'chat', chatColours);
    colourChecks(theme.slug, theme.kind, 'trace', traceColours);
    seen.push({ theme: theme.slug, chat: `${chatColours.color} on ${chatColours.background}`, trace: `${traceColours.color} on ${traceColours.background}` });

    await attempt(`${theme.slug}: chat text measured`, async () => {
      contrastChecks(theme.slug, await chat.evaluate(measureContrast, CHAT_TEXT));
    });
    await attempt(`${theme.slug}: trace text measured`, async () => {
      contrastChecks(theme.slug, await trace.evaluate(measureContrast, TRACE_TEXT));
    });

    await chat.locator('[data-testid="tool-card"]').first().scrollIntoViewIfNeeded();
    await shot('chat');
    await trace.locator('[data-testid="legend"]').first().scrollIntoViewIfNeeded();
    await shot('trace');
  } finally {
    const failure = activationFailure(server.logsDir);
    check(`${theme.slug}: the extension activated without error`, !failure, failure ?? '');
    const log = exthostLog(server.logsDir);
    if (log) copyFileSync(log, join(resultsDir, `themes-e2e-exthost-${theme.slug}.log`));
  }
}

async function main(cleanups) {
  if (!existsSync(CHROMIUM)) {
    check('Chromium installed', false, `${CHROMIUM} is missing`);
    return;
  }
  mkdirSync(shotsDir, { recursive: true });
  const { tmp, vsix } = await prepareRun(cleanups, 'themes');
  for (const theme of RUN) {
    const themeCleanups = [];
    try {
      await runTheme(vsix, tmp, theme, themeCleanups);
    } catch (err) {
      check(`${theme.slug}: run`, false, String(err?.stack ?? err).split('\n').slice(0, 3).join(' '));
    } finally {
      for (const fn of themeCleanups.reverse()) await Promise.race([Promise.resolve().then(fn), new Promise((r) => setTimeout(r, 15_000))]).catch(() => {});
    }
  }
  if (RUN.length < 2) return;
  for (const where of ['chat', 'trace']) {
    const distinct = new Set(seen.map((s) => s[where]));
    check(`the ${where} webview's colours differ between the themes`, seen.length === RUN.length && distinct.size === seen.length, seen.map((s) => `${s.theme}: ${s[where]}`).join('; '));
  }
}

await runChecked({ label: 'themes end-to-end run', wholeRunMs: WHOLE_RUN_MS, checks, main });
