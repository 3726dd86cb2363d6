// Builds out/ with esbuild and packages the extension as a .vsix with vsce.
// `npm run package [-- --out path.vsix]`, or import `packageVsix()`.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const vsceBin = join(dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');

function run(label, args, { cwd, timeoutMs, log }) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk) => (output += chunk);
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) {
        for (const line of output.split('\n')) if (line.trim()) log(`  ${label}: ${line}`);
        resolvePromise();
      } else {
        // Show everything on failure: a build error is what the reader needs to see.
        reject(new Error(`${label} failed (${signal ?? `exit ${code}`}):\n${output}`));
      }
    });
  });
}

/**
 * Builds (unless build is false) and packages the extension in `root`.
 * Returns { vsix, bytes }.
 */
export async function packageVsix({
  root = repoRoot,
  out,
  build = true,
  log = (line) => console.log(`[package] ${line}`),
} = {}) {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const vsix = resolve(out ?? join(root, `${manifest.name}-${manifest.version}.vsix`));
  mkdirSync(dirname(vsix), { recursive: true });
  const started = Date.now();
  if (build) {
    // Plain build, not --production: the production flags are not ours to vouch for, and
    // the .map files it leaves are kept out of the .vsix by .vscodeignore anyway.
    await run('esbuild', ['esbuild.mjs'], { cwd: root, timeoutMs: 120_000, log });
  }
  // --no-dependencies: esbuild bundled every run-time dependency into out/.
  await run(
    'vsce',
    [vsceBin, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', vsix],
    { cwd: root, timeoutMs: 120_000, log },
  );
  if (!existsSync(vsix)) throw new Error(`vsce reported success but ${vsix} is missing`);
  const bytes = statSync(vsix).size;
  log(`${vsix} (${(bytes / 1024).toFixed(1)} KiB) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { vsix, bytes };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--out');
  const out = i > 0 ? process.argv[i + 1] : undefined;
  try {
    const { vsix, bytes } = await packageVsix({ out });
    console.log(`${vsix} ${bytes} bytes`);
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
