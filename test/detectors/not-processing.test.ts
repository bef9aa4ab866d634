import { describe, expect, it } from 'vitest';
import { notProcessing } from '../../src/alerts/detectors/not-processing.js';
import { DEFAULT_THRESHOLDS } from '../../src/model/thresholds.js';
import { team, teammate } from '../helpers/model.js';
import type { Teammate } from '../../src/model/types.js';

const NOW = Date.parse('2026-02-28T14:34:20Z');
const MIN = 60_000;
const run = (t: Partial<Teammate>) => notProcessing({
  team: team({ teammates: [teammate({ id: 'tm_schema', lastHeartbeat: NOW - 35_000, ...t })] }), now: NOW, thresholds: DEFAULT_THRESHOLDS,
});

describe('not-processing', () => {
  it('an alive teammate with 5 pending messages (seed Workflow C) is not processing', () => {
    const [a, ...rest] = run({ messagesPending: 5 });
    expect(rest).toEqual([]);
    expect(a).toMatchObject({
      id: 'not-processing:tm_schema', kind: 'not-processing', severity: 'medium', subject: ['tm_schema'], since: null, actions: ['wake'],
    });
    expect(a!.evidence).toEqual({ messages_pending: 5, earlier_values: [], last_heartbeat: new Date(NOW - 35_000).toISOString() });
    expect(a!.workflow).toContain('(w)');
  });
  it('4 pending and not growing is fine', () => {
    expect(run({ messagesPending: 4 })).toEqual([]);
    expect(run({ messagesPending: 4, pendingHistory: [3, 3] })).toEqual([]);
    expect(run({ messagesPending: 3, pendingHistory: [2, 3] })).toEqual([]);
    expect(run({ messagesPending: 2, pendingHistory: [4, 3] })).toEqual([]);
  });
  it('a pending count that grew over the last two observations alerts below the threshold', () => {
    const [a] = run({ messagesPending: 3, pendingHistory: [0, 1, 2] });
    expect(a).toMatchObject({ kind: 'not-processing', subject: ['tm_schema'] });
    expect(a!.evidence.earlier_values).toEqual([0, 1, 2]);
  });
  it('one earlier value is not enough to call it growing', () => {
    expect(run({ messagesPending: 3, pendingHistory: [2] })).toEqual([]);
  });
  it('only while the heartbeat is fresh (under the idle threshold)', () => {
    expect(run({ messagesPending: 6, lastHeartbeat: NOW - 9 * MIN - 59_000 })).toHaveLength(1);
    expect(run({ messagesPending: 6, lastHeartbeat: NOW - 10 * MIN })).toEqual([]);
    expect(run({ messagesPending: 6, lastHeartbeat: null })).toEqual([]);
  });
  it('not for finished teammates or unknown counts', () => {
    expect(run({ messagesPending: 9, status: 'Done' })).toEqual([]);
    expect(run({ messagesPending: 9, status: 'reassigned' })).toEqual([]);
    expect(run({ messagesPending: null, pendingHistory: [1, 2] })).toEqual([]);
  });
});
