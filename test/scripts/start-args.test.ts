import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
// @ts-expect-error: a plain .mjs script without type declarations
import { parseStartArgs } from '../../scripts/start-args.mjs';

type Parsed = { kind: 'open'; folder: string } | { kind: 'help' } | { kind: 'error'; message: string };
const parse = parseStartArgs as (argv: string[], env: Record<string, string | undefined>, cwd: string, isDirectory?: (p: string) => boolean) => Parsed;
const folders = new Set(['/home/ana/orders-agent', '/home/ana/orders-agent/fixtures', '/srv/tickets', '/repo']);
const isDir = (p: string) => folders.has(p);

describe('the folder npm start opens', () => {
  it('opens the folder npm start was typed in when no folder is given', () => {
    assert.deepEqual(parse([], { INIT_CWD: '/home/ana/orders-agent' }, '/repo', isDir), { kind: 'open', folder: '/home/ana/orders-agent' });
  });

  it('falls back to the working folder when npm did not say where it was typed', () => {
    assert.deepEqual(parse([], {}, '/repo', isDir), { kind: 'open', folder: '/repo' });
  });

  it('opens an absolute folder as given', () => {
    assert.deepEqual(parse(['/srv/tickets'], { INIT_CWD: '/home/ana/orders-agent' }, '/repo', isDir), { kind: 'open', folder: '/srv/tickets' });
  });

  it('takes a relative folder from where the command was typed, not from the package folder npm runs in', () => {
    assert.deepEqual(parse(['fixtures'], { INIT_CWD: '/home/ana/orders-agent' }, '/repo', isDir), { kind: 'open', folder: '/home/ana/orders-agent/fixtures' });
  });

  it('refuses a path that is not a folder, naming it', () => {
    const p = parse(['missing'], { INIT_CWD: '/srv/tickets' }, '/repo', isDir);
    assert.equal(p.kind, 'error');
    assert.match((p as { message: string }).message, /not a folder: \/srv\/tickets\/missing/);
  });

  it('refuses two folders and unknown options, and answers --help', () => {
    assert.equal(parse(['/srv/tickets', '/repo'], {}, '/repo', isDir).kind, 'error');
    assert.equal(parse(['--port=9'], {}, '/repo', isDir).kind, 'error');
    assert.deepEqual(parse(['--help'], {}, '/repo', isDir), { kind: 'help' });
  });
});
