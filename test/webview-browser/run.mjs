// Runs the webview bundles in real Chromium against the harness page standing in for the host.
// `node test/webview-browser/run.mjs [filter]`; prints `N passed, M failed` last.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chatTests } from './chat-tests.mjs';
import { launchChromium, repoRoot, startHarnessServer } from './harness.mjs';
import { traceTests } from './trace-tests.mjs';

for (const bundle of ['chat.js', 'trace.js']) {
  if (!existsSync(join(repoRoot, 'out', 'webview', bundle))) {
    console.error(`out/webview/${bundle} is missing: run \`npm run build\` first.`);
    process.exit(1);
  }
}
const filter = process.argv[2];
const tests = [...chatTests.map(([n, f]) => [`chat: ${n}`, f]), ...traceTests.map(([n, f]) => [`trace: ${n}`, f])].filter(([name]) => !filter || name.includes(filter));
const server = await startHarnessServer();
const browser = await launchChromium();
let passed = 0;
let failed = 0;
try {
  for (const [name, fn] of tests) {
    try {
      await fn({ browser, base: server.base });
      passed++;
      console.log(`ok ${passed + failed} - ${name}`);
    } catch (err) {
      failed++;
      console.log(`not ok ${passed + failed} - ${name}`);
      console.log(`  ${String(err?.stack ?? err).split('\n').slice(0, 6).join('\n  ')}`);
    }
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
