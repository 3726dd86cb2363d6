// `npm test`: every check in order: types, the lint (layers of docs/architecture.md), the build, the shipped rules' own tests, the unit
// and integration tests (Node's runner), then the end-to-end test in a real VS Code. Output
// streams through; the last line sums the test counts of every step.
import { spawn } from 'node:child_process';

const steps = [
  // Chromium, python3, make and g++: apt-get installs them when this machine lets us, else one line says what to run.
  { name: 'system packages', cmd: ['node', 'scripts/system-packages.mjs'] },
  { name: 'typecheck', cmd: ['npx', 'tsc', '-p', '.', '--noEmit'] },
  { name: 'lint', cmd: ['npx', 'eslint', 'src', 'webview', 'test', 'scripts'] },
  { name: 'build', cmd: ['node', 'esbuild.mjs'] },
  { name: 'default rules', cmd: ['node', 'out/cli.js', 'test', 'media/rules/default.sniff'] },
  { name: 'unit and integration', cmd: ['node', 'scripts/run-unit-tests.mjs'] },
  { name: 'webviews in Chromium', cmd: ['node', 'test/webview-browser/run.mjs'] },
  { name: 'end-to-end (real VS Code)', cmd: ['node', 'test/e2e/run-e2e.mjs'], skip: process.env.FORESIGHT_SKIP_E2E === '1' },
  { name: 'trace panel and replay end-to-end (real VS Code)', cmd: ['node', 'test/e2e/trace-e2e.mjs'], skip: process.env.FORESIGHT_SKIP_E2E === '1' },
  { name: 'in-host integration (mocha in the extension host)', cmd: ['node', 'test/integration/run-integration.mjs'], skip: process.env.FORESIGHT_SKIP_E2E === '1' },
  { name: 'rule editor end-to-end (real VS Code)', cmd: ['node', 'test/e2e/sniff-e2e.mjs'], skip: process.env.FORESIGHT_SKIP_E2E === '1' },
  { name: 'MCP tools and trust end-to-end (real VS Code)', cmd: ['node', 'test/e2e/mcp-e2e.mjs'], skip: process.env.FORESIGHT_SKIP_E2E === '1' },
  { name: 'recording proxy end-to-end (real VS Code)', cmd: ['node', 'test/e2e/proxy-e2e.mjs'], skip: process.env.FORESIGHT_SKIP_E2E === '1' },
  { name: 'light, dark and high contrast end-to-end (real VS Code)', cmd: ['node', 'test/e2e/themes-e2e.mjs'], skip: process.env.FORESIGHT_SKIP_E2E === '1' },
  { name: 'SpecReason mode end-to-end (real VS Code)', cmd: ['node', 'test/e2e/specreason-e2e.mjs'], skip: process.env.FORESIGHT_SKIP_E2E === '1' },
];

let passed = 0;
let failed = 0;
const summary = [];

function run(step) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(step.cmd[0], step.cmd.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let counted = { pass: 0, fail: 0 };
    const scan = (line) => {
      // Node's runner ends with "# pass N" / "# fail N"; the CLI and E2E with "N passed, M failed".
      let m = /^# pass (\d+)$/.exec(line);
      if (m) counted.pass = Number(m[1]);
      m = /^# fail (\d+)$/.exec(line);
      if (m) counted.fail = Number(m[1]);
      m = /^(\d+) passed, (\d+) failed$/.exec(line);
      if (m) counted = { pass: Number(m[1]), fail: Number(m[2]) };
    };
    for (const [stream, out] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ]) {
      let rest = '';
      stream.on('data', (data) => {
        out.write(data);
        const lines = (rest + data.toString()).split('\n');
        rest = lines.pop() ?? '';
        lines.forEach((l) => scan(l.trim()));
      });
      stream.on('end', () => scan(rest.trim()));
    }
    child.on('close', (code) => resolve({ code: code ?? 1, counted, seconds: (Date.now() - started) / 1000 }));
  });
}

for (const step of steps) {
  if (step.skip) {
    summary.push(`${step.name}: skipped (FORESIGHT_SKIP_E2E=1)`);
    continue;
  }
  console.log(`\n=== ${step.name}: ${step.cmd.join(' ')}`);
  const { code, counted, seconds } = await run(step);
  passed += counted.pass;
  failed += counted.fail;
  // A step that failed without reporting a failed test (a type error, a crash) counts as one.
  if (code !== 0 && counted.fail === 0) failed++;
  summary.push(`${step.name}: ${code === 0 ? 'ok' : `FAILED (exit ${code})`} in ${seconds.toFixed(1)} s${counted.pass + counted.fail > 0 ? `, ${counted.pass} passed, ${counted.fail} failed` : ''}`);
}

console.log('\n=== summary');
for (const line of summary) console.log(line);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
