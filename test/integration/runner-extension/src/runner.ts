import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
type MochaConstructor = typeof import('mocha');

/** One line of the results file the driver reads. */
type ResultLine = { kind: 'pass' | 'fail'; title: string; error?: string } | { kind: 'done'; passed: number; failed: number } | { kind: 'crash'; error: string };

/**
 * Runs the bundled suite with the repository's mocha when the driver asked for it
 * (FORESIGHT_INTEGRATION_RESULTS names the results file), writing one JSON line per test.
 */
export function activate(): void {
  const results = process.env.FORESIGHT_INTEGRATION_RESULTS;
  const mochaPath = process.env.FORESIGHT_INTEGRATION_MOCHA;
  if (!results || !mochaPath) return;
  const write = (line: ResultLine) => appendFileSync(results, `${JSON.stringify(line)}\n`);
  try {
    // Node's own require, not the bundler's: mocha stays in the repository.
    const load = createRequire(__filename) as (id: string) => unknown;
    const Mocha = load(mochaPath) as MochaConstructor;
    const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, reporter: class {} as unknown as string });
    mocha.suite.emit('pre-require', globalThis, 'in-host', mocha);
    load(join(__dirname, 'suite.js'));
    let passed = 0;
    let failed = 0;
    mocha
      .run(() => write({ kind: 'done', passed, failed }))
      .on('pass', (test: { fullTitle(): string }) => {
        passed++;
        write({ kind: 'pass', title: test.fullTitle() });
      })
      .on('fail', (test: { fullTitle(): string }, err: unknown) => {
        failed++;
        write({ kind: 'fail', title: test.fullTitle(), error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
      });
  } catch (err) {
    write({ kind: 'crash', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
}
