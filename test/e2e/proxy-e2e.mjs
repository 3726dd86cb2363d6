// End-to-end in a real VS Code (code-server): the recording proxy from the editor. The test
// starts its own upstream (`foresight serve` on the shipped weather demo session, behind a small
// tap that notes the Authorization header of each request) and points foresight.baseUrl at it,
// stores a key with "Foresight: Set API Key", then runs "Foresight: Start Recording Proxy": the
// notification and the clipboard give the base URL, the status bar shows the port, and "Follow
// in Trace Panel" has the panel wait for the next proxied conversation. As the agent, outside
// VS Code, the test streams the first turn (its own made-up key) and the second with the tool
// result (no key: the stored one is added). The panel shows the proxied reasoning and the shadow
// outcome, the Sessions view lists the recording, which holds neither key, and "Foresight: Stop
// Recording Proxy" hides the item and closes the port. Screenshot: test-results/proxy-trace.png.
// `node test/e2e/proxy-e2e.mjs` after `npm run build`; FORESIGHT_E2E_VSIX=path reuses a .vsix.
import { spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCodeServer } from '../../scripts/vscode-harness/code-server.mjs';
import { activationFailure, CHROMIUM, createChecks, exthostLog, findFrame, launchChromium, openForesightView, poll, prepareRun, runChecked, runCommand, WORKBENCH_SETTINGS } from './workbench.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const resultsDir = join(repoRoot, 'test-results');
const CLI = join(repoRoot, 'out', 'cli.js');
const SESSION = join(repoRoot, 'media', 'demo-sessions', '01-weather-umbrella.json');
const WHOLE_RUN_MS = 10 * 60_000;
const WAIT_MS = 60_000;
// Made-up keys: the agent's own, and the one stored in SecretStorage for an agent that sends none.
const AGENT_KEY = 'sk-test-agent-5e1f7a2b9c4d8e03';
const STORED_KEY = 'sk-test-stored-91d0c6b3a7e24f58';

const checks = createChecks();
const { check, attempt } = checks;

/** `foresight serve` on `session`; resolves with its base URL once it prints its listening line. */
function startUpstream(session, cleanups) {
  const child = spawn(process.execPath, [CLI, 'serve', '--sessions', session, '--tokens-per-second', '300'], { stdio: ['ignore', 'pipe', 'pipe'] });
  cleanups.push(() => child.exitCode === null && child.kill('SIGTERM'));
  let err = '';
  child.stderr.on('data', (d) => {
    err += d.toString();
    appendFileSync(join(resultsDir, 'proxy-e2e-upstream.log'), d);
  });
  return new Promise((resolvePromise, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d.toString();
      const m = /^listening (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
      if (m) resolvePromise(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code} before listening: ${err}`)));
  });
}

/**
 * A pass-through in front of the upstream that keeps each request's path and Authorization
 * header. It opens a new upstream connection per request: reusing an idle keep-alive socket
 * about 5 s old (serve's keep-alive timeout) once got a bare 400 from serve's HTTP parser.
 */
function startTap(target, cleanups) {
  const seen = [];
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    seen.push({ path: req.url, authorization: req.headers.authorization ?? null });
    appendFileSync(join(resultsDir, 'proxy-e2e-upstream.log'), `tap: ${req.method} ${req.url} ${JSON.stringify(Object.keys(req.headers))}\n`);
    const forward = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers, agent: false }, (answer) => {
      appendFileSync(join(resultsDir, 'proxy-e2e-upstream.log'), `tap: upstream answered ${answer.statusCode} ${JSON.stringify(answer.headers)}\n`);
      if (answer.statusCode !== 200) answer.on('data', (d) => appendFileSync(join(resultsDir, 'proxy-e2e-upstream.log'), `tap: ${d}\n`));
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', (e) => {
      appendFileSync(join(resultsDir, 'proxy-e2e-upstream.log'), `tap: ${e.message}\n`);
      res.destroy(e);
    });
    req.pipe(forward);
  });
  server.on('clientError', (e, socket) => {
    appendFileSync(join(resultsDir, 'proxy-e2e-upstream.log'), `tap: bad request from the proxy: ${e.code} ${e.message}\n`);
    socket.destroy();
  });
  cleanups.push(() => {
    server.closeAllConnections();
    return new Promise((r) => server.close(() => r()));
  });
  return new Promise((resolvePromise) => server.listen(0, '127.0.0.1', () => resolvePromise({ url: `http://127.0.0.1:${server.address().port}/v1`, seen, server })));
}

/**
 * POSTs a streaming chat completion as an agent would, with plain node:http; resolves with the
 * status, the number of SSE data lines, whether [DONE] came, and the reasoning, answer and tool
 * calls put together from the deltas.
 */
function streamChat(baseUrl, body, authorization) {
  const url = new URL(`${baseUrl}/chat/completions`);
  const payload = JSON.stringify(body);
  const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), accept: 'text/event-stream' };
  if (authorization) headers.authorization = authorization;
  return new Promise((resolvePromise, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        const out = { status: res.statusCode, contentType: res.headers['content-type'] ?? '', chunks: 0, done: false, reasoning: '', content: '', calls: [], finish: null, raw: text };
        for (const line of text.split('\n')) {
          if (!line.startsWith('data:')) continue;
          const data = line.slice(5).trim();
          if (data === '[DONE]') {
            out.done = true;
            continue;
          }
          out.chunks++;
          const choice = JSON.parse(data).choices?.[0];
          const delta = choice?.delta ?? {};
          out.reasoning += delta.reasoning_content ?? delta.reasoning ?? '';
          out.content += delta.content ?? '';
          for (const call of delta.tool_calls ?? []) {
            const at = (out.calls[call.index ?? 0] ??= { id: '', name: '', arguments: '' });
            at.id += call.id ?? '';
            at.name += call.function?.name ?? '';
            at.arguments += call.function?.arguments ?? '';
          }
          if (choice?.finish_reason) out.finish = choice.finish_reason;
        }
        resolvePromise(out);
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Resolves with the connection error code of a GET to `port`, or 'connected' when something answers. */
function probe(port) {
  return new Promise((resolvePromise) => {
    const req = request({ host: '127.0.0.1', port, path: '/v1/models', method: 'GET', timeout: 5_000 }, (res) => {
      res.resume();
      resolvePromise('connected');
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
    req.on('error', (e) => resolvePromise(e.code ?? String(e)));
    req.end();
  });
}

function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

/** The visible notification toast whose text matches `pattern`. */
function toast(page, pattern) {
  return page.locator('.notification-toast', { hasText: pattern }).first();
}

async function main(cleanups) {
  if (!existsSync(CHROMIUM)) {
    check('Chromium installed', false, `${CHROMIUM} is missing`);
    return;
  }
  if (!existsSync(CLI)) {
    check('out/cli.js built', false, 'run npm run build first: the upstream is `node out/cli.js serve`');
    return;
  }
  mkdirSync(resultsDir, { recursive: true });
  for (const stale of ['proxy-failure.png', 'proxy-e2e-upstream.log']) rmSync(join(resultsDir, stale), { force: true });
  const { tmp, vsix } = await prepareRun(cleanups, 'proxy');

  const recorded = JSON.parse(readFileSync(SESSION, 'utf8'));
  const prompt = recorded.messages.find((m) => m.role === 'user').content;
  const toolResult = recorded.messages.find((m) => m.role === 'tool');
  const tap = await startTap(await startUpstream(SESSION, cleanups), cleanups);

  const workspace = join(tmp, 'workspace');
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, 'README.md'), '# Weather agent\n');
  const sessionsDir = join(tmp, 'sessions');
  const userDataDir = join(tmp, 'user-data');
  // foresight.baseUrl is machine-scoped: code-server reads it from the remote machine's settings.
  const machineSettings = join(userDataDir, 'Machine', 'settings.json');
  mkdirSync(dirname(machineSettings), { recursive: true });
  writeFileSync(machineSettings, `${JSON.stringify({ 'foresight.baseUrl': tap.url }, null, 2)}\n`);
  const server = await startCodeServer({
    workspace,
    userDataDir,
    extensionsDir: join(tmp, 'extensions'),
    vsixPaths: [vsix],
    logFile: join(resultsDir, 'proxy-e2e-code-server.log'),
    settings: { ...WORKBENCH_SETTINGS, 'workbench.colorTheme': 'Default Dark Modern', 'foresight.sessionsDir': sessionsDir },
  });
  cleanups.push(() => server.stop());
  const browser = await launchChromium();
  cleanups.push(() => browser.close());
  // The proxy copies its URL to the clipboard; let the page read it back.
  const context = await browser.newContext({ viewport: { width: 1500, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  cleanups.push(async () => {
    if (checks.counts.failed) await page.screenshot({ path: join(resultsDir, 'proxy-failure.png') }).catch(() => {});
  });

  try {
    await page.goto(`${server.url}/?folder=${encodeURI(workspace)}`, { timeout: 30_000 });
    await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    await openForesightView(page);
    // The chat's webview means the extension is active and its commands are registered.
    await findFrame(page, '[data-testid="prompt"]', server.logsDir);

    await runCommand(page, 'Foresight: Set API Key');
    const input = page.locator('.quick-input-widget input[type="password"]');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(STORED_KEY);
    await input.press('Enter');
    await toast(page, 'API key saved').waitFor({ timeout: WAIT_MS });

    await runCommand(page, 'Foresight: Start Recording Proxy');
    const started = toast(page, "set it as your agent's base URL");
    await started.waitFor({ timeout: WAIT_MS });
    const message = (await started.innerText()).replace(/\s+/g, ' ');
    const url = /copied (http:\/\/127\.0\.0\.1:(\d+)\/v1)/.exec(message);
    check('Start Recording Proxy says which base URL to give the agent: http://127.0.0.1:PORT/v1', Boolean(url), message);
    if (!url) return;
    const [, baseUrl, port] = url;
    const item = page.locator('.statusbar-item', { hasText: /Proxy :\d+/ }).first();
    await attempt('the status bar shows the running proxy on the same port', async () => {
      await item.waitFor({ state: 'visible', timeout: 10_000 });
      const text = (await item.innerText()).trim();
      if (text !== `Proxy :${port}`) throw new Error(`status bar "${text}", notification port ${port}`);
      return text;
    });
    await attempt('the base URL is on the clipboard', async () => {
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      if (copied !== baseUrl) throw new Error(`clipboard "${copied}"`);
      return copied;
    });
    await started.locator('.monaco-button', { hasText: 'Follow in Trace Panel' }).click();
    await toast(page, 'follows the next conversation').waitFor({ timeout: 10_000 });

    // The agent, outside VS Code: its own key on the first turn.
    const tools = recorded.tools;
    const first = await streamChat(baseUrl, { model: recorded.model, messages: [{ role: 'user', content: prompt }], tools, stream: true }, `Bearer ${AGENT_KEY}`);
    const call = first.calls[0];
    check('the agent gets the upstream\'s stream through the proxy: reasoning, then the tool call',
      first.status === 200 && /text\/event-stream/.test(first.contentType) && first.chunks > 5 && first.done && first.reasoning.includes('I need a forecast') && call?.name === 'get_forecast' && first.finish === 'tool_calls',
      `status ${first.status}, ${first.chunks} chunks, ${first.reasoning.length} reasoning chars, call ${call?.name}(${call?.arguments}), finish ${first.finish}`);
    if (!call) return;

    const trace = await findFrame(page, '[data-testid="think-stream"]', server.logsDir);
    await attempt('the trace panel follows the proxied conversation live and shows its reasoning', async () => {
      const title = trace.locator('[data-testid="trace-title"]');
      await poll(async () => (await title.innerText()).includes(prompt.slice(0, 30)), WAIT_MS, 'the proxied conversation in the panel title');
      const stream = trace.locator('[data-testid="think-stream"]');
      await poll(async () => (await stream.innerText()).includes('I need a forecast'), WAIT_MS, 'the proxied reasoning in the think stream');
      return (await title.innerText()).trim();
    });

    // The second turn carries the tool result and no key: the proxy adds the stored one.
    const second = await streamChat(baseUrl, {
      model: recorded.model,
      messages: [
        { role: 'user', content: prompt },
        { role: 'assistant', content: null, tool_calls: [{ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }] },
        { role: 'tool', tool_call_id: call.id, content: toolResult.content },
      ],
      tools,
      stream: true,
    });
    check('the second turn, with the tool result, streams the upstream\'s answer', second.status === 200 && second.done && /umbrella/i.test(second.content) && second.finish === 'stop',
      second.status === 200 ? `${second.chunks} chunks, answer "${second.content.slice(0, 50).replace(/\s+/g, ' ')}…"` : `status ${second.status}: ${second.raw.slice(0, 300)}`);
    const auth = tap.seen.filter((s) => /chat\/completions/.test(s.path)).map((s) => s.authorization);
    check('upstream from the settings: the agent\'s own key is forwarded, and the stored key is added when the agent sends none',
      auth.length === 2 && auth[0] === `Bearer ${AGENT_KEY}` && auth[1] === `Bearer ${STORED_KEY}`,
      auth.map((a) => (a === `Bearer ${AGENT_KEY}` ? 'agent key' : a === `Bearer ${STORED_KEY}` ? 'stored key' : String(a))).join(', '));

    await attempt('the trace panel shows the shadow outcome of the proxied tool call', async () => {
      const bar = trace.locator('[data-testid="spec-bar"][data-outcome]').first();
      await bar.waitFor({ timeout: WAIT_MS });
      const outcome = await bar.getAttribute('data-outcome');
      const marks = await trace.locator('[data-testid="intent"]').count();
      if (outcome !== 'hit' && outcome !== 'partial') throw new Error(`outcome ${outcome}`);
      return `shadow outcome ${outcome}, ${marks} highlighted intent(s)`;
    });
    await page.screenshot({ path: join(resultsDir, 'proxy-trace.png') });

    await attempt('the Sessions view lists the proxied session under Recorded, without a manual refresh', async () => {
      const header = page.locator('.pane-header', { hasText: 'Sessions' }).first();
      if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
      const rows = page.locator('.pane-body .monaco-list-row');
      let texts = [];
      await poll(async () => {
        texts = (await rows.allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim());
        const at = texts.findIndex((t) => t.startsWith(prompt));
        return at > texts.findIndex((t) => t === 'Recorded') && at < texts.findIndex((t) => t === 'Demo') && /2 turns/.test(texts[at]);
      }, WAIT_MS, 'the proxied session with its 2 turns between Recorded and Demo');
      return texts.find((t) => t.startsWith(prompt));
    });

    await runCommand(page, 'Foresight: Stop Recording Proxy');
    await attempt('Stop Recording Proxy takes the proxy off the status bar and closes its port', async () => {
      await item.waitFor({ state: 'hidden', timeout: WAIT_MS });
      const refused = await poll(async () => {
        const code = await probe(Number(port));
        return code === 'ECONNREFUSED' ? code : undefined;
      }, WAIT_MS, `a refused connection on port ${port}`);
      return `no proxy item; a request to :${port} gets ${refused}`;
    });

    await attempt('the recording is in the sessions folder with both turns and the shadow outcome, and holds neither key', async () => {
      const files = await poll(() => {
        const found = filesUnder(sessionsDir).filter((f) => f.endsWith('.jsonl'));
        return found.length > 0 && found;
      }, WAIT_MS, 'a .jsonl file in the sessions folder');
      if (files.length !== 1) throw new Error(`${files.length} files`);
      const text = readFileSync(files[0], 'utf8');
      if (text.includes(AGENT_KEY) || text.includes(STORED_KEY) || /sk-test-/.test(text)) throw new Error('a key is in the recording');
      const lines = text.trim().split('\n').map((l) => JSON.parse(l));
      const requests = lines.filter((l) => l.kind === 'request').map((l) => l.turn);
      const shadow = lines.find((l) => l.kind === 'event' && l.event.type === 'shadowCall');
      const ended = lines.filter((l) => l.kind === 'event' && l.event.type === 'turnEnd').map((l) => l.event.finishReason);
      if (requests.join() !== '0,1' || shadow?.event.name !== 'get_forecast' || ended.join() !== 'tool_calls,stop') {
        throw new Error(`requests of turns ${requests.join()}, shadow call ${shadow?.event.name}, turns ended ${ended.join()}`);
      }
      return `${files[0].slice(sessionsDir.length + 1)}: turns 0 and 1, shadow call ${shadow.event.name} ${shadow.event.exact ? 'exact' : 'not exact'}, no key in ${lines.length} lines`;
    });
    check('no log of the run holds either key', !filesUnder(server.logsDir).some((f) => {
      const text = readFileSync(f, 'utf8');
      return text.includes(AGENT_KEY) || text.includes(STORED_KEY);
    }), `${filesUnder(server.logsDir).length} log files read`);
  } finally {
    const failure = activationFailure(server.logsDir);
    check('the extension activated without error', !failure, failure ?? '');
    const log = exthostLog(server.logsDir);
    if (log) copyFileSync(log, join(resultsDir, 'proxy-e2e-exthost.log'));
    const output = filesUnder(server.logsDir).find((f) => /Foresight/.test(f));
    if (output) copyFileSync(output, join(resultsDir, 'proxy-e2e-foresight.log'));
  }
}

await runChecked({ label: 'recording proxy end-to-end run', wholeRunMs: WHOLE_RUN_MS, checks, main });
