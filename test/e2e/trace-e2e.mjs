// End-to-end in a real VS Code (code-server), light and dark: a chat against the embedded demo
// shows a thinking block and a tool card with the speculation badge; the trace panel shows the
// chat's reasoning with highlighted intents and a served call on the timeline; a demo session
// replays (plays to the end, then steps). Screenshots: test-results/{chat,trace,replay}-{light,dark}.png.
// `node test/e2e/trace-e2e.mjs`; FORESIGHT_E2E_VSIX=path tests that .vsix instead of building one.
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCodeServer } from '../../scripts/vscode-harness/code-server.mjs';
import { activationFailure, CHROMIUM, createChecks, exthostLog, findFrame, launchChromium, openForesightView, paletteInput, poll, prepareRun, runChecked, runCommand, WORKBENCH_SETTINGS } from './workbench.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const resultsDir = join(repoRoot, 'test-results');
const WHOLE_RUN_MS = 12 * 60_000;
const WAIT_MS = 60_000;
const THEMES = [
  ['light', 'Default Light Modern'],
  ['dark', 'Default Dark Modern'],
];

const checks = createChecks();
const { check, attempt } = checks;

async function runTheme(vsix, tmp, theme, themeName, cleanups) {
  const root = join(tmp, theme);
  const workspace = join(root, 'workspace');
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, 'README.md'), '# Sample\n');
  writeFileSync(join(workspace, 'tuning.sniff'), '# rules being tuned\n');
  const server = await startCodeServer({
    workspace,
    userDataDir: join(root, 'user-data'),
    extensionsDir: join(root, 'extensions'),
    vsixPaths: [vsix],
    logFile: join(resultsDir, `trace-e2e-code-server-${theme}.log`),
    settings: { ...WORKBENCH_SETTINGS, 'workbench.colorTheme': themeName, 'foresight.sessionsDir': join(root, 'sessions') },
  });
  cleanups.push(() => server.stop());
  const browser = await launchChromium();
  cleanups.push(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
  page.setDefaultTimeout(30_000);
  const shot = (name) => page.screenshot({ path: join(resultsDir, `${name}-${theme}.png`) });
  try {
    await page.goto(`${server.url}/?folder=${encodeURI(workspace)}`, { timeout: 30_000 });
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    await openForesightView(page);
    const chat = await findFrame(page, '[data-testid="prompt"]', server.logsDir);

    // Open the trace panel first, so the chat's trace streams into it live.
    await runCommand(page, 'Foresight: Open Trace Panel');
    const trace = await findFrame(page, '[data-testid="think-stream"]', server.logsDir);
    const tabs = await page.locator('.tab[aria-label^="Foresight Trace"]').count();
    const title = await trace.locator('[data-testid="trace-title"]').innerText().catch(() => '');
    check(`${theme}: the trace panel opens as one editor tab, waiting for a chat`, tabs === 1 && /^Live:/.test(title.trim()), `${tabs} tab(s), title "${title.trim()}"`);

    const suggestion = chat.locator('[data-testid="suggestion"]').first();
    await poll(async () => (await suggestion.count()) > 0, WAIT_MS, 'a demo suggestion');
    await suggestion.click();
    await poll(async () => /done/.test(await chat.locator('[data-testid="status"]').innerText()), WAIT_MS, 'the chat run to finish');

    await attempt(`${theme}: the chat shows a collapsed thinking block with its duration and tokens`, async () => {
      const summary = await chat.locator('[data-testid="thinking-summary"]').first().innerText();
      if (!/^Thought for .+ · \d+ tokens?$/.test(summary)) throw new Error(`summary "${summary}"`);
      return summary;
    });
    await attempt(`${theme}: a tool card shows the speculation badge`, async () => {
      const badge = chat.locator('[data-testid="tool-speculative"]:not([hidden])').first();
      await badge.waitFor({ timeout: 10_000 });
      await chat.locator('[data-testid="tool-card"]').first().scrollIntoViewIfNeeded();
      return badge.innerText();
    });
    await attempt(`${theme}: the answer is rendered as markdown`, async () => {
      const answer = chat.locator('[data-testid="answer"]').last();
      const html = await answer.innerHTML();
      if (!/<p>/.test(html)) throw new Error('no paragraph in the answer');
      return `${(await answer.innerText()).slice(0, 60)}…`;
    });
    // The Sessions view starts folded, so the chat has the whole sidebar for its picture; open it after.
    const sessionsHeader = page.locator('.pane-header', { hasText: 'Sessions' }).first();
    if ((await sessionsHeader.getAttribute('aria-expanded')) === 'true') await sessionsHeader.click();
    await chat.locator('[data-testid="thinking"]').first().scrollIntoViewIfNeeded();
    await shot('chat');
    if ((await sessionsHeader.getAttribute('aria-expanded')) !== 'true') await sessionsHeader.click();

    await attempt(`${theme}: the trace panel highlights the intents in the live reasoning`, async () => {
      await trace.locator('[data-testid="intent"]').first().waitFor({ timeout: WAIT_MS });
      const marks = await trace.locator('[data-testid="intent"]').allTextContents();
      return `${marks.length} highlight(s), first "${marks[0]}"`;
    });
    await attempt(`${theme}: the timeline shows a speculation that served its call`, async () => {
      const bar = trace.locator('[data-testid="spec-bar"][data-outcome="hit"], [data-testid="spec-bar"][data-outcome="partial"]').first();
      await bar.waitFor({ timeout: WAIT_MS });
      return `outcome ${await bar.getAttribute('data-outcome')}`;
    });
    await attempt(`${theme}: the per-turn figures count the hit`, async () => {
      const hits = await trace.locator('[data-testid="figures-row"] td[data-field="hits"]').allTextContents();
      if (!hits.some((h) => Number(h) > 0)) throw new Error(`hits ${hits.join(',')}`);
      return `hits per turn ${hits.join(', ')}`;
    });
    await trace.locator('[data-testid="intent"]').first().hover();
    await trace.locator('[data-testid="intent-tooltip"]').waitFor({ state: 'visible', timeout: 5_000 }).catch(() => undefined);
    await shot('trace');

    // Replay a demo session from the Sessions view.
    await attempt(`${theme}: a demo session replays to its end and steps`, async () => {
      const item = page.locator('.monaco-list-row', { hasText: 'Umbrella in Lisbon?' }).first();
      await item.waitFor({ timeout: WAIT_MS });
      await item.click();
      await trace.locator('[data-testid="replay-controls"]').waitFor({ state: 'visible', timeout: WAIT_MS });
      await trace.selectOption('[data-testid="replay-speed"]', '20');
      await trace.click('[data-testid="replay-play"]');
      const position = () => trace.locator('[data-testid="replay-position"]').innerText();
      await poll(async () => {
        const [at, total] = (await position()).split(' ')[0].split('/').map(Number);
        return total > 0 && at === total;
      }, WAIT_MS, 'the replay to reach its end');
      const end = await position();
      await trace.$eval('[data-testid="replay-scrubber"]', (s) => {
        s.value = '0';
        s.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await poll(async () => (await position()).startsWith('0/'), 10_000, 'the scrubber to go back to 0');
      await trace.click('[data-testid="replay-step-intent"]');
      await trace.locator('[data-testid="intent"]').first().waitFor({ timeout: 10_000 });
      const stepped = await position();
      await trace.click('[data-testid="replay-step-call"]');
      await poll(async () => (await trace.locator('[data-testid="seal"]').count()) > 0, 10_000, 'a formal call after stepping');
      return `played to ${end}; stepped to ${stepped}, then to ${await position()}`;
    });
    await attempt(`${theme}: the re-sniff toggle swaps the current rules' intents for the recorded ones and back`, async () => {
      const marks = () => trace.locator('[data-testid="intent"]').count();
      const before = await marks();
      // A demo session recorded no speculation: without re-sniffing there is nothing to highlight.
      await trace.click('[data-testid="replay-resniff"]');
      await poll(async () => (await marks()) === 0 && !(await trace.isChecked('[data-testid="replay-resniff"]')), 10_000, 'the recorded trace');
      await trace.click('[data-testid="replay-resniff"]');
      await poll(async () => (await marks()) > 0, 10_000, 'the re-sniffed intents');
      return `${before} highlight(s) re-sniffed, 0 as recorded, ${await marks()} re-sniffed again`;
    });
    await shot('replay');
    await attempt(`${theme}: typing a rule into an open .sniff file re-sniffs the replay before it is saved`, async () => {
      const marks = () => trace.locator('[data-testid="intent"]').count();
      const before = await marks();
      // Open the file in the first editor group, so the trace panel stays visible beside it.
      await runCommand(page, 'View: Focus First Editor Group');
      await paletteInput(page, 'tuning.sniff');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'tuning.sniff' }).first().click({ timeout: 10_000 });
      const editor = page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
      await editor.click({ timeout: 15_000 }).catch(async (err) => {
        await page.screenshot({ path: join(resultsDir, `trace-tuning-failure-${theme}.png`) });
        throw err;
      });
      await page.keyboard.press('Control+End');
      // insertText, not typing: no auto-closed brackets. The demo's reasoning says "I need a forecast".
      await page.keyboard.insertText('tool get_forecast\n  when /I need (?<city>a forecast)/\n');
      await poll(async () => (await marks()) > before, 20_000, 'a highlight from the rule being typed');
      return `${before} highlight(s) before, ${await marks()} after typing the rule (unsaved)`;
    });
  } finally {
    const failure = activationFailure(server.logsDir);
    check(`${theme}: the extension activated without error`, !failure, failure ?? '');
    const log = exthostLog(server.logsDir);
    if (log) copyFileSync(log, join(resultsDir, `trace-e2e-exthost-${theme}.log`));
  }
}

async function main(cleanups) {
  if (!existsSync(CHROMIUM)) {
    check('Chromium installed', false, `${CHROMIUM} is missing`);
    return;
  }
  mkdirSync(resultsDir, { recursive: true });
  const { tmp, vsix } = await prepareRun(cleanups, 'trace');
  for (const [theme, name] of THEMES) {
    const themeCleanups = [];
    try {
      await runTheme(vsix, tmp, theme, name, themeCleanups);
    } catch (err) {
      check(`${theme}: run`, false, String(err?.stack ?? err).split('\n').slice(0, 3).join(' '));
    } finally {
      for (const fn of themeCleanups.reverse()) await Promise.race([Promise.resolve().then(fn), new Promise((r) => setTimeout(r, 15_000))]).catch(() => {});
    }
  }
}

await runChecked({ label: 'trace end-to-end run', wholeRunMs: WHOLE_RUN_MS, checks, main });
