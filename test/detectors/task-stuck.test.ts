import { describe, expect, it } from 'vitest';
import { taskStuck } from '../../src/alerts/detectors/task-stuck.js';
import { DEFAULT_THRESHOLDS } from '../../src/model/thresholds.js';
import type { Task } from '../../src/model/types.js';
import { team, task } from '../helpers/model.js';

const NOW = Date.parse('2026-02-28T15:00:00Z');
const HOUR = 3_600_000;
const run = (tasks: Task[], thresholds = DEFAULT_THRESHOLDS) => taskStuck({ team: team({ tasks }), now: NOW, thresholds });
const kinds = (tasks: Task[]) => run(tasks).map((a) => a.kind);
// A fresh task elsewhere keeps team-stalled quiet, so only task-stuck is under test.
const fresh = task({ id: 'fresh', status: 'pending', createdAt: NOW });

describe('task-stuck', () => {
  it('exactly 2 h without update is not stuck; 2 h + 1 s is', () => {
    expect(kinds([task({ id: 'T1', status: 'in_progress', updatedAt: NOW - 2 * HOUR }), fresh])).toEqual([]);
    const alerts = run([task({ id: 'T1', owner: 'alice', status: 'in_progress', updatedAt: NOW - 2 * HOUR - 1000, startedAt: NOW - 5 * HOUR }), fresh]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      id: 'task-stuck:T1:alice', kind: 'task-stuck', severity: 'high', subject: ['T1', 'alice'],
      since: NOW - 1000, actions: ['wake', 'reassign'],
    });
    expect(alerts[0]!.evidence).toEqual({
      task_id: 'T1', owner: 'alice',
      last_update: new Date(NOW - 2 * HOUR - 1000).toISOString(),
      started_at: new Date(NOW - 5 * HOUR).toISOString(),
    });
    expect(alerts[0]!.workflow).toMatch(/\(w\).*\(R\)/);
  });
  it('falls back to startedAt and omits an unset owner from the subject', () => {
    const [a] = run([task({ id: 'T2', status: 'in_progress', startedAt: NOW - 3 * HOUR }), fresh]);
    expect(a).toMatchObject({ kind: 'task-stuck', subject: ['T2'], since: NOW - HOUR, evidence: { owner: null, started_at: new Date(NOW - 3 * HOUR).toISOString() } });
  });
  it('a recent update wins over an old start', () => {
    expect(kinds([task({ id: 'T3', status: 'in_progress', startedAt: NOW - 10 * HOUR, updatedAt: NOW - HOUR }), fresh])).toEqual([]);
  });
  it('ignores tasks with no time, and tasks not in progress', () => {
    expect(kinds([task({ id: 'T4', status: 'in_progress' }), fresh])).toEqual([]);
    expect(kinds([task({ id: 'T5', status: 'blocked', updatedAt: NOW - 9 * HOUR }), fresh])).toEqual([]);
  });
  it('follows the configured threshold', () => {
    const t = { ...DEFAULT_THRESHOLDS, taskStuckHours: 0.5 };
    expect(run([task({ id: 'T6', status: 'in_progress', updatedAt: NOW - 31 * 60_000 }), fresh], t).map((a) => a.kind)).toEqual(['task-stuck']);
  });
});

describe('team-stalled', () => {
  it('exactly 2 h since the last activity is fine; 2 h + 1 s stalls', () => {
    expect(kinds([task({ id: 'A', status: 'pending', createdAt: NOW - 2 * HOUR })])).toEqual([]);
    const alerts = run([
      task({ id: 'A', status: 'pending', createdAt: NOW - 5 * HOUR }),
      task({ id: 'B', status: 'completed', createdAt: NOW - 6 * HOUR, startedAt: NOW - 4 * HOUR, completedAt: NOW - 2 * HOUR - 1000 }),
      task({ id: 'C', status: 'blocked', updatedAt: NOW - 3 * HOUR }),
    ]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      id: 'team-stalled:team', kind: 'team-stalled', severity: 'high', subject: ['team'],
      since: NOW - 1000, actions: ['reassign', 'halt'],
      evidence: { last_activity: new Date(NOW - 2 * HOUR - 1000).toISOString(), unfinished: 2, completed: 1 },
    });
    expect(alerts[0]!.workflow).toMatch(/\(R\)/);
  });
  it('no alert when all work is finished, or no task has any time', () => {
    expect(kinds([task({ id: 'A', status: 'completed', completedAt: NOW - 9 * HOUR })])).toEqual([]);
    expect(kinds([task({ id: 'A', status: 'pending' })])).toEqual([]);
    expect(kinds([])).toEqual([]);
  });
  it('a stuck task and a stalled team are reported together', () => {
    expect(kinds([task({ id: 'T', owner: 'bob', status: 'in_progress', startedAt: NOW - 3 * HOUR })])).toEqual(['task-stuck', 'team-stalled']);
  });
});

describe('team-stalled and the team status', () => {
  it('does not fire for a team that is halted, aborted or complete', () => {
    const now = Date.parse('2026-02-28T15:00:00Z');
    const tasks = [task({ id: 'A', status: 'pending', createdAt: now - 5 * 3600_000 })];
    const kinds = (status: 'active' | 'halted' | 'aborted' | 'complete') => taskStuck({
      team: { ...team({ tasks }), info: { ...team().info, status } }, now, thresholds: DEFAULT_THRESHOLDS,
    }).map((a) => a.kind);
    expect(kinds('active')).toEqual(['team-stalled']);
    for (const s of ['halted', 'aborted', 'complete'] as const) expect(kinds(s)).toEqual([]);
  });
});
