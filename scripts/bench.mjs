// `npm run bench`: builds the product (out/cli.js, which the eval benchmark spawns, and the
// webview bundles the trace benchmark loads) so what is measured is the current source, then
// bundles the benchmarks with esbuild (as the product is bundled) and runs them.
// Options after `--`: `--only sniff,eval,tta,trace,resniff,warm,proxy`, `--eval-sizes 0.1,1,16,50`, `--eval-cap 120`.
import { spawnSync } from 'node:child_process';
import * as esbuild from 'esbuild';

const build = spawnSync(process.execPath, ['esbuild.mjs'], { encoding: 'utf8' });
if (build.status !== 0) {
  process.stderr.write(`${build.stdout}${build.stderr}`);
  process.exit(build.status ?? 1);
}
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
