// Small helpers for driving the Foresight UI inside the real workbench (code-server) with
// playwright-core; used by trace-e2e.mjs.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

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
export async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
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
