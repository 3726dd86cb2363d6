// The Debian packages the tests need beyond Node: Chromium drives the webview and end-to-end
// tests; python3, make and g++ rebuild code-server's two native modules. Provisioned the way
// code-server is: installed with apt-get when this machine has it and we may (root), else one
// line saying exactly what to run. `npm test` and `.ci/run` both call it.
import { spawnSync } from 'node:child_process';

/** Each needed command and the package that brings it. */
export const NEEDED = [
  { command: 'chromium', pkg: 'chromium' },
  { command: 'python3', pkg: 'python3' },
  { command: 'make', pkg: 'make' },
  { command: 'g++', pkg: 'g++' },
];

/** What to do, given which commands exist and whether apt-get may be run. Pure, for tests. */
export function systemPlan(has, canApt) {
  const missing = NEEDED.filter((n) => !has(n.command)).map((n) => n.pkg);
  if (missing.length === 0) return { kind: 'ready' };
  const packages = [...missing, 'fonts-liberation'];
  if (canApt) return { kind: 'install', packages };
  return { kind: 'ask', line: `The tests need ${missing.join(', ')}: run  sudo apt-get install -y --no-install-recommends ${packages.join(' ')}  (or set CHROMIUM_PATH to a Chromium), then npm test again.` };
}

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function canApt() {
  return typeof process.getuid === 'function' && process.getuid() === 0 && has('apt-get');
}

/** Makes the packages present; returns false (having printed the one line) when it cannot. */
export function provisionSystemPackages() {
  const plan = systemPlan((c) => (c === 'chromium' && process.env.CHROMIUM_PATH ? true : has(c)), canApt());
  if (plan.kind === 'ready') return true;
  if (plan.kind === 'ask') {
    console.error(plan.line);
    return false;
  }
  console.log(`[system] installing ${plan.packages.join(' ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  const install = update.status === 0 ? spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...plan.packages], { stdio: ['ignore', 'ignore', 'inherit'], env }) : update;
  if (install.status !== 0) {
    console.error(`[system] apt-get failed; run  apt-get install -y --no-install-recommends ${plan.packages.join(' ')}  by hand, then npm test again.`);
    return false;
  }
  return true;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  process.exit(provisionSystemPackages() ? 0 : 1);
}
