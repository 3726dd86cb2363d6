// Bundles every part into out/: the extension host, the language server, the CLI, the library
// (with its type declarations, written by tsc) and the webviews.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
};

/** @type {esbuild.BuildOptions[]} */
const builds = [
  {
    ...common,
    // recheck is its own bundle, required at run time by src/core/rules/redos-check.ts only when a pattern needs it.
    entryPoints: { extension: 'src/extension/extension.ts', server: 'src/server/main.ts', 'evaluation-worker': 'src/server/worker/evaluation-worker-main.ts', recheck: 'node_modules/recheck/lib/main.js' },
    outdir: 'out',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // recheck resolves its synckit helper only for a backend the evaluation worker never selects (it runs recheck's pure build).
    external: ['vscode', './synckit-worker'],
  },
  {
    ...common,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'out',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...common,
    // The library an agent imports (package.json `exports`); the agent brings its own openai client.
    entryPoints: { 'lib/index': 'src/lib/index.ts' },
    outdir: 'out',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['openai'],
  },
  {
    ...common,
    entryPoints: { 'webview/chat': 'webview/chat/main.ts', 'webview/trace': 'webview/trace/main.ts' },
    outdir: 'out',
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
  },
];

if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  // The library's declarations (out/lib/lib/index.d.ts and what it refers to), for the package's `types`.
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const types = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.lib.json'], { stdio: 'inherit' });
  if (types.status !== 0) process.exit(types.status ?? 1);
}
