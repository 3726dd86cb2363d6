import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aliasCandidates, bindArgumentKeys, resolveKeys } from '../../../src/core/sniff/parameter-alias.js';

describe('aliasCandidates', () => {
  it('takes the parameter of the same name in any case or separators first', () => {
    assert.deepEqual(aliasCandidates('timeStep', ['time_step', 'time']), ['time_step']);
    assert.deepEqual(aliasCandidates('wind_speed', ['wind_speed', 'wind_speed_max']), ['wind_speed']);
  });

  it('binds letters with a number to the parameter carrying that number, however it is written', () => {
    assert.deepEqual(aliasCandidates('m1', ['mass1', 'mass2', 'radius']), ['mass1']);
    assert.deepEqual(aliasCandidates('m2', ['mass_1', 'mass_2']), ['mass_2']);
    assert.deepEqual(aliasCandidates('m1', ['first_mass', 'second_mass']), ['first_mass']);
  });

  it('reads prefixes and initials, and gives every fit when several parameters fit', () => {
    assert.deepEqual(aliasCandidates('temp', ['temperature', 'pressure']), ['temperature']);
    assert.deepEqual(aliasCandidates('iv', ['initial_velocity', 'mass']), ['initial_velocity']);
    assert.deepEqual(aliasCandidates('rad', ['orbit_radius', 'body_mass']), ['orbit_radius']);
    assert.deepEqual(aliasCandidates('d', ['distance', 'duration', 'mass']), ['distance', 'duration']);
    assert.deepEqual(aliasCandidates('id', ['user_id', 'order_id']), []);
  });
});

describe('resolveKeys', () => {
  const none = new Set<string>();

  it('gives nothing when a key fits several parameters and nothing tells them apart', () => {
    assert.equal(resolveKeys(['d'], ['distance', 'duration'], new Set(['distance', 'duration'])), undefined);
    assert.equal(resolveKeys(['d'], ['distance', 'duration'], none), undefined);
  });

  it('settles keys together: a unique fit takes its parameter from an ambiguous key', () => {
    assert.deepEqual(resolveKeys(['d', 'dur'], ['distance', 'duration'], none), new Map([['dur', 'duration'], ['d', 'distance']]));
  });

  it('breaks a tie by the one essential parameter', () => {
    assert.deepEqual(resolveKeys(['m', 'd'], ['mass', 'distance', 'duration'], new Set(['mass', 'distance'])), new Map([['m', 'mass'], ['d', 'distance']]));
  });

  it('gives nothing for a key that fits no parameter, or two keys for one parameter', () => {
    assert.equal(resolveKeys(['m1', 'zeta'], ['mass1'], none), undefined);
    assert.equal(resolveKeys(['temp', 'temperature'], ['temperature'], none), undefined);
  });
});

describe('bindArgumentKeys', () => {
  it('renames abbreviated keys and says so, and leaves exact keys as written', () => {
    assert.deepEqual(bindArgumentKeys({ m1: 2, r: 4 }, ['mass1', 'radius'], new Set()), { args: { mass1: 2, radius: 4 }, abbreviated: true });
    assert.deepEqual(bindArgumentKeys({ radius: 4 }, ['mass1', 'radius'], new Set()), { args: { radius: 4 }, abbreviated: false });
  });
});
