import { describe, expect, it } from 'vitest';
import { ambiguousDone } from '../../src/alerts/detectors/ambiguous-done.js';
import { DEFAULT_THRESHOLDS } from '../../src/model/thresholds.js';
import type { Task } from '../../src/model/types.js';
import { team, task } from '../helpers/model.js';

const run = (tasks: Task[], deliverables = true) => {
  const base = team({ tasks });
  return ambiguousDone({ team: { ...base, capabilities: { ...base.capabilities, deliverables } }, now: 0, thresholds: DEFAULT_THRESHOLDS });
};

describe('ambiguous-done', () => {
  it('in progress with no deliverables (null or empty): low', () => {
    const alerts = run([
      task({ id: 'T1', status: 'in_progress', deliverables: null }),
      task({ id: 'T2', status: 'in_progress', deliverables: [] }),
      task({ id: 'T3', status: 'in_progress', deliverables: [{ text: 'profile report', done: false }] }),
      task({ id: 'T4', status: 'pending', deliverables: null }),
    ]);
    expect(alerts.map((a) => [a.id, a.kind, a.severity, a.subject])).toEqual([
      ['ambiguous-done:T1', 'ambiguous-done', 'low', ['T1']],
      ['ambiguous-done:T2', 'ambiguous-done', 'low', ['T2']],
    ]);
    expect(alerts[0]).toMatchObject({ summary: 'T1 is in progress with no definition of done', since: null, actions: [] });
  });
  it('completed with unchecked deliverables: medium, listing them', () => {
    const alerts = run([
      task({ id: 'C1', status: 'completed', deliverables: [{ text: 'flamegraph', done: true }, { text: 'top-3 hotspots', done: false }, { text: 'baseline numbers', done: false }] }),
      task({ id: 'C2', status: 'completed', deliverables: [{ text: 'all done', done: true }] }),
      task({ id: 'C3', status: 'completed', deliverables: null }),
    ]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      kind: 'ambiguous-done', severity: 'medium', subject: ['C1'], since: null, actions: [],
      evidence: { unchecked: ['top-3 hotspots', 'baseline numbers'] },
    });
    expect(alerts[0]!.workflow).toMatch(/reopen/);
  });
  it('skipped when the format has no deliverables', () => {
    expect(run([task({ id: 'T1', status: 'in_progress' }), task({ id: 'C1', status: 'completed', deliverables: [{ text: 'x', done: false }] })], false)).toEqual([]);
  });
});
