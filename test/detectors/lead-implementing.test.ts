import { describe, expect, it } from 'vitest';
import { leadImplementing } from '../../src/alerts/detectors/lead-implementing.js';
import { DEFAULT_THRESHOLDS } from '../../src/model/thresholds.js';
import type { Task } from '../../src/model/types.js';
import { team, task } from '../helpers/model.js';

const T0 = Date.parse('2026-02-28T14:00:00Z');
const run = (tasks: Task[], leadId: string | null = 'lead') => {
  const base = team({ tasks });
  return leadImplementing({ team: { ...base, info: { ...base.info, lead: { ...base.info.lead, id: leadId } } }, now: T0, thresholds: DEFAULT_THRESHOLDS });
};

describe('lead-implementing', () => {
  it('lead owns in-progress work while teammates are working: low alert', () => {
    const alerts = run([
      task({ id: 'impl', owner: 'lead', status: 'in_progress', startedAt: T0 + 5000 }),
      task({ id: 'impl2', owner: 'lead', status: 'in_progress', startedAt: T0 + 1000 }),
      task({ id: 'profile', owner: 'optimizer', status: 'in_progress' }),
      task({ id: 'bench', owner: 'benchmarker', status: 'in_progress' }),
      task({ id: 'review', owner: 'reviewer', status: 'pending' }),
    ]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      id: 'lead-implementing:lead:impl:impl2', kind: 'lead-implementing', severity: 'low', subject: ['lead', 'impl', 'impl2'],
      since: T0 + 1000, actions: [],
      evidence: { lead: 'lead', lead_tasks: ['impl', 'impl2'], teammate_tasks_in_progress: 2 },
    });
  });
  it('since is null when the lead tasks have no start time', () => {
    expect(run([task({ id: 'a', owner: 'lead', status: 'in_progress' }), task({ id: 'b', owner: 'x', status: 'in_progress' })])[0]!.since).toBeNull();
  });
  it('no alert when only the lead, or only teammates, are working', () => {
    expect(run([task({ id: 'a', owner: 'lead', status: 'in_progress' }), task({ id: 'b', owner: 'x', status: 'pending' })])).toEqual([]);
    expect(run([task({ id: 'a', owner: 'lead', status: 'completed' }), task({ id: 'b', owner: 'x', status: 'in_progress' })])).toEqual([]);
  });
  it('an unowned in-progress task is not a teammate working', () => {
    expect(run([task({ id: 'a', owner: 'lead', status: 'in_progress' }), task({ id: 'b', owner: null, status: 'in_progress' })])).toEqual([]);
  });
  it('no alert when the lead is unknown', () => {
    expect(run([task({ id: 'a', owner: 'lead', status: 'in_progress' }), task({ id: 'b', owner: 'x', status: 'in_progress' })], null)).toEqual([]);
  });
});
