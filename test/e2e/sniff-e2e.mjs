// End-to-end for the rule editor: packages the .vsix, installs it into a real VS Code
// (code-server, through the same harness as the chat test), opens a .sniff file with
// deliberate mistakes and checks, in the workbench, the diagnostics in the Problems view, the
// code lens above a rule, hover help on a keyword, the ✓/✗ marks after test lines with their
// matches highlighted, the tests in the Test Explorer run there, tool-name completion after
// `tool ` and the indent Enter makes after a rule header. Screenshots:
// test-results/sniff-*.png. `node test/e2e/sniff-e2e.mjs`; FORESIGHT_E2E_VSIX=path reuses a .vsix.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCodeServer } from '../../scripts/vscode-harness/code-server.mjs';
import { CHROMIUM, createChecks, launchChromium, poll, prepareRun, runChecked, runCommand, WORKBENCH_SETTINGS } from './workbench.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const resultsDir = join(repoRoot, 'test-results');
const WHOLE_RUN_MS = 10 * 60_000;
const UI_TIMEOUT_MS = 60_000;

// Line 7 names a group that is no parameter of search_docs (and so leaves its required query
// out); line 8 has a regex syntax error. The first rule is right and has figures on the demo
// sessions; its first test passes, its second fails (it expects Oslo where the text says Rome).
const RULES = `# Rules for the demo tools
tool get_forecast
  when /call get_forecast with city "(?<city>[^"]+)" and days (?<days>\\d+)/
  test "call get_forecast with city "Oslo" and days 2" => { "city": "Oslo", "days": 2 }
  test "call get_forecast with city "Rome" and days 2" => { "city": "Oslo", "days": 2 }

tool search_docs
  when /search the docs for "(?<qery>[^"]+)"/
  when /look up (?<query>[a-z]+(/
`;

const checks = createChecks();
const { check, attempt: step } = checks;

async function openFile(page, name) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(name);
  await poll(async () => (await page.locator('.quick-input-list .monaco-list-row').count()) > 0, 20_000, 'quick open results');
  await page.keyboard.press('Enter');
  await page.locator(`.tab[aria-label^="${name}"]`).first().waitFor({ timeout: 20_000 });
}

async function main(cleanups) {
  if (!existsSync(CHROMIUM)) {
    check('Chromium installed', false, `${CHROMIUM} is missing: install it with apt-get install -y chromium (or set CHROMIUM_PATH)`);
    return;
  }
  mkdirSync(resultsDir, { recursive: true });
  rmSync(join(resultsDir, 'sniff-failure.png'), { force: true }); // a stale one would mislead
  const { tmp, vsix } = await prepareRun(cleanups, 'sniff');
  const workspace = join(tmp, 'workspace');
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, 'rules.sniff'), RULES);

  const server = await startCodeServer({
    workspace,
    userDataDir: join(tmp, 'user-data'),
    extensionsDir: join(tmp, 'extensions'),
    vsixPaths: [vsix],
    logFile: join(resultsDir, 'sniff-e2e-code-server.log'),
    settings: { ...WORKBENCH_SETTINGS, 'workbench.colorTheme': 'Default Dark Modern', 'editor.codeLens': true, 'testing.automaticallyOpenPeekView': 'never' },
  });
  cleanups.push(() => server.stop());

  const browser = await launchChromium();
  cleanups.push(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(30_000);
  cleanups.push(async () => {
    if (checks.counts.failed) await page.screenshot({ path: join(resultsDir, 'sniff-failure.png') }).catch(() => {});
  });

  await page.goto(`${server.url}/?folder=${encodeURI(workspace)}`, { timeout: 30_000 });
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  // The activity bar item appears once the extension's contributions are read.
  const container = await page.locator('.activitybar [aria-label^="Foresight"]').first().waitFor({ timeout: UI_TIMEOUT_MS }).then(() => true, () => false);
  check('the activity bar shows the Foresight view container', container);

  await step('rules.sniff opens as a Foresight Rules file', async () => {
    await openFile(page, 'rules.sniff');
    const mode = page.locator('.statusbar-item[id="status.editor.mode"]');
    return poll(async () => ((await mode.innerText()).includes('Foresight Rules') ? `status bar: ${(await mode.innerText()).trim()}` : undefined), UI_TIMEOUT_MS, 'the language mode "Foresight Rules"');
  });

  await step('the regex is highlighted by the grammar', async () => {
    // Tokens of an embedded regex get their own colour classes; the header keyword another.
    // The editor renders blanks as no-break spaces, hence \s in the text filter.
    // The grammar loads after the text is first drawn, so wait for the colours to arrive.
    const line = page.locator('.view-line').filter({ hasText: /when\s+\/call\s+get_forecast/ }).first();
    const classes = await poll(async () => {
      const n = await line.locator('span > span').evaluateAll((spans) => new Set(spans.map((s) => s.className)).size);
      return n >= 3 ? n : undefined;
    }, 20_000, 'three or more token colours on the when line');
    return `${classes} token colours on the when line`;
  });

  await step('the code lens above the first rule shows its figures and Test rule', async () => {
    const lens = page.locator('.codelens-decoration');
    const text = await poll(async () => {
      const all = (await lens.allInnerTexts()).join(' | ');
      return /\d+ hits? · \d+ misfires? · .* on \d+ sessions?/.test(all) && /Test rule/.test(all) ? all : undefined;
    }, UI_TIMEOUT_MS, 'a code lens with "N hits · M misfires"');
    await page.screenshot({ path: join(resultsDir, 'sniff-codelens.png') });
    return text.slice(0, 160);
  });

  await step('the Problems view lists the unknown capture group and the regex syntax error', async () => {
    await page.keyboard.press('Control+Shift+M');
    const rows = page.locator('.markers-panel .monaco-list-row');
    const texts = await poll(async () => {
      const all = await rows.allInnerTexts();
      return all.some((t) => /"qery" is not a parameter of search_docs/.test(t)) && all.some((t) => /Invalid regular expression/.test(t)) ? all : undefined;
    }, UI_TIMEOUT_MS, 'the diagnostics in the Problems view');
    await page.screenshot({ path: join(resultsDir, 'sniff-problems.png') });
    return `${texts.length} rows`;
  });

  await step('hovering the keyword "when" shows its help', async () => {
    const line = page.locator('.view-line').filter({ hasText: /when\s+\/call\s+get_forecast/ }).first();
    await line.locator('span', { hasText: /^when$/ }).first().hover();
    const text = await poll(async () => {
      const all = (await page.locator('.monaco-hover').allInnerTexts()).join(' | ');
      return /when \/PATTERN\/FLAGS/.test(all) ? all : undefined;
    }, UI_TIMEOUT_MS, 'the hover help of "when"');
    await page.screenshot({ path: join(resultsDir, 'sniff-hover.png') });
    await page.mouse.move(5, 5);
    return text.replace(/\s+/g, ' ').slice(0, 120);
  });

  await step('a passing test line ends in ✓, a failing one in ✗ with what it got, and both matches are highlighted', async () => {
    // The marks are inlay hints, drawn as text in the line; the highlights are decorations.
    const lines = page.locator('.view-line');
    const marks = await poll(async () => {
      const all = await lines.allInnerTexts();
      const pass = all.find((t) => /"Oslo"\s+and\s+days\s+2".*✓/.test(t));
      const fail = all.find((t) => /"Rome"\s+and\s+days\s+2".*✗\s+got/.test(t));
      return pass && fail ? [pass, fail] : undefined;
    }, UI_TIMEOUT_MS, 'a ✓ and a ✗ after the two test lines');
    await page.screenshot({ path: join(resultsDir, 'sniff-test-marks.png') });
    // An extension's decoration is drawn with the class ced-<host>-TextEditorDecorationType<n>-<kind>.
    const highlights = await poll(async () => {
      const n = await page.locator('.monaco-editor [class*="-TextEditorDecorationType"]').count();
      return n >= 2 ? n : undefined;
    }, UI_TIMEOUT_MS, 'the matched spans highlighted');
    return `${marks.map((m) => m.replace(/\s+/g, ' ').slice(-28)).join(' / ')}; ${highlights} highlights`;
  });

  await step('the Test Explorer lists the file\'s tests, and running them shows one passed and one failed', async () => {
    await runCommand(page, 'Testing: Focus on Test Explorer View');
    const rows = page.locator('.part.sidebar .monaco-list-row');
    await poll(async () => (await rows.allInnerTexts()).some((t) => t.includes('rules.sniff')), UI_TIMEOUT_MS, 'rules.sniff in the Test Explorer');
    await runCommand(page, 'Test: Run All Tests');
    // Open every level of the tree, then read the states the rows announce.
    const labels = await poll(async () => {
      for (const collapsed of await page.locator('.part.sidebar .monaco-list-row[aria-expanded="false"]').all()) {
        await collapsed.click();
        await page.keyboard.press('ArrowRight');
      }
      const all = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
      return all.some((l) => /Oslo.*\(Passed\)/.test(l)) && all.some((l) => /Rome.*\(Failed\)/.test(l)) ? all : undefined;
    }, UI_TIMEOUT_MS, 'a passed and a failed test in the Test Explorer');
    await page.screenshot({ path: join(resultsDir, 'sniff-test-explorer.png') });
    // The Test Explorer's filter box is an editor too and keeps the focus: hand it back to the file.
    await openFile(page, 'rules.sniff');
    return labels.filter((l) => /\((Passed|Failed)\)/.test(l)).join(' | ').slice(0, 200);
  });

  await step('Ctrl+Space after "tool " offers the tools of the linked sessions', async () => {
    await page.locator('.part.editor .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\ntool ');
    await page.keyboard.press('Control+Space');
    const rows = page.locator('.suggest-widget .monaco-list-row');
    const labels = await poll(async () => {
      const all = await rows.allInnerTexts();
      return all.some((t) => t.includes('get_forecast')) ? all : undefined;
    }, UI_TIMEOUT_MS, 'get_forecast in the suggestions');
    await page.screenshot({ path: join(resultsDir, 'sniff-completion.png') });
    return labels.map((l) => l.split('\n')[0]).join(', ').slice(0, 160);
  });

  await step('Enter after a rule header indents the next line', async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\nwarm role:code-runner');
    // Close any suggestion first, so Enter makes a new line instead of accepting one.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Enter');
    await page.keyboard.type('when');
    const typed = await poll(async () => {
      const all = await page.locator('.view-line').allInnerTexts();
      return all.find((t) => /^\s*when$/.test(t));
    }, 20_000, 'the typed "when" line');
    await page.screenshot({ path: join(resultsDir, 'sniff-enter-indent.png') });
    const indent = typed.length - 'when'.length;
    if (indent !== 2) throw new Error(`the line after the header is indented by ${indent} columns, not 2`);
    return 'indented by 2';
  });
}

await runChecked({ label: 'rule editor end-to-end run', wholeRunMs: WHOLE_RUN_MS, checks, main });
