import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createCodeRunner, type CodeLanguage, type CodeRunner } from '../../../src/core/tools/code-runner.js';
import { callIntent, speculatorFor } from './workspace/speculate.js';

const never = new AbortController().signal;
const scratch = mkdtempSync(join(tmpdir(), 'foresight-coderun-'));
const runners: CodeRunner[] = [];
after(async () => {
  await Promise.all(runners.map((r) => r.dispose()));
  rmSync(scratch, { recursive: true, force: true });
});

async function runner(options: Parameters<typeof createCodeRunner>[0] = {}): Promise<CodeRunner> {
  const r = await createCodeRunner(options);
  runners.push(r);
  return r;
}

const hasPython = spawnSync('python3', ['-c', 'print(1)']).status === 0;

const programs: Record<CodeLanguage, string[]> = {
  javascript: [
    'console.log("order", 6 * 7); console.error("low stock");',
    'const path = require("node:path"); console.log(path.basename(__filename), require("node:fs").readdirSync(".").length);',
    'throw new Error("refund failed");',
    'process.stdout.write("partial"); process.exitCode = 3;',
    'console.log(process.env.FORESIGHT_HOST_SECRET ?? "no secret");',
  ],
  python: [
    'print("order", 6 * 7)\nimport sys\nprint("low stock", file=sys.stderr)',
    'import os\nprint(__name__, len(os.listdir(".")))',
    'raise ValueError("refund failed")',
    'import sys\nsys.stdout.write("partial")\nsys.exit(3)',
    'import os\nprint(os.environ.get("FORESIGHT_HOST_SECRET", "no secret"))',
  ],
};

/** Resolves once `path` holds text: the program's own signal that it is running. */
function fileWritten(path: string): Promise<string> {
  return new Promise((resolve) => {
    const written = () => (existsSync(path) ? readFileSync(path, 'utf8') : '');
    const watcher = watch(scratch, () => {
      const text = written();
      if (text !== '') {
        watcher.close();
        resolve(text);
      }
    });
    const text = written();
    if (text !== '') {
      watcher.close();
      resolve(text);
    }
  });
}

describe('run_code', () => {
  it('offers JavaScript always, Python only where it is found, and is not read-only', async () => {
    const r = await runner({ python: null });
    assert.deepEqual(r.languages, ['javascript']);
    assert.deepEqual((r.parameters.properties as { language: { enum: string[] } }).language.enum, ['javascript']);
    assert.equal(r.readOnly, false);
    const missing = await runner({ python: join(scratch, 'no-such-python') });
    assert.deepEqual(missing.languages, ['javascript']);
  });

  for (const language of ['javascript', 'python'] as const) {
    const skip = language === 'python' && !hasPython ? 'python3 is not installed here; the Python runs cannot be tested' : false;
    it(`gives the same output warm and cold (${language})`, { skip }, async () => {
      process.env.FORESIGHT_HOST_SECRET = 'should not leak';
      try {
        const r = await runner();
        for (const code of programs[language]) {
          const cold = await r.run({ language, code }, never);
          await r.warmLanguage(language, never);
          assert.deepEqual(r.warmLanguages(), [language]);
          const warm = await r.run({ language, code }, never);
          assert.deepEqual(r.warmLanguages(), []);
          assert.deepEqual(warm, cold, code);
        }
        const [greeting, listing, thrown, partial, secret] = await Promise.all(programs[language].map((code) => r.run({ language, code }, never)));
        assert.equal(greeting!.output, 'exit code 0\n--- stdout ---\norder 42\n--- stderr ---\nlow stock');
        assert.match(listing!.output, language === 'javascript' ? /stdout ---\nmain\.js 0$/ : /stdout ---\n__main__ 0$/);
        assert.equal(thrown!.isError, true);
        assert.match(thrown!.output, /^exit code 1\n--- stderr ---\n[\s\S]*refund failed/);
        assert.equal(partial!.output, 'exit code 3\n--- stdout ---\npartial');
        assert.equal(secret!.output, 'exit code 0\n--- stdout ---\nno secret');
      } finally {
        delete process.env.FORESIGHT_HOST_SECRET;
      }
    });
  }

  it('runs in a scratch folder of its own, removed afterwards', async () => {
    const r = await runner({ scratchParent: scratch });
    const result = await r.run({ language: 'javascript', code: 'console.log(process.cwd())' }, never);
    const dir = /stdout ---\n(.*)$/.exec(result.output)?.[1] ?? '';
    assert.ok(dir.startsWith(join(scratch, 'foresight-run-')), result.output);
    assert.equal(existsSync(dir), false);
  });

  it('stops a program past its time limit', async () => {
    const r = await runner({ timeLimitMs: 300, python: null });
    const result = await r.run({ language: 'javascript', code: 'for (;;) {}' }, never);
    assert.equal(result.isError, true);
    assert.match(result.output, /ran longer than the 300 ms limit/);
  });

  it('stops a program whose output passes the cap, keeping the first bytes', async () => {
    const r = await runner({ maxOutputBytes: 1000, python: null });
    const result = await r.run({ language: 'javascript', code: 'for (;;) process.stdout.write("ticket ")' }, never);
    assert.equal(result.isError, true);
    assert.match(result.output, /^stopped: its output passed the 1000-byte limit\n--- stdout ---\n(ticket )+/);
    assert.ok(result.output.length < 1200);
  });

  it('kills the child when the run is aborted', async () => {
    const r = await runner({ python: null });
    const pidFile = join(scratch, 'running.pid');
    const controller = new AbortController();
    const running = r.run({ language: 'javascript', code: `require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setInterval(() => {}, 1000);` }, controller.signal);
    const pid = Number(await fileWritten(pidFile));
    assert.ok(pid > 0);
    controller.abort();
    await assert.rejects(running, { name: 'AbortError' });
    assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' });
  });

  it('keeps at most one warm interpreter per language and starts cold without one', async () => {
    const r = await runner({ python: null });
    await Promise.all([r.warmLanguage('javascript', never), r.warmLanguage('javascript', never), r.warm(never)]);
    assert.deepEqual(r.warmLanguages(), ['javascript']);
    await r.run({ language: 'javascript', code: '1' }, never);
    assert.deepEqual(r.warmLanguages(), []);
    const cold = await r.run({ language: 'javascript', code: 'console.log("cold")' }, never);
    assert.equal(cold.output, 'exit code 0\n--- stdout ---\ncold');
  });

  it('reaps a warm interpreter when its signal aborts or the runner is disposed', async () => {
    const r = await runner({ python: null });
    const controller = new AbortController();
    await r.warmLanguage('javascript', controller.signal);
    controller.abort();
    assert.deepEqual(r.warmLanguages(), []);
    await r.warmLanguage('javascript', never);
    await r.dispose();
    assert.deepEqual(r.warmLanguages(), []);
  });

  it('refuses an unknown language and a missing program with a result', async () => {
    const r = await runner({ python: null });
    assert.match((await r.run({ language: 'ruby', code: 'puts 1' }, never)).output, /must be one of "javascript"/);
    assert.match((await r.run({ language: 'javascript' }, never)).output, /needs "code"/);
  });

  it('is never run early by the speculator; a warm intent only warms it', async () => {
    const r = await runner({ python: null });
    const { speculator } = speculatorFor([r]);
    assert.equal(speculator.consider(callIntent(r, { language: 'javascript', code: 'console.log(1)' })), 'blocked');
    assert.equal(speculator.consider({ kind: 'warm', tool: 'run_code', args: {}, canonical: '{}', source: 'rule', ruleId: 'warm run_code', confidence: 0.9, span: { start: 0, end: 1 }, at: 1 }), 'warmed');
    speculator.end();
  });
});
