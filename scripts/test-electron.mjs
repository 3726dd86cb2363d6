// `npm run test:electron`: the in-host integration suite (test/integration/suite/) in a desktop
// VS Code that @vscode/test-electron downloads, with Foresight and the test-only runner
// extension loaded as development extensions. Where VS Code cannot be downloaded (no network, as
// on the machines this is built on) it says so in one line and exits 0, or 1 with --strict;
// `node test/integration/run-integration.mjs` runs the same suite in code-server instead.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { buildRunner, runnerDir } from '../test/integration/build-runner.mjs';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

const strict = process.argv.includes('--strict');
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

let vscodeExecutablePath;
try {
  vscodeExecutablePath = await downloadAndUnzipVSCode({ version: 'stable', cachePath: join(repoRoot, '.vscode-test'), reporter: { report() {}, error() {} } });
} catch (err) {
  const reason = String(err?.message ?? err).split('\n')[0];
  console.log(`test:electron: cannot download VS Code here (${reason}); run node test/integration/run-integration.mjs for the same suite in code-server.`);
  process.exit(strict ? 1 : 0);
}

execFileSync('node', ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });
await buildRunner();

const tmp = mkdtempSync(join(tmpdir(), 'foresight-electron-'));
const results = join(tmp, 'results.jsonl');
const workspace = join(tmp, 'workspace');
mkdirSync(workspace, { recursive: true });
// The runner extension starts the suite on startup and writes one JSON line per test; the
// tests entry point only waits for its last line, so both drivers read the same results.
const waiter = join(tmp, 'wait-for-results.cjs');
writeFileSync(
  waiter,
  `const { existsSync, readFileSync } = require('node:fs');
exports.run = () => new Promise((resolve, reject) => {
  const started = Date.now();
  const timer = setInterval(() => {
    const lines = existsSync(${JSON.stringify(results)}) ? readFileSync(${JSON.stringify(results)}, 'utf8').trim().split('\\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
    const last = lines.find((l) => l.kind === 'done' || l.kind === 'crash');
    if (last) { clearInterval(timer); return last.kind === 'done' && last.failed === 0 ? resolve() : reject(new Error('the suite failed')); }
    if (Date.now() - started > 180000) { clearInterval(timer); reject(new Error('the runner did not finish in 180 s')); }
  }, 250);
});
`,
);

let passed = 0;
let failed = 0;
try {
  await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: [repoRoot, runnerDir],
    extensionTestsPath: waiter,
    launchArgs: [workspace, '--disable-workspace-trust', '--skip-welcome'],
    extensionTestsEnv: { FORESIGHT_INTEGRATION_RESULTS: results, FORESIGHT_INTEGRATION_MOCHA: createRequire(import.meta.url).resolve('mocha') },
  });
} catch {
  // The results file says which tests failed; a run with no results counts as one failure.
}
const lines = existsSync(results) ? readFileSync(results, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
for (const line of lines) {
  if (line.kind === 'pass') console.log(`ok ${++passed + failed} - ${line.title}`);
  else if (line.kind === 'fail') console.log(`not ok ${passed + ++failed} - ${line.title}\n  ${line.error.split('\n').slice(0, 4).join('\n  ')}`);
  else if (line.kind === 'crash') console.log(`not ok ${passed + ++failed} - the runner crashed: ${line.error.split('\n')[0]}`);
}
if (passed + failed === 0) failed++;
rmSync(tmp, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
