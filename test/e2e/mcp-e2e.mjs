// End-to-end in a real VS Code (code-server): the live chat against the embedded endpoint with an
// MCP server configured in the user's settings (test/fixtures/mcp-e2e-server.mjs, written with
// the SDK's McpServer) and the embedded endpoint serving test/fixtures/mcp-e2e-sessions, whose
// reasoning names all three of the server's calls before making them. With the server trusted:
// its read-only closed-world tool is served early, the unannotated one and the destructive one
// run only when called, each once, and every card names the server. Then "Foresight: Untrust MCP
// Server…" and "Foresight: Trust MCP Server…" switch the early run off and on again. Then, in a
// second code-server on an untrusted folder (Restricted Mode), the chat says why it offers no
// tools and replays with recorded stand-ins, starting no server, not even its .vscode/mcp.json's.
// Screenshots: test-results/mcp-*.png. `node test/e2e/mcp-e2e.mjs`; FORESIGHT_E2E_VSIX=path reuses a .vsix.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCodeServer } from '../../scripts/vscode-harness/code-server.mjs';
import { activationFailure, CHROMIUM, createChecks, exthostLog, findFrame, launchChromium, openForesightView, poll, prepareRun, runChecked, runCommand, WORKBENCH_SETTINGS } from './workbench.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const resultsDir = join(repoRoot, 'test-results');
const WHOLE_RUN_MS = 12 * 60_000;
const WAIT_MS = 60_000;
const TOOLS = ['lookup_order', 'count_words', 'delete_ticket'];
const FIXTURE_SERVER = join(repoRoot, 'test', 'fixtures', 'mcp-e2e-server.mjs');

const checks = createChecks();
const { check, attempt } = checks;

function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Whether any log of the run (the extension host's, Foresight's output channel) has a line matching `pattern`. */
function logsMention(logsDir, pattern) {
  return filesUnder(logsDir).some((f) => f.endsWith('.log') && pattern.test(readFileSync(f, 'utf8')));
}

/** The calls the fixture server answered, in order: [{ tool, args, at }]. */
function callsIn(callLog) {
  if (!existsSync(callLog)) return [];
  return readFileSync(callLog, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

/** A tool card's badge for a call served from an early run (see src/shared/outcome-words.ts): "hit · saved 719 ms", "partial hit · …". */
const SERVED_EARLY = /\b(?:hit|partial hit|cross-turn hit)\b.*\bsaved\b/;

/** Every tool card of the chat: its tool, the server it names, whether it ran early, whether it was recorded, its result. */
async function readCards(chat) {
  const cards = chat.locator('[data-testid="tool-card"]');
  const out = [];
  for (let i = 0; i < (await cards.count()); i++) {
    const card = cards.nth(i);
    const server = card.locator('[data-testid="tool-server"]');
    const early = card.locator('[data-testid="tool-speculative"]');
    out.push({
      name: (await card.locator('[data-testid="tool-name"]').innerText()).trim(),
      server: (await server.isVisible()) ? (await server.innerText()).trim() : '',
      early: (await early.isVisible()) ? (await early.innerText()).trim() : '',
      recorded: await card.locator('[data-testid="tool-recorded"]').isVisible(),
      result: (await card.locator('[data-testid="tool-result"]').innerText()).trim(),
    });
  }
  return out;
}

/** Starts a new chat, sends the session's prompt (the only suggestion) and waits for the run to end. */
async function chatOnce(chat) {
  await chat.locator('[data-testid="new-chat"]').click();
  const suggestion = chat.locator('[data-testid="suggestion"]').first();
  await poll(async () => (await suggestion.isVisible()) && (await suggestion.innerText()).includes('B-7'), WAIT_MS, 'the fixture session as a suggestion');
  await suggestion.click();
  const status = chat.locator('[data-testid="status"]');
  await poll(async () => /done|error|stopped/.test(await status.innerText()), WAIT_MS, 'the chat run to end');
  return { status: (await status.innerText()).trim(), cards: await readCards(chat) };
}

/** Runs a Foresight trust command and picks `server` in its quick pick. */
async function pickServer(page, command, server) {
  await runCommand(page, command);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: server }).first();
  await row.waitFor({ timeout: 10_000 });
  await row.click();
}

async function main(cleanups) {
  if (!existsSync(CHROMIUM)) {
    check('Chromium installed', false, `${CHROMIUM} is missing`);
    return;
  }
  mkdirSync(resultsDir, { recursive: true });
  for (const name of ['trusted', 'restricted']) rmSync(join(resultsDir, `mcp-failure-${name}.png`), { force: true });
  const { tmp, vsix } = await prepareRun(cleanups, 'mcp');
  await trustedPhase(vsix, tmp);
  await restrictedPhase(vsix, tmp);
}

/**
 * Starts code-server on a fresh workspace `name` with the fixture server in the machine settings
 * and opens the chat. `restricted`: workspace trust is on and the folder opens untrusted.
 */
async function openChat(vsix, tmp, name, { restricted = false, files = {} }, cleanups) {
  const root = join(tmp, name);
  const workspace = join(root, 'workspace');
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, 'README.md'), '# Orders\n');
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(workspace, file)), { recursive: true });
    writeFileSync(join(workspace, file), text);
  }
  const callLog = join(root, 'mcp-calls.jsonl');
  const userDataDir = join(root, 'user-data');
  // code-server is a remote window: machine-scoped settings (Foresight's tool settings are) are
  // read from the remote machine's settings, not the browser user's, and written back there.
  const settingsFile = join(userDataDir, 'Machine', 'settings.json');
  mkdirSync(dirname(settingsFile), { recursive: true });
  writeFileSync(
    settingsFile,
    `${JSON.stringify(
      {
        'foresight.demo.sessionsDir': join(repoRoot, 'test', 'fixtures', 'mcp-e2e-sessions'),
        'foresight.mcp.servers': [{ name: 'orders', type: 'stdio', command: process.execPath, args: [FIXTURE_SERVER, callLog] }],
        'foresight.mcp.trustedServers': ['orders'],
      },
      null,
      2,
    )}\n`,
  );
  const server = await startCodeServer({
    workspace,
    userDataDir,
    extensionsDir: join(root, 'extensions'),
    vsixPaths: [vsix],
    logFile: join(resultsDir, `mcp-e2e-code-server-${name}.log`),
    workspaceTrust: restricted,
    settings: {
      ...WORKBENCH_SETTINGS,
      'workbench.colorTheme': 'Default Dark Modern',
      'foresight.sessionsDir': join(root, 'sessions'),
      // Restricted Mode without the start-up question: an untrusted folder stays untrusted.
      ...(restricted ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never' } : {}),
    },
  });
  cleanups.push(() => server.stop());
  const browser = await launchChromium();
  cleanups.push(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(30_000);
  cleanups.push(async () => {
    if (checks.counts.failed) await page.screenshot({ path: join(resultsDir, `mcp-failure-${name}.png`) }).catch(() => {});
  });
  await page.goto(`${server.url}/?folder=${encodeURI(workspace)}`, { timeout: 30_000 });
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  await openForesightView(page);
  const chat = await findFrame(page, '[data-testid="prompt"]', server.logsDir);
  return { server, page, chat, callLog, settingsFile };
}

function finish(server, name) {
  const failure = activationFailure(server.logsDir);
  check(`${name}: the extension activated without error`, !failure, failure ?? '');
  const log = exthostLog(server.logsDir);
  if (log) copyFileSync(log, join(resultsDir, `mcp-e2e-exthost-${name}.log`));
}

async function trustedPhase(vsix, tmp) {
  const cleanups = [];
  let server;
  try {
    const opened = await openChat(vsix, tmp, 'trusted', {}, cleanups);
    server = opened.server;
    const { page, chat, callLog, settingsFile } = opened;

    const trusted = await chatOnce(chat);
    console.log(`# trusted run: ${trusted.status}; ${JSON.stringify(trusted.cards)}`);
    const card = (run, name) => run.cards.find((c) => c.name === name);
    check('the run against the embedded endpoint with the MCP tools ends with an answer', /done/.test(trusted.status), trusted.status);
    check('one card per call, each naming the server and showing its real (not recorded) result',
      TOOLS.every((t) => card(trusted, t)?.server === 'from orders' && card(trusted, t)?.recorded === false) && card(trusted, 'lookup_order')?.result.includes('packed'),
      trusted.cards.map((c) => `${c.name} ${c.server || '(no server)'}${c.recorded ? ' recorded' : ''}`).join(', '));
    check('the trusted read-only closed-world tool is served early', SERVED_EARLY.test(card(trusted, 'lookup_order')?.early ?? ''), card(trusted, 'lookup_order')?.early || 'no badge');
    check('the tool without annotations runs only when called', card(trusted, 'count_words')?.early === '' && card(trusted, 'count_words')?.result === '4 words', JSON.stringify(card(trusted, 'count_words')));
    check('the destructive tool never runs early', card(trusted, 'delete_ticket')?.early === '' && card(trusted, 'delete_ticket')?.result.includes('deleted'), JSON.stringify(card(trusted, 'delete_ticket')));
    const calls = callsIn(callLog);
    check('the server answered each call exactly once, the destructive one last', TOOLS.every((t) => calls.filter((c) => c.tool === t).length === 1) && calls.at(-1)?.tool === 'delete_ticket', calls.map((c) => c.tool).join(', '));
    check('the log says which MCP tools may run early and which only when called',
      logsMention(server.logsDir, /MCP tool lookup_order from "orders": may run early/) && logsMention(server.logsDir, /MCP tool delete_ticket from "orders": runs only when called \(destructive\)/),
      'looked for the ToolSet lines in the logs');
    await chat.locator('[data-testid="tool-card"]').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(resultsDir, 'mcp-chat.png') });

    await attempt('Foresight: Untrust MCP Server… removes the server from the user settings, and nothing runs early after', async () => {
      await pickServer(page, 'Foresight: Untrust MCP Server…', 'orders');
      await poll(() => !/"foresight\.mcp\.trustedServers":\s*\[\s*"orders"/.test(readFileSync(settingsFile, 'utf8')), 20_000, 'orders gone from foresight.mcp.trustedServers');
      await poll(() => restarts(server.logsDir) >= 1, 20_000, 'the backend restart in the log');
      const before = callsIn(callLog).length;
      const run = await chatOnce(chat);
      const early = run.cards.filter((c) => c.early !== '');
      if (!/done/.test(run.status) || run.cards.length !== 3 || early.length > 0) throw new Error(`${run.status}; early: ${early.map((c) => c.name).join(', ') || 'none'}; ${run.cards.length} cards`);
      return `3 calls, none early; the server answered ${callsIn(callLog).length - before} more calls`;
    });

    await attempt('Foresight: Trust MCP Server… writes the user setting and the lookup runs early again', async () => {
      await pickServer(page, 'Foresight: Trust MCP Server…', 'orders');
      await poll(() => /"foresight\.mcp\.trustedServers":\s*\[\s*"orders"\s*\]/.test(readFileSync(settingsFile, 'utf8')), 20_000, 'orders in foresight.mcp.trustedServers');
      await poll(() => restarts(server.logsDir) >= 2, 20_000, 'a second backend restart in the log');
      const run = await chatOnce(chat);
      const lookup = run.cards.find((c) => c.name === 'lookup_order');
      if (!SERVED_EARLY.test(lookup?.early ?? '')) throw new Error(`lookup_order: ${JSON.stringify(lookup)}`);
      if (run.cards.some((c) => c.name !== 'lookup_order' && c.early !== '')) throw new Error('another tool ran early');
      return lookup.early;
    });
  } catch (err) {
    check('trusted workspace: run', false, String(err?.stack ?? err).split('\n').slice(0, 3).join(' '));
  } finally {
    if (server) finish(server, 'trusted');
    for (const fn of cleanups.reverse()) await Promise.race([Promise.resolve().then(fn), new Promise((r) => setTimeout(r, 15_000))]).catch(() => {});
  }
}

async function restrictedPhase(vsix, tmp) {
  const cleanups = [];
  let server;
  try {
    // A workspace server that would log its calls too, were it ever started.
    const workspaceLog = join(tmp, 'restricted-workspace-calls.jsonl');
    const mcpJson = JSON.stringify({ servers: { shop: { type: 'stdio', command: process.execPath, args: [FIXTURE_SERVER, workspaceLog] } } });
    const opened = await openChat(vsix, tmp, 'restricted', { restricted: true, files: { '.vscode/mcp.json': mcpJson } }, cleanups);
    server = opened.server;
    const { page, chat, callLog } = opened;
    await attempt('Restricted Mode: the chat header says why there are no tools', async () => {
      const notice = chat.locator('[data-testid="tool-notice"]').first();
      await notice.waitFor({ state: 'visible', timeout: WAIT_MS });
      const text = (await notice.innerText()).trim();
      if (!/Restricted Mode/.test(text)) throw new Error(text);
      return text;
    });
    await attempt('Restricted Mode: the session replays with recorded stand-ins, and no MCP server (settings or .vscode/mcp.json) is started', async () => {
      const run = await chatOnce(chat);
      await page.screenshot({ path: join(resultsDir, 'mcp-restricted.png') });
      // Stand-ins replay what was recorded and change nothing, so they may run early: only a real tool would be wrong here.
      const real = run.cards.filter((c) => !c.recorded || c.server !== '');
      if (!/done/.test(run.status) || run.cards.length !== 3 || real.length > 0) throw new Error(`${run.status}; ${JSON.stringify(run.cards)}`);
      if (existsSync(callLog) || existsSync(workspaceLog)) throw new Error('an MCP server was started');
      return `${run.cards.length} recorded cards, no server started`;
    });
  } catch (err) {
    check('restricted workspace: run', false, String(err?.stack ?? err).split('\n').slice(0, 3).join(' '));
  } finally {
    if (server) finish(server, 'restricted');
    for (const fn of cleanups.reverse()) await Promise.race([Promise.resolve().then(fn), new Promise((r) => setTimeout(r, 15_000))]).catch(() => {});
  }
}

/** How often the log says the backend restarted after a settings change. */
function restarts(logsDir) {
  return filesUnder(logsDir)
    .filter((f) => f.endsWith('.log'))
    .map((f) => readFileSync(f, 'utf8').split('restarting the chat backend: settings changed').length - 1)
    .reduce((a, b) => Math.max(a, b), 0);
}

await runChecked({ label: 'MCP end-to-end run', wholeRunMs: WHOLE_RUN_MS, checks, main });
