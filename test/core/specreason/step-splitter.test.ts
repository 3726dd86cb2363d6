import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StepSplitter, countTokens, type ReasoningStep } from '../../../src/core/specreason/step-splitter.js';

function splitAll(chunks: string[], maxTokens = 1000): ReasoningStep[] {
  const splitter = new StepSplitter(maxTokens);
  const steps = chunks.flatMap((c) => splitter.push(c));
  const rest = splitter.flush();
  return rest ? [...steps, rest] : steps;
}

const TICKET = 'The ticket is about a login loop.\n\nI should read ticket 77 first.\n \t\nThen I can answer.';

describe('StepSplitter', () => {
  it('ends a step right after a blank line and keeps the text exact', () => {
    const steps = splitAll([TICKET]);
    assert.deepEqual(
      steps.map((s) => [s.text, s.end]),
      [
        ['The ticket is about a login loop.\n\n', 'blankLine'],
        ['I should read ticket 77 first.\n \t\n', 'blankLine'],
        ['Then I can answer.', 'streamEnd'],
      ],
    );
  });

  it('finds the same steps wherever the text is cut into two chunks, a blank line split across them included', () => {
    const whole = splitAll([TICKET]).map((s) => s.text);
    for (let i = 0; i <= TICKET.length; i++) {
      const cut = splitAll([TICKET.slice(0, i), TICKET.slice(i)]).map((s) => s.text);
      assert.deepEqual(cut, whole, `cut at ${i}`);
    }
  });

  it('finds the same steps when the text arrives one character at a time', () => {
    assert.deepEqual(
      splitAll([...TICKET]).map((s) => s.text),
      splitAll([TICKET]).map((s) => s.text),
    );
  });

  it('ends a step before the whitespace that follows its last allowed token', () => {
    const steps = splitAll(['one two three four five six seven'], 3);
    assert.deepEqual(
      steps.map((s) => [s.text, s.tokens, s.end]),
      [
        ['one two three', 3, 'tokenLimit'],
        [' four five six', 3, 'tokenLimit'],
        [' seven', 1, 'streamEnd'],
      ],
    );
  });

  it('counts a token split across chunks once', () => {
    const steps = splitAll(['check the inv', 'entory of sh', 'elf 4 now'], 4);
    assert.deepEqual(
      steps.map((s) => s.text),
      ['check the inventory of', ' shelf 4 now'],
    );
  });

  it('keeps blank lines before any text with the step that follows', () => {
    const steps = splitAll(['\n\n\nFirst the order.\n\nThen the refund.']);
    assert.deepEqual(
      steps.map((s) => s.text),
      ['\n\n\nFirst the order.\n\n', 'Then the refund.'],
    );
  });

  it('treats a single newline as part of the step', () => {
    assert.equal(splitAll(['a list:\n- one\n- two']).length, 1);
  });

  it('gives nothing on flush when nothing is pending', () => {
    const splitter = new StepSplitter(10);
    assert.equal(splitter.push('done.\n\n').length, 1);
    assert.equal(splitter.flush(), undefined);
  });

  it('counts tokens as runs of non-whitespace', () => {
    assert.equal(countTokens('  get_order_status("48213")  now\n'), 2);
    assert.equal(countTokens(' \n\t'), 0);
  });
});
