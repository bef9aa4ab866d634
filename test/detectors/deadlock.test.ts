import { describe, expect, it } from 'vitest';
import { deadlock } from '../../src/alerts/detectors/deadlock.js';
import { DEFAULT_THRESHOLDS } from '../../src/model/thresholds.js';
import type { Task } from '../../src/model/types.js';
import { team, task } from '../helpers/model.js';

const T0 = Date.parse('2026-02-28T12:00:00Z');
const run = (tasks: Task[]) => deadlock({ team: team({ tasks }), now: T0 + 3_600_000, thresholds: DEFAULT_THRESHOLDS });

describe('deadlock', () => {
  it('the seed cycle: everyone blocked, nobody in progress', () => {
    const alerts = run([
      task({ id: 'optimize', status: 'blocked', dependsOn: ['review'], updatedAt: T0 }),
      task({ id: 'review', status: 'blocked', dependsOn: ['benchmark'], updatedAt: T0 + 1000 }),
      task({ id: 'benchmark', status: 'blocked', dependsOn: ['optimize'], startedAt: T0 + 5000 }),
      task({ id: 'profile', status: 'completed', completedAt: T0 + 60_000 }),
    ]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      id: 'deadlock:benchmark:optimize:review',
      kind: 'deadlock', severity: 'critical', subject: ['benchmark', 'optimize', 'review'],
      since: T0 + 5000, actions: ['complete', 'break-cycle'],
    });
    expect(alerts[0]!.evidence).toEqual({
      tasks: [
        { id: 'benchmark', status: 'blocked', waits_on: ['optimize'] },
        { id: 'optimize', status: 'blocked', waits_on: ['review'] },
        { id: 'review', status: 'blocked', waits_on: ['benchmark'] },
      ],
    });
    expect(alerts[0]!.workflow).toMatch(/\(c\).*\(b\)/);
  });
  it('pending tasks waiting on each other deadlock too', () => {
    expect(run([task({ id: 'A', dependsOn: ['B'] }), task({ id: 'B', dependsOn: ['A'] })]).map((a) => a.subject))
      .toEqual([['A', 'B']]);
  });
  it('a free pending task (no unfinished dependency) means no deadlock', () => {
    expect(run([
      task({ id: 'A', status: 'blocked', dependsOn: ['B'] }),
      task({ id: 'B', status: 'pending', dependsOn: ['C'] }),
      task({ id: 'C', status: 'completed' }),
    ])).toEqual([]);
  });
  it('a pending task waiting only on a missing id is stuck', () => {
    const alerts = run([task({ id: 'A', dependsOn: ['ghost'] }), task({ id: 'B', status: 'on_hold' })]);
    expect(alerts.map((a) => a.kind)).toEqual(['deadlock']);
    expect(alerts[0]!.evidence.tasks).toEqual([
      { id: 'A', status: 'pending', waits_on: ['ghost'] },
      { id: 'B', status: 'on_hold', waits_on: [] },
    ]);
  });
  it('no alert when anything is in progress', () => {
    expect(run([task({ id: 'A', status: 'blocked' }), task({ id: 'B', status: 'in_progress' })])).toEqual([]);
  });
  it('no alert when nothing is unfinished', () => {
    expect(run([])).toEqual([]);
    expect(run([task({ id: 'A', status: 'completed' }), task({ id: 'B', status: 'deleted' })])).toEqual([]);
  });
  it('since is null when no task has a time', () => {
    expect(run([task({ id: 'A', status: 'blocked' })])[0]).toMatchObject({ since: null, subject: ['A'] });
  });
  it('since prefers updatedAt over startedAt over createdAt per task', () => {
    expect(run([
      task({ id: 'A', status: 'blocked', updatedAt: T0, startedAt: T0 + 9000, createdAt: T0 + 9000 }),
      task({ id: 'B', status: 'blocked', createdAt: T0 + 2000 }),
    ])[0]!.since).toBe(T0 + 2000);
  });
});
