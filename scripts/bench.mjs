// `npm run bench`: bundles the benchmarks with esbuild (as the product is bundled) and runs them.
// Options after `--`: `--only sniff,tta,trace,resniff,eval`, `--eval-sizes 0.1,1,16,50`, `--eval-cap 120`.
import { spawnSync } from 'node:child_process';
import * as esbuild from 'esbuild';

await Promise.all([
  esbuild.build({
    entryPoints: ['test/bench/run-bench.ts'],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: 'out/bench/run-bench.js',
    // Drives a real Chromium; it must load its own files at run time.
    external: ['playwright-core'],
    logLevel: 'warning',
  }),
  // The eval benchmark spawns the CLI: bundled here from the current source as esbuild.mjs bundles
  // it, so a stale out/cli.js is never what gets measured.
  esbuild.build({
    entryPoints: ['src/cli/main.ts'],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: 'out/bench/cli.js',
    logLevel: 'warning',
  }),
]);
const run = spawnSync(process.execPath, ['out/bench/run-bench.js', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
