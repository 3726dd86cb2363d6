import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RecordedSpeculationEvent, RecordedTurnMetrics } from '../../../src/core/session/speculation-records.js';
import { emptyMetrics, type SpeculationEvent, type TurnSpeculationMetrics } from '../../../src/core/speculation/speculation-events.js';

// Compile-time: the engine's events are writable as records. A change to the engine's types
// that the file format does not allow stops `tsc` here, so the format never changes silently.
const writable: (e: SpeculationEvent) => RecordedSpeculationEvent = (e) => e;
const writableMetrics: (m: TurnSpeculationMetrics) => RecordedTurnMetrics = (m) => m;

describe('speculation records', () => {
  it('take the engine\'s events and figures as they are', () => {
    const e: SpeculationEvent = { type: 'warm', tool: 'run_code', ruleId: 'warm role:code-runner', at: 5 };
    assert.deepEqual(writable(e), e);
    assert.deepEqual(writableMetrics(emptyMetrics()), emptyMetrics());
  });

  it('read figures recorded before cross-turn results existed', () => {
    const { crossTurnHits: _dropped, ...old } = emptyMetrics();
    const recorded: RecordedTurnMetrics = old;
    assert.equal(recorded.crossTurnHits, undefined);
  });
});
