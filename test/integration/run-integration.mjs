// The in-host integration suite: packages Foresight and a test-only runner extension, installs
// both into a real VS Code (code-server), opens the workbench so the extension host starts,
// and reads the mocha results the runner writes. Prints `N passed, M failed` last.
// Where VS Code can be downloaded, @vscode/test-electron could launch the same runner instead.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildRunner, runnerDir } from './build-runner.mjs';
import { packageVsix } from '../../scripts/package-vsix.mjs';
import { startCodeServer } from '../../scripts/vscode-harness/code-server.mjs';
import { provision } from '../../scripts/vscode-harness/provision.mjs';
import { launchChromium } from '../e2e/workbench.mjs';
import { poll } from '../e2e/workbench.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');

let passed = 0;
let failed = 0;
const cleanups = [];
try {
  await provision();
  const tmp = mkdtempSync(join(tmpdir(), 'foresight-integration-'));
  cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
  await buildRunner();
  const foresight = (await packageVsix({ out: join(tmp, 'foresight.vsix') })).vsix;
  const runner = (await packageVsix({ root: runnerDir, build: false, out: join(tmp, 'runner.vsix') })).vsix;

  const results = join(tmp, 'results.jsonl');
  // The extension host inherits code-server's environment, which inherits ours.
  process.env.FORESIGHT_INTEGRATION_RESULTS = results;
  process.env.FORESIGHT_INTEGRATION_MOCHA = createRequire(import.meta.url).resolve('mocha');
  const workspace = join(tmp, 'workspace');
  mkdirSync(workspace, { recursive: true });
  const server = await startCodeServer({
    workspace,
    userDataDir: join(tmp, 'user-data'),
    extensionsDir: join(tmp, 'extensions'),
    vsixPaths: [foresight, runner],
    logFile: join(repoRoot, 'test-results', 'integration-code-server.log'),
    settings: { 'security.workspace.trust.enabled': false, 'workbench.startupEditor': 'none', 'chat.disableAIFeatures': true, 'telemetry.telemetryLevel': 'off' },
  });
  cleanups.push(() => server.stop());
  const browser = await launchChromium();
  cleanups.push(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${server.url}/?folder=${encodeURI(workspace)}`);
  const lines = await poll(() => {
    if (!existsSync(results)) return undefined;
    const parsed = readFileSync(results, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
    return parsed.some((l) => l.kind === 'done' || l.kind === 'crash') ? parsed : undefined;
  }, 180_000, 'the runner extension to finish the suite');
  for (const line of lines) {
    if (line.kind === 'pass') console.log(`ok ${++passed + failed} - ${line.title}`);
    else if (line.kind === 'fail') {
      console.log(`not ok ${passed + ++failed} - ${line.title}`);
      console.log(`  ${line.error.split('\n').slice(0, 4).join('\n  ')}`);
    } else if (line.kind === 'crash') {
      failed++;
      console.log(`not ok - the runner crashed: ${line.error.split('\n').slice(0, 4).join(' ')}`);
    }
  }
} catch (err) {
  failed++;
  console.log(`not ok - integration run: ${String(err?.stack ?? err).split('\n').slice(0, 4).join(' ')}`);
} finally {
  for (const fn of cleanups.reverse()) await Promise.race([Promise.resolve().then(fn), new Promise((r) => setTimeout(r, 15_000))]).catch(() => {});
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
