// End-to-end in a real VS Code (code-server): SpecReason mode on the embedded demo endpoint,
// which serves the hand-written SpecReason turns of media/specreason for both roles (its draft
// and base model names). With foresight.specReason.enabled and measureBaseOnly, the recorded
// prompt is sent; the chat's thinking block must label its steps by who wrote them (draft and
// base), and the trace panel must show the step strip and the turn's figures with the base
// model alone's measured time. Screenshots: test-results/screenshots/specreason-{chat,trace}.png.
// `node test/e2e/specreason-e2e.mjs`; FORESIGHT_E2E_VSIX=path tests that .vsix instead of building one.
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCodeServer } from '../../scripts/vscode-harness/code-server.mjs';
import { measureContrast } from './contrast.mjs';
import { activationFailure, CHROMIUM, createChecks, exthostLog, findFrame, launchChromium, openForesightView, poll, prepareRun, runChecked, runCommand, WORKBENCH_SETTINGS } from './workbench.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const resultsDir = join(repoRoot, 'test-results');
const shotsDir = join(resultsDir, 'screenshots');
const WHOLE_RUN_MS = 10 * 60_000;
const WAIT_MS = 90_000;
// The prompt of media/specreason/order-status.json, as a person would type it.
const PROMPT = 'My order 48213 still hasn\'t arrived. Can you find out where it is?';

const checks = createChecks();
const { check, attempt } = checks;

async function main(cleanups) {
  if (!existsSync(CHROMIUM)) {
    check('Chromium installed', false, `${CHROMIUM} is missing`);
    return;
  }
  mkdirSync(shotsDir, { recursive: true });
  const { tmp, vsix } = await prepareRun(cleanups, 'specreason');
  const workspace = join(tmp, 'workspace');
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, 'README.md'), '# Orders\n');
  const server = await startCodeServer({
    workspace,
    userDataDir: join(tmp, 'user-data'),
    extensionsDir: join(tmp, 'extensions'),
    vsixPaths: [vsix],
    logFile: join(resultsDir, 'specreason-e2e-code-server.log'),
    settings: {
      ...WORKBENCH_SETTINGS,
      'workbench.colorTheme': 'Default Dark Modern',
      'foresight.sessionsDir': join(tmp, 'sessions'),
      // No foresight.baseUrl: the embedded endpoint serves the draft and the base role.
      'foresight.specReason.enabled': true,
      'foresight.specReason.measureBaseOnly': true,
    },
  });
  cleanups.push(() => server.stop());
  const browser = await launchChromium();
  cleanups.push(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
  page.setDefaultTimeout(30_000);
  // The chat's picture is the side bar, the trace panel's the editor area (the whole window if either is missing).
  const shot = async (part) => {
    const area = page.locator(part === 'chat' ? '.part.sidebar' : '.part.editor').first();
    const path = join(shotsDir, `specreason-${part}.png`);
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

    await attempt('the chat says it runs in SpecReason mode and offers the recorded SpecReason prompt', async () => {
      await chat.locator('[data-testid="specreason-note"]:not([hidden])').waitFor({ timeout: WAIT_MS });
      const suggestions = chat.locator('[data-testid="suggestion"]');
      await poll(async () => (await suggestions.count()) > 0, WAIT_MS, 'a suggestion');
      const offered = await suggestions.allTextContents();
      if (!offered.some((s) => s.trim() === PROMPT)) throw new Error(`suggestions: ${offered.join(' | ')}`);
      return (await chat.locator('[data-testid="specreason-note"]').innerText()).trim();
    });
    // Typed, not clicked: the prompt is what the recording answers.
    await chat.locator('[data-testid="prompt"]').fill(PROMPT);
    await chat.locator('[data-testid="prompt"]').press('Enter');
    await poll(async () => /done/.test(await chat.locator('[data-testid="status"]').innerText()), WAIT_MS * 2, 'the SpecReason run to finish');

    await attempt('the chat\'s thinking block labels each step by the model that wrote it, draft and base', async () => {
      await chat.locator('[data-testid="thinking-summary"]').first().click();
      const labels = (await chat.locator('[data-testid="step-label"]').allTextContents()).map((l) => l.trim());
      const authors = await chat.locator('[data-testid="reasoning-step"]').evaluateAll((els) => els.map((e) => e.dataset.author));
      if (!labels.some((l) => /^draft \d\/9$/.test(l))) throw new Error(`no kept draft label: ${labels.join(', ')}`);
      if (!labels.some((l) => /^base/.test(l))) throw new Error(`no base label: ${labels.join(', ')}`);
      if (!authors.includes('draft') || !authors.includes('base')) throw new Error(`authors ${authors.join(',')}`);
      return labels.join(', ');
    });
    await attempt('the rejected draft is not in the chat\'s reasoning, its rewrite is', async () => {
      const text = await chat.locator('[data-testid="thinking"]').first().textContent();
      if (/skip a step/.test(text)) throw new Error('the rejected draft was shown as reasoning');
      if (!/base · draft 3\/9/.test(text)) throw new Error('no rewrite of the draft scored 3');
    });
    await attempt('the trace panel shows the step strip with draft and base cells', async () => {
      const cells = trace.locator('[data-testid="reasoning-steps"]:not([hidden]) [data-testid="reasoning-step"]');
      await poll(async () => (await cells.count()) > 0, WAIT_MS, 'the step strip');
      const authors = await cells.evaluateAll((els) => els.map((e) => e.dataset.author));
      if (!authors.includes('draft') || !authors.includes('base')) throw new Error(`authors ${authors.join(',')}`);
      return `${authors.length} cells: ${authors.join(' ')}`;
    });
    await attempt('the trace panel gives the turn\'s figures with the base model alone\'s measured time', async () => {
      const line = trace.locator('[data-testid="specreason-figures"]:not([hidden])').first();
      await line.waitFor({ timeout: WAIT_MS });
      const text = (await line.innerText()).trim();
      if (!/acceptance \d+% \(\d+ of \d+ judged\)/.test(text)) throw new Error(`no acceptance rate: ${text}`);
      if (!/SpecReason [\d.]+ m?s, base model alone [\d.]+ m?s/.test(text)) throw new Error(`no base-only time: ${text}`);
      return text;
    });
    await attempt('the step labels and figures are readable (contrast at least 4.5)', async () => {
      const [chatLabels] = await chat.evaluate(measureContrast, [['step labels', '[data-testid="step-label"]']]);
      const [figures] = await trace.evaluate(measureContrast, [['figures', '[data-testid="specreason-figures"]']]);
      for (const r of [chatLabels, figures]) {
        if (!r.count || r.ratio < 4.5) throw new Error(`${r.label}: lowest ${r.ratio} over ${r.count} ("${r.text}", ${r.color} on ${r.background})`);
      }
      return `step labels ${chatLabels.ratio}, figures ${figures.ratio}`;
    });
    await chat.locator('[data-testid="thinking"]').first().scrollIntoViewIfNeeded();
    await shot('chat');
    await trace.locator('[data-testid="specreason-figures"]').first().scrollIntoViewIfNeeded();
    await shot('trace');
  } finally {
    const failure = activationFailure(server.logsDir);
    check('the extension activated without error', !failure, failure ?? '');
    const log = exthostLog(server.logsDir);
    if (log) copyFileSync(log, join(resultsDir, 'specreason-e2e-exthost.log'));
  }
}

await runChecked({ label: 'SpecReason end-to-end run', wholeRunMs: WHOLE_RUN_MS, checks, main });
