// Starts code-server (a real VS Code: server, web workbench, Node extension host) with given
// .vsix files installed, and stops it again. Used by the end-to-end test and by `npm start`.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { provision, repoRoot } from './provision.mjs';

const HOST = '127.0.0.1';

/** Asks the OS for a free port on 127.0.0.1 (closed again at once; code-server binds it next). */
export function freePort(preferred = 0) {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', (err) => {
      // The preferred port is taken: fall back to any free one.
      if (preferred) freePort(0).then(resolvePromise, reject);
      else reject(err);
    });
    server.listen(preferred, HOST, () => {
      const { port } = server.address();
      server.close(() => resolvePromise(port));
    });
  });
}

/**
 * The environment code-server runs in. It logs to ~/.local/share/code-server unless
 * XDG_DATA_HOME says otherwise: keep that under userDataDir too (--config, below, keeps it
 * from writing ~/.config/code-server/config.yaml with a password).
 */
function serverEnv(userDataDir) {
  const env = { ...process.env, XDG_DATA_HOME: join(userDataDir, 'xdg-data') };
  // Variables a surrounding VS Code or code-server sets would make ours talk to that one.
  for (const key of Object.keys(env)) {
    if (key.startsWith('VSCODE_') || key === 'PASSWORD' || key === 'HASHED_PASSWORD') delete env[key];
  }
  return env;
}

/** Arguments every code-server call shares: its own config file and our two folders. */
function commonArgs(codeServer, extensionsDir, userDataDir) {
  const config = join(userDataDir, 'code-server.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');
  return [codeServer, '--config', config, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir];
}

function runToEnd(node, args, env, timeoutMs) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(node, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolvePromise(output);
      else reject(new Error(`${args.join(' ')} failed (${signal ?? `exit ${code}`}):\n${output}`));
    });
  });
}

/** Polls GET /healthz until code-server answers 200; fails early if the process dies. */
async function waitReady(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited (${child.signalCode ?? child.exitCode}) before it was ready`);
    }
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
      lastError = `HTTP ${res.status}`;
    } catch (err) {
      lastError = err.cause?.code ?? err.message;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`code-server not ready at ${url} after ${timeoutMs / 1000} s (${lastError})`);
}

/** Kills the whole process group (server, extension host, language server) and waits for it. */
function killTree(child, graceMs = 5_000) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    const signal = (sig) => {
      try {
        process.kill(-child.pid, sig);
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => signal('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      // Children that ignored SIGTERM would outlive the group leader: finish them too.
      signal('SIGKILL');
      resolvePromise();
    });
    signal('SIGTERM');
  });
}

/**
 * Installs vsixPaths, writes settings (if given) to User/settings.json, starts code-server
 * on 127.0.0.1 with `workspace` open and waits until it answers.
 * Returns { url, port, logFile, logsDir, process, stop }.
 */
export async function startCodeServer({
  workspace,
  extensionsDir,
  userDataDir,
  vsixPaths = [],
  settings,
  port,
  logFile = join(repoRoot, 'test-results', 'code-server.log'),
  readyTimeoutMs = 60_000,
  log = (line) => console.log(`[code-server] ${line}`),
  // true: the folder opens untrusted (Restricted Mode) unless the workbench is told otherwise.
  workspaceTrust = false,
}) {
  const { node, codeServer } = await provision({ log });
  for (const dir of [extensionsDir, join(userDataDir, 'User'), resolve(logFile, '..')]) {
    mkdirSync(dir, { recursive: true });
  }
  const env = serverEnv(userDataDir);
  const base = commonArgs(codeServer, extensionsDir, userDataDir);

  for (const vsix of vsixPaths) {
    log(`installing ${vsix}`);
    await runToEnd(node, [...base, '--force', '--install-extension', resolve(vsix)], env, 120_000);
  }
  // No settings given: keep what is there (npm start keeps the user's own between runs).
  if (settings) {
    writeFileSync(join(userDataDir, 'User', 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
  }

  const chosen = port ?? (await freePort());
  const url = `http://${HOST}:${chosen}`;
  const args = [
    ...base,
    '--auth', 'none',
    '--bind-addr', `${HOST}:${chosen}`,
    '--disable-telemetry',
    '--disable-update-check',
    // Without it the folder opens in Restricted Mode.
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    resolve(workspace),
  ];
  const fd = openSync(logFile, 'a');
  // detached: its own process group, so stop() can kill the extension host and its children too.
  const child = spawn(node, args, { env, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  log(`starting on ${url} (log: ${logFile})`);
  const stop = () => killTree(child);
  try {
    await waitReady(url, child, readyTimeoutMs);
  } catch (err) {
    await stop();
    throw err;
  }
  log(`ready on ${url}`);
  return { url, port: chosen, logFile, logsDir: join(userDataDir, 'logs'), process: child, stop };
}
