// What the real-VS Code test scripts share: the check counter and its closing line, the run
// harness (watchdog, signals, cleanup), the workbench settings, Chromium, and helpers for driving
// the Foresight UI inside code-server with playwright-core.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { packageVsix } from '../../scripts/package-vsix.mjs';
import { provision } from '../../scripts/vscode-harness/provision.mjs';

/**
 * What every run needs before its first code-server: the pinned install (made once), a temp
 * folder `foresight-NAME-e2e-*` removed with the run's cleanups, and the packaged `.vsix` in it
 * (or FORESIGHT_E2E_VSIX, when a caller packaged it already).
 */
export async function prepareRun(cleanups, name) {
  await provision();
  const tmp = mkdtempSync(join(tmpdir(), `foresight-${name}-e2e-`));
  cleanups.push(() => rmSync(tmp, { recursive: true, force: true }));
  const vsix = process.env.FORESIGHT_E2E_VSIX ?? (await packageVsix({ out: join(tmp, 'foresight.vsix') })).vsix;
  return { tmp, vsix };
}

/** Debian's package, or CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a headless Chromium on a machine whose only network is loopback. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Launches Debian's Chromium headless. */
export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, timeout: 30_000, args: CHROMIUM_ARGS });
}

/** Settings for a quiet workbench: trusted workspace, no start page, tips, AI chat or update checks. */
export const WORKBENCH_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  // Keep VS Code's own chat out of the way, so the only chat on screen is ours.
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
};

/** TAP-like checks with a count; `attempt` turns a thrown error into a failed check. */
export function createChecks() {
  const counts = { passed: 0, failed: 0 };
  const check = (name, ok, detail = '') => {
    if (ok) counts.passed++;
    else counts.failed++;
    console.log(`${ok ? 'ok' : 'not ok'} ${counts.passed + counts.failed} - ${name}${detail ? ` # ${detail}` : ''}`);
    return ok;
  };
  const attempt = async (name, fn) => {
    try {
      const detail = await fn();
      check(name, true, typeof detail === 'string' ? detail : '');
      return true;
    } catch (err) {
      check(name, false, String(err?.message ?? err).split('\n')[0]);
      return false;
    }
  };
  return { counts, check, attempt };
}

/**
 * Runs `main(cleanups)` under a watchdog and SIGINT/SIGTERM handlers, runs the cleanups in
 * reverse order (each bounded to 15 s, so a stuck browser cannot hang the run), then prints
 * `N passed, M failed` and exits non-zero on any failure or when nothing passed.
 */
export async function runChecked({ label, wholeRunMs, checks, main }) {
  const cleanups = [];
  const cleanUp = async () => {
    for (const fn of cleanups.splice(0).reverse()) {
      await Promise.race([Promise.resolve().then(fn), new Promise((r) => setTimeout(r, 15_000))]).catch(() => {});
    }
  };
  const finish = () => {
    const { passed, failed } = checks.counts;
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed > 0 || passed === 0 ? 1 : 0);
  };
  const watchdog = setTimeout(async () => {
    checks.check('finishes in time', false, `still running after ${wholeRunMs / 1000} s`);
    await cleanUp();
    finish();
  }, wholeRunMs);
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, async () => {
      checks.check('not interrupted', false, sig);
      await cleanUp();
      finish();
    });
  }
  try {
    await main(cleanups);
  } catch (err) {
    checks.check(label, false, err.stack ?? String(err));
  } finally {
    await cleanUp();
    clearTimeout(watchdog);
  }
  finish();
}

export const EXTENSION_ID = 'foresight-dev.foresight';
const FAILED_ACTIVATION = new RegExp(`Activating extension '?${EXTENSION_ID.replace('.', '\\.')}'? failed`);

/** Calls fn until it returns a truthy value; no fixed sleeps, a short pause between tries. */
export async function poll(fn, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (err) {
      if (err.fatal) throw err;
      // Frames come and go while the workbench lays out; try again.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
}

function findFiles(dir, name) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? findFiles(join(dir, e.name), name) : e.name === name ? [join(dir, e.name)] : []));
}

/** The extension host log's lines saying why Foresight failed to activate, if it did. */
export function activationFailure(logsDir) {
  const lines = findFiles(logsDir, 'remoteexthost.log').flatMap((f) => readFileSync(f, 'utf8').split('\n'));
  const at = lines.findIndex((l) => FAILED_ACTIVATION.test(l));
  return at >= 0 ? lines.slice(at, at + 2).join(' ').trim() : undefined;
}

/** The first extension host log file, for the test results. */
export function exthostLog(logsDir) {
  return findFiles(logsDir, 'remoteexthost.log')[0];
}

/** Opens the Foresight view container from the activity bar. */
export async function openForesightView(page) {
  const item = page.locator('.activitybar [aria-label^="Foresight"]').first();
  await item.waitFor({ timeout: 30_000 });
  await item.click({ timeout: 10_000 });
}

/** Runs a command from the palette by its title. */
/**
 * Opens the command palette and types `text` into it; opens it again if it closed under the
 * typing (it can, while the previous command's palette is still closing), up to three times.
 */
export async function paletteInput(page, text) {
  const input = page.locator('.quick-input-widget input');
  let last;
  for (let tries = 0; tries < 3; tries++) {
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(text, { timeout: 10_000 });
      return;
    } catch (err) {
      last = err;
      await page.keyboard.press('Escape').catch(() => {});
    }
  }
  throw last;
}

export async function runCommand(page, title) {
  await paletteInput(page, `>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ timeout: 10_000 });
  await row.click();
}

/** The webview frame (webviews are iframes nested in iframes) holding `selector`. */
export function findFrame(page, selector, logsDir, timeoutMs = 60_000) {
  return poll(async () => {
    const failure = activationFailure(logsDir);
    if (failure) throw Object.assign(new Error(`the extension failed to activate: ${failure}`), { fatal: true });
    for (const frame of page.frames()) {
      if (await frame.$(selector)) return frame;
    }
    return undefined;
  }, timeoutMs, `a webview with ${selector}`);
}
