// `npm run test:stress`: the unit suite on a machine with no spare CPU. Starts one spinning
// child process per core, runs scripts/run-unit-tests.mjs (arguments pass through), stops the
// spinners whatever happens (the suite ends, fails, or this script is interrupted) and exits
// with the suite's code. A test that passes only when the machine is idle fails here.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';

// Each spinner also checks, now and then, that this script still runs: killed outright, it
// cannot stop them, so they stop themselves once they are orphaned.
const SPIN = `const parent = Number(process.argv[1]);
for (let i = 1; ; i++) if ((i & 0xfffff) === 0 && process.ppid !== parent) process.exit(0);`;

const hogs = Array.from({ length: availableParallelism() }, () => spawn(process.execPath, ['-e', SPIN, String(process.pid)], { stdio: 'ignore' }));
let stopped = false;
function stopHogs() {
  if (stopped) return;
  stopped = true;
  for (const hog of hogs) if (hog.exitCode === null && hog.signalCode === null) hog.kill('SIGKILL');
}
process.on('exit', stopHogs);
console.log(`# test:stress: ${hogs.length} CPU spinners running (pids ${hogs.map((h) => h.pid).join(', ')})`);

const suite = spawn(process.execPath, ['scripts/run-unit-tests.mjs', ...process.argv.slice(2)], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    stopHogs();
    suite.kill(signal);
    // The suite gets a moment to stop its own children; the exit code says it was interrupted either way.
    setTimeout(() => process.exit(130), 5_000).unref();
  });
}
suite.on('error', (err) => {
  console.error(`# test:stress: cannot start the unit suite: ${err.message}`);
  stopHogs();
  process.exit(1);
});
suite.on('exit', (code, signal) => {
  stopHogs();
  console.log(`# test:stress: the unit suite exited with ${code ?? signal}, spinners stopped`);
  process.exit(code ?? 1);
});
