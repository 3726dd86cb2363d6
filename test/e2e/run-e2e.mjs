// End-to-end: packages the .vsix, installs it into a real VS Code (code-server), drives the
// workbench with Chromium and sends one chat message through the Foresight view.
// `npm run test:e2e`. FORESIGHT_E2E_VSIX=path skips the build and tests that .vsix instead.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageVsix } from '../../scripts/package-vsix.mjs';
import { startCodeServer } from '../../scripts/vscode-harness/code-server.mjs';
import { provision } from '../../scripts/vscode-harness/provision.mjs';
import { CHROMIUM, createChecks, launchChromium, paletteInput, poll, runChecked, WORKBENCH_SETTINGS } from './workbench.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const resultsDir = join(repoRoot, 'test-results');
const EXTENSION_ID = 'foresight-dev.foresight';
const WHOLE_RUN_MS = 10 * 60_000; // the first provisioning installs ~800 MB; later runs take < 1 min
const CHAT_TIMEOUT_MS = 60_000;
const FAILED_ACTIVATION = new RegExp(`Activating extension '?${EXTENSION_ID.replace('.', '\\.')}'? failed`);

const checks = createChecks();
const { check } = checks;

function makeWorkspace(root) {
  const ws = join(root, 'workspace');
  mkdirSync(join(ws, 'src'), { recursive: true });
  writeFileSync(join(ws, 'README.md'), '# Sample\n\nA tiny project for the Foresight end-to-end test.\n');
  writeFileSync(join(ws, 'src', 'greet.ts'), 'export function greet(name: string): string {\n  return `Hello, ${name}!`;\n}\n');
  return ws;
}

function findFiles(dir, name) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? findFiles(join(dir, e.name), name) : e.name === name ? [join(dir, e.name)] : [],
  );
}

/** Reads the extension host logs: { files, activated, failure } (failure: the lines saying why). */
function readExthostLogs(logsDir) {
  const files = findFiles(logsDir, 'remoteexthost.log');
  const lines = files.flatMap((f) => readFileSync(f, 'utf8').split('\n'));
  // VS Code 1.139 writes "Activating extension X failed due to an error:" and the error on
  // the next line; other versions quote the id.
  const at = lines.findIndex((l) => FAILED_ACTIVATION.test(l));
  return {
    files,
    activated: lines.some((l) => l.includes(`_doActivateExtension ${EXTENSION_ID}`)),
    failure: at >= 0 ? lines.slice(at, at + 2).join(' ').trim() : undefined,
  };
}

/** Opens the Foresight view container: its activity bar item, else the command palette. */
async function openForesightView(page) {
  // The item appears only once the extension's contributions are read, after the workbench.
  const item = page.locator('.activitybar [aria-label^="Foresight"]').first();
  const found = await item.waitFor({ timeout: 30_000 }).then(() => true, () => false);
  if (found) {
    await item.click({ timeout: 10_000 });
    return 'activity bar';
  }
  await paletteInput(page, '>View: Show Foresight');
  await page.locator('.quick-input-list .monaco-list-row').first().click({ timeout: 10_000 });
  return 'command palette';
}

/** The webview frame (webviews are iframes nested in iframes) that holds the chat. */
async function findChatFrame(page, logsDir) {
  return poll(async () => {
    // A failed activation never renders the view: say so now rather than after the timeout.
    const { failure } = readExthostLogs(logsDir);
    if (failure) throw Object.assign(new Error(`the extension failed to activate: ${failure}`), { fatal: true });
    for (const frame of page.frames()) {
      if (await frame.$('[data-testid="prompt"]')) return frame;
    }
    return undefined;
  }, CHAT_TIMEOUT_MS, 'the chat webview ([data-testid="prompt"])');
}

async function sendMessage(frame) {
  // The embedded demo answers only its recorded prompts, offered as suggestions once its
  // endpoint is up: wait for one to appear rather than type something it cannot answer.
  const suggestion = frame.locator('[data-testid="suggestion"]').first();
  await poll(async () => ((await suggestion.count()) > 0 ? true : undefined), CHAT_TIMEOUT_MS, 'a demo suggestion ([data-testid="suggestion"])');
  const text = (await suggestion.innerText()).trim();
  await suggestion.click({ timeout: 10_000 });
  return text;
}

async function readTurn(frame) {
  const text = async (id) => {
    const el = frame.locator(`[data-testid="${id}"]`).last();
    return (await el.count()) ? (await el.innerText()).trim() : '';
  };
  return { reasoning: await text('reasoning'), answer: await text('answer'), status: await text('status') };
}

/**
 * The Sessions view after a chat run, in the real workbench: folded at first (the chat has the
 * room), then, opened, its Recorded folder lists the run just made without a manual refresh,
 * no row shows a 1970 date, and a session's context menu offers Replay, which opens it.
 */
async function checkSessionsAfterRun(page, sent) {
  const header = page.locator('.pane-header', { hasText: 'Sessions' }).first();
  const expanded = await header.getAttribute('aria-expanded').catch(() => null);
  check('the Sessions view starts collapsed, leaving the room to the chat', expanded === 'false', `aria-expanded="${expanded}"`);
  if (expanded !== 'true') await header.click();
  // A recorded run is titled by its prompt; the demo sessions have other titles.
  const row = page.locator('.monaco-list-row', { hasText: sent.slice(0, 40) }).first();
  const listed = await row.waitFor({ timeout: CHAT_TIMEOUT_MS }).then(() => true, (err) => err.message.split('\n')[0]);
  check('after the run the Sessions view lists the new recording under Recorded, without a manual refresh', listed === true, listed === true ? (await row.innerText()).replace(/\s+/g, ' ') : listed);
  const rows = (await page.locator('.pane-body .monaco-list-row').allInnerTexts()).map((r) => r.replace(/\s+/g, ' '));
  check('no session in the Sessions view shows a 1970 date', rows.length > 0 && !rows.some((r) => /1970-01-01/.test(r)), rows.filter((r) => /1970/.test(r)).join(' | ') || `${rows.length} rows`);
  if (listed !== true) return;
  await row.click({ button: 'right' });
  const replay = page.locator('.context-view .action-label', { hasText: /^Replay Session$/ }).first();
  const offered = await replay.waitFor({ timeout: 10_000 }).then(() => true, () => false);
  const items = await page.locator('.context-view .action-label').allInnerTexts().catch(() => []);
  check('a session\'s context menu offers Replay', offered, items.filter(Boolean).join(', ') || 'no context menu');
  if (!offered) {
    await page.keyboard.press('Escape');
    return;
  }
  await replay.click();
  // On a busy machine the workbench can drop the click that lands on a menu just opened: while
  // the menu is still up with its item, the item is clicked again (it closes once it has run).
  const opened = await poll(
    async () => {
      if ((await page.locator('.tab[aria-label^="Foresight Trace"]').count()) > 0) return true;
      if (await replay.isVisible()) await replay.click({ timeout: 2_000 });
      return undefined;
    },
    CHAT_TIMEOUT_MS,
    'the trace panel',
  ).catch((err) => err.message);
  check('Replay from the context menu opens the session in the trace panel', opened === true, opened === true ? '' : opened);
}

async function main(cleanups) {
  if (!existsSync(CHROMIUM)) {
    check('Chromium installed', false, `${CHROMIUM} is missing: install it with apt-get install -y chromium (or set CHROMIUM_PATH)`);
    return;
  }
  mkdirSync(resultsDir, { recursive: true });
  rmSync(join(resultsDir, 'e2e-failure.png'), { force: true }); // a stale one would mislead
  let t = Date.now();
  await provision();
  console.log(`# provisioned in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  const tmp = mkdtempSync(join(tmpdir(), 'foresight-e2e-'));
  cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
  t = Date.now();
  const vsix = process.env.FORESIGHT_E2E_VSIX ?? (await packageVsix({ out: join(tmp, 'foresight.vsix') })).vsix;
  console.log(`# packaged in ${((Date.now() - t) / 1000).toFixed(1)} s: ${vsix}`);

  const workspace = makeWorkspace(tmp);
  const userDataDir = join(tmp, 'user-data');
  t = Date.now();
  const server = await startCodeServer({
    workspace,
    userDataDir,
    extensionsDir: join(tmp, 'extensions'),
    vsixPaths: [vsix],
    logFile: join(resultsDir, 'e2e-code-server.log'),
    settings: { ...WORKBENCH_SETTINGS, 'workbench.colorTheme': 'Default Dark Modern' },
  });
  cleanups.push(() => server.stop());
  console.log(`# code-server ready in ${((Date.now() - t) / 1000).toFixed(1)} s at ${server.url}`);

  const browser = await launchChromium();
  cleanups.push(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(30_000);
  cleanups.push(async () => {
    // Whatever happened, leave a picture of it for whoever reads the failure.
    if (checks.counts.failed) await page.screenshot({ path: join(resultsDir, 'e2e-failure.png'), fullPage: true }).catch(() => {});
  });

  try {
    await page.goto(`${server.url}/?folder=${encodeURI(workspace)}`, { timeout: 30_000 });
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    const how = await openForesightView(page);
    check('the activity bar shows the Foresight view container', how === 'activity bar', `opened from the ${how}`);
    const frame = await findChatFrame(page, server.logsDir);
    // With no endpoint configured the chat talks to the embedded demo, and says so in its header.
    const demoNote = await poll(async () => ((await frame.locator('.demo-note').isVisible()) ? frame.locator('.demo-note').innerText() : undefined), CHAT_TIMEOUT_MS, 'the demo note in the chat header').catch((err) => `not shown: ${err.message}`);
    check('the chat view renders and names the embedded demo endpoint', /^demo:/.test(demoNote), demoNote);

    const sent = await sendMessage(frame);
    let turn = await readTurn(frame);
    try {
      turn = await poll(async () => {
        turn = await readTurn(frame);
        return turn.reasoning && turn.answer && /done/i.test(turn.status) ? turn : undefined;
      }, CHAT_TIMEOUT_MS, 'reasoning, answer and status "done"');
    } catch (err) {
      console.log(`# ${err.message}; last seen: ${JSON.stringify(turn).slice(0, 500)}`);
    }
    const userMessage = await frame.locator('.user-message').first().innerText().catch(() => '');
    check('the message sent shows in the conversation', userMessage.trim() === sent, `"${userMessage.trim()}"`);
    check('reasoning streamed', turn.reasoning.length > 0, `${turn.reasoning.length} chars`);
    check('answer streamed', turn.answer.length > 0, `${turn.answer.length} chars: ${turn.answer.slice(0, 80).replace(/\s+/g, ' ')}`);
    check('status says done', /done/i.test(turn.status), `status "${turn.status}"`);
    // The demo's reasoning names its tool and arguments before the call: Foresight runs the
    // read-only stand-in early, and the tool card says so.
    const early = await frame.locator('[data-testid="tool-speculative"]:not([hidden])').allTextContents();
    check('a tool card shows a result served from speculation', early.length > 0 && /saved/.test(early[0] ?? ''), early[0] ?? 'no speculative badge');
    // Show the tool card with its badge in the screenshot, not just the end of the answer.
    await frame.locator('[data-testid="tool-card"]').first().scrollIntoViewIfNeeded().catch(() => undefined);
    await page.screenshot({ path: join(resultsDir, 'e2e-chat.png'), fullPage: true });
    console.log(`# screenshot: ${join(resultsDir, 'e2e-chat.png')}`);

    const tagline = await frame.locator('[data-testid="tagline"]').innerText().catch(() => '');
    check('the chat header says in one line what Foresight does', /^Runs read-only tools while the model thinks\.$/.test(tagline.trim()), tagline.trim());
    await checkSessionsAfterRun(page, sent);
  } finally {
    // The extension host log says whether activation failed, even when the UI test could not.
    const { files, activated, failure } = readExthostLogs(server.logsDir);
    if (check('extension host log written', files.length > 0, files[0] ?? `none under ${server.logsDir}`)) {
      copyFileSync(files[0], join(resultsDir, 'e2e-exthost.log'));
      check('extension activated without error', activated && !failure,
        failure ?? (activated ? '' : 'the log shows no activation'));
    }
  }
}

await runChecked({ label: 'end-to-end run', wholeRunMs: WHOLE_RUN_MS, checks, main });
