// `npm start [-- folder]`: runs Foresight in VS Code. With a desktop `code` on PATH it opens an
// Extension Development Host; otherwise it serves a real VS Code (code-server) on 127.0.0.1
// with a freshly packaged .vsix installed, until Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageVsix } from './package-vsix.mjs';
import { freePort, startCodeServer } from './vscode-harness/code-server.mjs';
import { provision } from './vscode-harness/provision.mjs';
import { START_USAGE, parseStartArgs } from './start-args.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const parsed = parseStartArgs(process.argv.slice(2), process.env, process.cwd());
if (parsed.kind === 'help') {
  console.log(START_USAGE);
  process.exit(0);
}
if (parsed.kind === 'error') {
  console.error(parsed.message);
  process.exit(2);
}
const { folder } = parsed;

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // Not in this one.
    }
  }
  return undefined;
}

async function withDesktopCode(code) {
  // The development host loads out/ straight from the repo: a build is all it needs.
  const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit', timeout: 120_000 });
  if (build.status !== 0) throw new Error('the build failed');
  console.log(`Opening ${folder} in VS Code with Foresight loaded from ${repoRoot}`);
  const child = spawn(code, [`--extensionDevelopmentPath=${repoRoot}`, folder], { stdio: 'inherit' });
  child.on('exit', (status) => process.exit(status ?? 1));
}

async function withCodeServer() {
  const home = join(repoRoot, '.cache', 'vscode-harness', 'start');
  const extensionsDir = join(home, 'extensions');
  const userDataDir = join(home, 'user-data');
  await provision();
  const { vsix } = await packageVsix({ out: join(home, 'foresight.vsix') });
  // A fresh extensions folder each time, so the build just made is the one that runs.
  rmSync(extensionsDir, { recursive: true, force: true });
  const settingsFile = join(userDataDir, 'User', 'settings.json');
  if (!existsSync(settingsFile)) {
    // First run only: later the user's own changes to these settings are kept.
    mkdirSync(dirname(settingsFile), { recursive: true });
    writeFileSync(settingsFile, `${JSON.stringify({
      'security.workspace.trust.enabled': false,
      'workbench.startupEditor': 'none',
      'telemetry.telemetryLevel': 'off',
      'extensions.autoCheckUpdates': false,
      // VS Code's own chat would sit next to ours, asking for a sign-in that cannot happen here.
      'chat.disableAIFeatures': true,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
    }, null, 2)}\n`);
  }
  const wanted = Number(process.env.FORESIGHT_PORT) || 0;
  const port = wanted || (await freePort(8080));
  const server = await startCodeServer({
    workspace: folder,
    extensionsDir,
    userDataDir,
    vsixPaths: [vsix],
    port,
    logFile: join(home, 'code-server.log'),
  });

  // The server runs in its own process group: stop it on every way out, Ctrl-C included.
  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping VS Code...');
    await server.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
  process.on('exit', () => {
    try {
      process.kill(-server.process.pid, 'SIGKILL');
    } catch {
      // Already stopped.
    }
  });
  server.process.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`code-server exited (${signal ?? code}); its log: ${server.logFile}`);
    process.exit(1);
  });

  console.log(`\nForesight is running in VS Code: ${server.url}/?folder=${encodeURI(folder)}`);
  console.log(`Log: ${server.logFile}. Press Ctrl-C to stop.`);
}

try {
  const code = onPath('code');
  if (code) await withDesktopCode(code);
  else await withCodeServer();
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
