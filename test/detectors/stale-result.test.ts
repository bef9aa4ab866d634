import { describe, expect, it } from 'vitest';
import { staleResult } from '../../src/alerts/detectors/stale-result.js';
import { DEFAULT_THRESHOLDS } from '../../src/model/thresholds.js';
import type { Task, TeamEvent } from '../../src/model/types.js';
import { team, task } from '../helpers/model.js';

const T = (hhmm: string) => Date.parse(`2026-02-28T${hhmm}:00Z`);
const NOW = T('15:00');
const ev = (timestamp: number | null, data: Record<string, unknown> = {}, line = 1): TeamEvent =>
  ({ timestamp, type: 'requirements_changed', line, data });
const run = (tasks: Task[], events: TeamEvent[]) => staleResult({ team: team({ tasks, events }), now: NOW, thresholds: DEFAULT_THRESHOLDS });
// Seed: benchmark completed 13:30, lead tightens the variance requirement at 14:30.
const bench = task({ id: 'bench', owner: 'optimizer', status: 'completed', completedAt: T('13:30') });

describe('stale-result', () => {
  it('requirements changed after completion: medium alert', () => {
    const alerts = run([bench], [ev(T('14:30'), { task_id: 'bench', summary: 'variance must be < 5%' })]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      id: 'stale-result:bench', kind: 'stale-result', severity: 'medium', subject: ['bench'],
      since: T('14:30'), actions: ['wake'],
    });
    expect(alerts[0]!.evidence).toEqual({
      task_id: 'bench', completed_at: '2026-02-28T13:30:00.000Z', requirements_changed_at: '2026-02-28T14:30:00.000Z',
      summary: 'variance must be < 5%',
    });
    expect(alerts[0]!.workflow).toMatch(/\(w\)/);
  });
  it('requirements changed before (or exactly at) completion: no alert', () => {
    expect(run([bench], [ev(T('13:00'), { task_id: 'bench' })])).toEqual([]);
    expect(run([bench], [ev(T('13:30'), { task_id: 'bench' })])).toEqual([]);
    expect(run([bench], [ev(T('13:30') + 1000, { task_id: 'bench' })]).map((a) => a.kind)).toEqual(['stale-result']);
  });
  it('an event without task_id applies to every completed task; one naming another task does not', () => {
    const other = task({ id: '7', status: 'completed', completedAt: T('13:00') });
    const alerts = run([bench, other], [ev(T('14:00'), { task_id: 7 }), ev(T('14:10'), { task_id: 'x' })]);
    expect(alerts.map((a) => a.subject)).toEqual([['7']]);
    expect(run([bench, other], [ev(T('14:00'), { task_id: null })]).map((a) => a.subject)).toEqual([['bench'], ['7']]);
  });
  it('uses the latest matching event; summary null when not a string', () => {
    const alerts = run([bench], [ev(T('14:45'), { summary: 42 }, 2), ev(T('14:00'), { summary: 'first' }, 1), ev(null, {}, 3)]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.since).toBe(T('14:45'));
    expect(alerts[0]!.evidence.summary).toBeNull();
  });
  it('ignores unfinished tasks, completed tasks without a time, other event types and untimed events', () => {
    const tasks = [
      task({ id: 'a', status: 'in_progress', completedAt: T('13:00') }),
      task({ id: 'b', status: 'completed', completedAt: null }),
      bench,
    ];
    expect(run(tasks, [ev(null), { timestamp: T('14:00'), type: 'compaction', line: 1, data: {} }])).toEqual([]);
    expect(run(tasks, [ev(T('14:00'))]).map((a) => a.subject)).toEqual([['bench']]);
  });
});
