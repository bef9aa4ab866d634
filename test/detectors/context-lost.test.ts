import { describe, expect, it } from 'vitest';
import { contextLostAfterCompaction } from '../../src/alerts/detectors/context-lost.js';
import { DEFAULT_THRESHOLDS } from '../../src/model/thresholds.js';
import type { Checkpoint, TeamEvent } from '../../src/model/types.js';
import { team, teammate } from '../helpers/model.js';

const TS = Date.parse('2026-02-28T14:00:00Z');
const MIN = 60_000;
const compaction = (who: unknown, timestamp: number | null, line = 1): TeamEvent => ({ timestamp, type: 'compaction', line, data: { teammate: who } });
const cp = (teammateId: string, timestamp: number | null): Checkpoint => ({
  file: `${teammateId}-${timestamp}.json`, checkpointId: null, teammateId, timestamp, taskId: null, completionPercent: null,
  lastAction: null, nextStep: null, filesModified: [], notes: null, raw: {},
});
const run = (events: TeamEvent[], checkpoints: Checkpoint[] = [], ids = ['optimizer']) => {
  const map = new Map<string, Checkpoint[]>();
  for (const c of checkpoints) map.set(c.teammateId, [...(map.get(c.teammateId) ?? []), c]);
  return contextLostAfterCompaction({
    team: team({ teammates: ids.map((id) => teammate({ id })), events, checkpoints: map }), now: TS + 60 * MIN, thresholds: DEFAULT_THRESHOLDS,
  });
};

describe('context-lost-after-compaction', () => {
  it('compaction with no checkpoint at all: medium alert', () => {
    const alerts = run([compaction('optimizer', TS)]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      id: 'context-lost-after-compaction:optimizer', kind: 'context-lost-after-compaction', severity: 'medium',
      subject: ['optimizer'], since: TS, actions: ['wake'],
      evidence: { compaction_at: new Date(TS).toISOString(), last_checkpoint_before: null },
    });
    expect(alerts[0]!.workflow).toMatch(/\(w\)/);
  });
  it('checkpoint exactly 30 min before is enough; 30 min + 1 s before is not', () => {
    expect(run([compaction('optimizer', TS)], [cp('optimizer', TS - 30 * MIN)])).toEqual([]);
    const alerts = run([compaction('optimizer', TS)], [cp('optimizer', TS - 30 * MIN - 1000)]);
    expect(alerts.map((a) => a.kind)).toEqual(['context-lost-after-compaction']);
    expect(alerts[0]!.evidence.last_checkpoint_before).toBe(new Date(TS - 30 * MIN - 1000).toISOString());
  });
  it('a checkpoint at the compaction instant counts; one after it does not', () => {
    expect(run([compaction('optimizer', TS)], [cp('optimizer', TS)])).toEqual([]);
    expect(run([compaction('optimizer', TS)], [cp('optimizer', TS + 1000), cp('optimizer', null)]).map((a) => a.subject)).toEqual([['optimizer']]);
  });
  it('only the latest compaction per teammate matters', () => {
    // An early compaction was covered; the later one was not.
    const events = [compaction('optimizer', TS - 120 * MIN), compaction('optimizer', TS, 2), compaction('optimizer', null, 3)];
    expect(run(events, [cp('optimizer', TS - 125 * MIN)])[0]!.since).toBe(TS);
    // The later compaction covered, the earlier not: no alert.
    expect(run(events, [cp('optimizer', TS - 10 * MIN)])).toEqual([]);
  });
  it('checkpoints of another teammate do not count; teammates are judged separately', () => {
    const alerts = run([compaction('optimizer', TS), compaction('reviewer', TS)], [cp('reviewer', TS - MIN)], ['optimizer', 'reviewer']);
    expect(alerts.map((a) => a.subject)).toEqual([['optimizer']]);
  });
  it('ignores compactions of ids not on the roster, and events of other types', () => {
    expect(run([compaction('stranger', TS), compaction(7, TS), { timestamp: TS, type: 'requirements_changed', line: 1, data: { teammate: 'optimizer' } }])).toEqual([]);
  });
});
