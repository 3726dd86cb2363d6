import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
// @ts-expect-error: a plain .mjs script without type declarations
import { systemPlan } from '../../scripts/system-packages.mjs';

type Plan = { kind: 'ready' } | { kind: 'install'; packages: string[] } | { kind: 'ask'; line: string };
const plan = systemPlan as (has: (c: string) => boolean, canApt: boolean) => Plan;

describe('the system packages npm test needs', () => {
  it('does nothing when every command is there', () => {
    assert.deepEqual(plan(() => true, true), { kind: 'ready' });
  });

  it('installs only what is missing, with fonts for the screenshots, when apt-get may run', () => {
    assert.deepEqual(plan((c) => c !== 'chromium' && c !== 'g++', true), { kind: 'install', packages: ['chromium', 'g++', 'fonts-liberation'] });
  });

  it('says in one line exactly what to run when it may not', () => {
    const p = plan((c) => c !== 'chromium', false);
    assert.equal(p.kind, 'ask');
    assert.match(p.kind === 'ask' ? p.line : '', /^The tests need chromium: run {2}sudo apt-get install -y --no-install-recommends chromium fonts-liberation /);
    assert.ok(!(p.kind === 'ask' && p.line.includes('\n')));
  });
});
