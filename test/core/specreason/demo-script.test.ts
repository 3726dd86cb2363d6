import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { exchangesOfScript, readSpecReasonScript, scriptProblem } from '../../../src/core/specreason/demo-script.js';
import { DEMO_SCRIPT } from './spec-harness.js';

describe('SpecReason scripts', () => {
  it('read the shipped demo, which says it is hand-written', async () => {
    const script = await readSpecReasonScript(DEMO_SCRIPT);
    assert.equal(script.handWritten, true);
    assert.notEqual(script.models.draft, script.models.base);
  });

  it('refuse a script that does not say it is hand-written, naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'specreason-'));
    const file = join(dir, 'unlabelled.json');
    writeFileSync(file, JSON.stringify({ models: { draft: 'a', base: 'b' }, messages: [{ role: 'user', content: 'hi' }], steps: [{ by: 'base', text: 'x' }], answer: {} }));
    await assert.rejects(readSpecReasonScript(file), (err: Error) => err.message.includes(file) && /handWritten/.test(err.message));
  });

  it('point at the step that is malformed', () => {
    const problem = scriptProblem({ handWritten: true, models: { draft: 'a', base: 'b' }, messages: [{ role: 'user', content: 'hi' }], steps: [{ by: 'base', text: 'x' }, { draft: 'y' }], answer: {} });
    assert.match(problem ?? '', /steps\[1\]/);
  });

  it('expand into one exchange per model call of the turn', async () => {
    const exchanges = exchangesOfScript(await readSpecReasonScript(DEMO_SCRIPT));
    // 1 reserved step, 3 drafts, 3 verdicts, 1 rewrite, 1 answer; then the base model's answer alone.
    assert.equal(exchanges.length, 10);
    assert.equal(exchanges.filter((e) => e.answer.logprobs).length, 3);
    assert.ok(exchanges.slice(0, 9).every((e) => e.continuation));
    const alone = exchanges[9];
    assert.equal(alone?.continuation, false);
    assert.equal(alone?.model, 'foresight-demo');
    assert.equal(alone?.messages.length, 1);
  });
});
