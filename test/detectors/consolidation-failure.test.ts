import { describe, expect, it } from 'vitest';
import { consolidationFailure } from '../../src/alerts/detectors/consolidation-failure.js';
import { DEFAULT_THRESHOLDS } from '../../src/model/thresholds.js';
import { team, teammate } from '../helpers/model.js';
import type { TeamEvent } from '../../src/model/types.js';

const T0 = Date.parse('2026-02-28T14:50:00Z');
const NOW = T0 + 5 * 60_000;
const ERROR = 'Cannot find symbol: YWorkItem.getScheduledTime()';
const build = (result: string, timestamp: number | null = T0, extra: Record<string, unknown> = {}): TeamEvent => ({
  timestamp, type: 'build', line: 0, data: { scope: 'all', result, error: result === 'success' ? undefined : ERROR, ...extra },
});
const run = (statuses: Array<string | null>, events: TeamEvent[]) => consolidationFailure({
  team: team({ teammates: statuses.map((status, i) => teammate({ id: ['tm_schema', 'tm_engine', 'tm_test'][i] ?? `tm_${i}`, status })), events }),
  now: NOW, thresholds: DEFAULT_THRESHOLDS,
});
const GREEN = ['GREEN', 'done', 'Completed'];

describe('consolidation-failure', () => {
  it('all teammates green and the latest build failed: critical', () => {
    const [a, ...rest] = run(GREEN, [build('failure')]);
    expect(rest).toEqual([]);
    expect(a).toMatchObject({
      id: 'consolidation-failure:tm_schema:tm_engine:tm_test', kind: 'consolidation-failure', severity: 'critical',
      subject: ['tm_schema', 'tm_engine', 'tm_test'], since: T0, actions: ['wake', 'abort'],
    });
    expect(a!.summary).toContain(ERROR);
    expect(a!.evidence).toEqual({ build_at: new Date(T0).toISOString(), scope: 'all', error: ERROR, teammates: ['tm_schema', 'tm_engine', 'tm_test'] });
    expect(a!.workflow).toMatch(/\(w\).*\(A\)/);
  });
  it('"failed" counts as a failure too', () => {
    expect(run(['complete'], [build('failed')])).toHaveLength(1);
  });
  it('not while a teammate is still working', () => {
    expect(run(['green', 'active', 'done'], [build('failure')])).toEqual([]);
    expect(run(['green', null], [build('failure')])).toEqual([]);
  });
  it('not without teammates or without a build', () => {
    expect(run([], [build('failure')])).toEqual([]);
    expect(run(GREEN, [])).toEqual([]);
  });
  it('a later successful build clears it', () => {
    expect(run(GREEN, [build('failure', T0), build('success', T0 + 1000)])).toEqual([]);
  });
  it('the latest build is by timestamp, not by position', () => {
    expect(run(GREEN, [build('success', T0 + 1000), build('failure', T0)])).toEqual([]);
    expect(run(GREEN, [build('failure', T0 + 1000), build('success', T0)])).toHaveLength(1);
  });
  it('ties and missing timestamps go to the last written', () => {
    expect(run(GREEN, [build('success', T0), build('failure', T0)])).toHaveLength(1);
    expect(run(GREEN, [build('failure', T0), build('success', T0)])).toEqual([]);
    const [a] = run(GREEN, [build('success', T0), build('failure', null)]);
    expect(a).toMatchObject({ since: null });
    expect(a!.evidence.build_at).toBeNull();
  });
  it('a successful build does not alert', () => {
    expect(run(GREEN, [build('success')])).toEqual([]);
  });
});
