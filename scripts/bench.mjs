// `npm run bench`: bundles the benchmarks with esbuild (as the product is bundled) and runs them.
import { spawnSync } from 'node:child_process';
import * as esbuild from 'esbuild';

await esbuild.build({
  entryPoints: ['test/bench/run-bench.ts'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile: 'out/bench/run-bench.js',
  // Drives a real Chromium; it must load its own files at run time.
  external: ['playwright-core'],
  logLevel: 'warning',
});
const run = spawnSync(process.execPath, ['out/bench/run-bench.js', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
