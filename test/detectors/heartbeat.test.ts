import { describe, expect, it } from 'vitest';
import { heartbeat, heartbeatBracket } from '../../src/alerts/detectors/heartbeat.js';
import { DEFAULT_THRESHOLDS } from '../../src/model/thresholds.js';
import { team, teammate } from '../helpers/model.js';

const NOW = Date.parse('2026-02-28T15:00:00Z');
const at = (ageMs: number, extra = {}) => heartbeat({
  team: team({ teammates: [teammate({ id: 'tm', lastHeartbeat: NOW - ageMs, ...extra })] }), now: NOW, thresholds: DEFAULT_THRESHOLDS,
});
const MIN = 60_000;

describe('heartbeat brackets', () => {
  it.each([
    [9 * MIN + 59_000, []],
    [10 * MIN, ['teammate-idle']],
    [29 * MIN + 59_000, ['teammate-idle']],
    [30 * MIN, ['teammate-stale']],
    [60 * MIN, ['teammate-stale']],
    [60 * MIN + 1000, ['teammate-dead']],
  ])('age %i ms → %j', (age, kinds) => {
    expect(at(age as number).map((a) => a.kind)).toEqual(kinds);
  });
  it('severities and suggested actions follow the seed: idle/stale high, dead critical', () => {
    expect(at(15 * MIN)[0]).toMatchObject({ severity: 'high', actions: ['wake', 'reassign'] });
    expect(at(45 * MIN)[0]).toMatchObject({ severity: 'high', actions: ['reassign', 'wake'] });
    expect(at(90 * MIN)[0]).toMatchObject({ severity: 'critical', actions: ['reassign'], subject: ['tm'], id: 'teammate-dead:tm' });
  });
  it('gives when the condition began', () => {
    expect(at(15 * MIN)[0]!.since).toBe(NOW - 15 * MIN + 10 * MIN);
  });
  it('does not alert on teammates that are done', () => {
    for (const status of ['done', 'complete', 'Completed']) expect(at(90 * MIN, { status })).toEqual([]);
  });
  it('does not alert without a heartbeat', () => {
    expect(heartbeat({ team: team({ teammates: [teammate({ id: 'x', lastHeartbeat: null })] }), now: NOW, thresholds: DEFAULT_THRESHOLDS })).toEqual([]);
  });
  it('brackets', () => {
    expect(heartbeatBracket(null, DEFAULT_THRESHOLDS)).toBe('unknown');
    expect(heartbeatBracket(0, DEFAULT_THRESHOLDS)).toBe('online');
  });
});
