import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideMcpTool, type McpGateInput, type McpToolHints } from '../../../../src/core/tools/mcp/mcp-gate.js';

const readOnlyClosed: McpToolHints = { readOnlyHint: true, openWorldHint: false };
const readOnlyOpen: McpToolHints = { readOnlyHint: true };
const destructive: McpToolHints = { readOnlyHint: true, destructiveHint: true, openWorldHint: false };
const writes: McpToolHints = { readOnlyHint: false, destructiveHint: false, openWorldHint: false };

const base: McpGateInput = { trusted: false, serverAllowsOpenWorld: false, hints: undefined, userReadOnly: false, userOpenWorld: false };

// [what the row says, input, readOnly, openWorld, speculative]
const rows: [string, Partial<McpGateInput>, boolean, boolean, boolean][] = [
  ['a trusted closed-world read runs early', { trusted: true, hints: readOnlyClosed }, true, false, true],
  ['an untrusted server saying read-only is not believed', { hints: readOnlyClosed }, false, true, false],
  ['an untrusted server cannot make its tool closed-world either', { hints: readOnlyClosed, userReadOnly: true }, true, true, false],
  ['a trusted open-world read needs the open-world opt-in', { trusted: true, hints: readOnlyOpen }, true, true, false],
  ['the server\'s open-world opt-in lets a trusted open-world read run', { trusted: true, hints: readOnlyOpen, serverAllowsOpenWorld: true }, true, true, true],
  ['the user\'s open-world globs let a trusted open-world read run', { trusted: true, hints: readOnlyOpen, userOpenWorld: true }, true, true, true],
  ['a trusted tool without annotations never runs early', { trusted: true, serverAllowsOpenWorld: true }, false, true, false],
  ['a trusted tool that writes never runs early', { trusted: true, hints: writes }, false, false, false],
  ['a destructive tool never runs early, even trusted and claiming read-only', { trusted: true, hints: destructive, serverAllowsOpenWorld: true }, false, false, false],
  ['the user\'s read-only globs never make a destructive tool read-only', { trusted: true, hints: destructive, userReadOnly: true }, false, false, false],
  ['an untrusted destructive hint still forbids', { hints: { destructiveHint: true }, userReadOnly: true, userOpenWorld: true }, false, true, false],
  ['the user\'s read-only globs mark an untrusted tool read-only, still open-world', { hints: undefined, userReadOnly: true }, true, true, false],
  ['a glob-marked tool without annotations runs early only with open-world allowed', { userReadOnly: true, userOpenWorld: true }, true, true, true],
  ['the user\'s read-only globs and a trusted closed-world hint run early', { trusted: true, hints: writes, userReadOnly: true }, true, false, true],
];

describe('decideMcpTool (what may run early)', () => {
  for (const [says, input, readOnly, openWorld, speculative] of rows) {
    it(says, () => {
      const d = decideMcpTool({ ...base, ...input });
      assert.deepEqual({ readOnly: d.readOnly, openWorld: d.openWorld, speculative: d.speculative }, { readOnly, openWorld, speculative }, d.reason);
    });
  }
});
