import { describe, expect, it } from 'vitest';
import { leadOffline } from '../../src/alerts/detectors/lead-offline.js';
import { DEFAULT_THRESHOLDS } from '../../src/model/thresholds.js';
import { team } from '../helpers/model.js';
import type { LeadInfo } from '../../src/model/types.js';

const NOW = Date.parse('2026-02-28T15:00:00Z');
const SEC = 1000;
const MIN = 60_000;
const run = (lead: Partial<LeadInfo>) => {
  const base = team();
  return leadOffline({
    team: { ...base, info: { ...base.info, lead: { ...base.info.lead, activitySignal: 'heartbeat', ...lead } } },
    now: NOW, thresholds: DEFAULT_THRESHOLDS,
  });
};

describe('lead-offline', () => {
  it.each([
    [4 * MIN + 59 * SEC, 0],
    [5 * MIN, 0],
    [5 * MIN + SEC, 1],
  ])('lead heartbeat %i ms old → %i alert(s)', (age, n) => {
    expect(run({ id: 'lead', lastHeartbeat: NOW - age })).toHaveLength(n);
  });
  it('is high, suggests halting, and starts when the threshold passed', () => {
    const hb = NOW - 12 * MIN;
    const [a, ...rest] = run({ id: 'lead_1', lastHeartbeat: hb });
    expect(rest).toEqual([]);
    expect(a).toMatchObject({
      id: 'lead-offline:lead_1', kind: 'lead-offline', severity: 'high', subject: ['lead_1'], since: hb + 5 * MIN, actions: ['halt'],
    });
    expect(a!.evidence).toEqual({ lead: 'lead_1', last_heartbeat: new Date(hb).toISOString(), signal: 'heartbeat' });
    expect(a!.workflow).toContain('(h)');
  });
  it('a lead without an id is called "lead"', () => {
    expect(run({ id: null, lastHeartbeat: NOW - 6 * MIN })[0]!.subject).toEqual(['lead']);
  });
  it('no heartbeat known, no alert', () => {
    expect(run({ id: 'lead', lastHeartbeat: null })).toEqual([]);
  });
  it('the threshold is configurable', () => {
    const base = team();
    const tm = { ...base, info: { ...base.info, lead: { ...base.info.lead, lastHeartbeat: NOW - 6 * MIN } } };
    expect(leadOffline({ team: tm, now: NOW, thresholds: { ...DEFAULT_THRESHOLDS, leadOfflineMinutes: 10 } })).toEqual([]);
  });
});
