// Bundles the test-only runner extension and the in-host suite it loads, for both ways of
// running the suite (code-server in `run-integration.mjs`, a downloaded VS Code in `npm run test:electron`).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
export const runnerDir = join(here, 'runner-extension');

export async function buildRunner() {
  await esbuild.build({
    entryPoints: { runner: join(runnerDir, 'src', 'runner.ts'), suite: join(here, 'suite', 'in-host.suite.ts') },
    outdir: join(runnerDir, 'out'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
}
