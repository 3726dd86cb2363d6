import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { diagnosticsTool, type Diagnostic } from '../../../../src/core/tools/workspace/diagnostics-tool.js';
import { callIntent, speculationEnded, speculatorFor } from './speculate.js';

const base = mkdtempSync(join(tmpdir(), 'foresight-diag-'));
const root = join(base, 'root');
mkdirSync(join(root, 'src'), { recursive: true });
writeFileSync(join(root, 'src', 'invoice.ts'), 'const total: number = "ten";\n');
writeFileSync(join(base, 'elsewhere.ts'), '\n');
const never = new AbortController().signal;

after(() => rmSync(base, { recursive: true, force: true }));

/** A stand-in for the editor: diagnostics per absolute path, changeable, recording who asked. */
function standIn(initial: Record<string, Diagnostic[]>) {
  const byPath = new Map(Object.entries(initial));
  const asked: string[] = [];
  return {
    asked,
    set: (path: string, d: Diagnostic[]) => byPath.set(path, d),
    provider: async (path: string) => {
      asked.push(path);
      return byPath.get(path) ?? [];
    },
  };
}

const invoice = realpathSync(join(root, 'src', 'invoice.ts'));
const typeError: Diagnostic = { severity: 'error', message: "Type 'string' is not assignable\n to type 'number'.", line: 1, column: 7, source: 'ts', code: 2322 };
const unused: Diagnostic = { severity: 'hint', message: "'total' is declared but never read.", line: 1, column: 7, source: 'ts', code: 6133 };

describe('get_diagnostics', () => {
  it('lists what the provider reports for a file inside the root, most severe first', async () => {
    const editor = standIn({ [invoice]: [unused, typeError] });
    const result = await diagnosticsTool(root, editor.provider, 5000).run({ path: 'src/invoice.ts' }, never);
    assert.equal(result.isError, false);
    assert.equal(result.output, "src/invoice.ts:1:7: error: Type 'string' is not assignable to type 'number'. [ts 2322]\nsrc/invoice.ts:1:7: hint: 'total' is declared but never read. [ts 6133]");
    assert.deepEqual(editor.asked, [invoice]);
  });

  it('says when there are no problems', async () => {
    const result = await diagnosticsTool(root, standIn({}).provider, 5000).run({ path: 'src/invoice.ts' }, never);
    assert.match(result.output, /no problems reported in src\/invoice\.ts/);
  });

  it('never asks the provider about a path outside the root', async () => {
    const editor = standIn({});
    const result = await diagnosticsTool(root, editor.provider, 5000).run({ path: '../elsewhere.ts' }, never);
    assert.equal(result.isError, true);
    assert.match(result.output, /outside the folder/);
    assert.deepEqual(editor.asked, []);
  });

  it('returns a provider that never answers as a timeout result', async () => {
    const result = await diagnosticsTool(root, () => new Promise(() => {}), 0).run({ path: 'src/invoice.ts' }, never);
    assert.equal(result.isError, true);
    assert.match(result.output, /did not report diagnostics/);
  });

  it('calls a result stale, without waiting, when the editor stops answering after the first read', async () => {
    let answered = false;
    const provider = async () => {
      if (answered) return new Promise<Diagnostic[]>(() => {});
      answered = true;
      return [typeError];
    };
    // Long enough for the first read on a busy machine; the second never answers, so it is waited for once.
    const result = await diagnosticsTool(root, provider, 1000).run({ path: 'src/invoice.ts' }, never);
    assert.equal(result.isError, false);
    assert.equal(await result.isFresh!(), false);
  });

  it('is read-only, and its speculative result goes stale when the diagnostics change', async () => {
    const editor = standIn({ [invoice]: [typeError] });
    const tool = diagnosticsTool(root, editor.provider, 5000);
    assert.equal(tool.readOnly, true);
    const { speculator, events } = speculatorFor([tool]);
    assert.equal(speculator.consider(callIntent(tool, { path: 'src/invoice.ts' })), 'fired');
    await speculationEnded(events, 'get_diagnostics');
    editor.set(invoice, []);
    const claim = await speculator.claim({ id: 'c1', name: 'get_diagnostics', arguments: '{"path":"src/invoice.ts"}' });
    assert.equal(claim.outcome, 'stale');
  });
});
