import { describe, expect, it } from 'vitest';
import { networkPartition } from '../../src/alerts/detectors/network-partition.js';
import { DEFAULT_THRESHOLDS } from '../../src/model/thresholds.js';
import { team, teammate } from '../helpers/model.js';
import type { TeamSnapshot } from '../../src/model/snapshot.js';

const T0 = Date.parse('2026-02-28T14:00:00Z');
const SEC = 1000;
const MIN = 60_000;
const LATER = T0 + 60 * MIN;
const run = (tm: TeamSnapshot, now = LATER) => networkPartition({ team: tm, now, thresholds: DEFAULT_THRESHOLDS });
const ask = (sequence: number, timestamp: number, to: string | string[]) => ({
  sequence, timestamp, from: 'lead', to, type: 'message', ack_required: true,
});

describe('network-partition: timeouts to two teammates within the window', () => {
  it.each([
    [4 * MIN + 59 * SEC, 1],
    [5 * MIN, 1],
    [5 * MIN + SEC, 0],
  ])('timeouts %i ms apart → %i alert(s)', (gap, n) => {
    expect(run(team({ messages: [ask(1, T0, 'tm_a'), ask(2, T0 + gap, 'tm_b')] }))).toHaveLength(n);
  });
  it('names the recipients, their sequences and the window', () => {
    const [a, ...rest] = run(team({ messages: [ask(1, T0, 'tm_b'), ask(2, T0 + MIN, 'tm_a'), ask(3, T0 + 2 * MIN, 'tm_b')] }));
    expect(rest).toEqual([]);
    expect(a).toMatchObject({
      id: 'network-partition:tm_a:tm_b', kind: 'network-partition', severity: 'medium', subject: ['tm_a', 'tm_b'],
      since: T0 + 30 * SEC, actions: ['resend'],
    });
    expect(a!.evidence).toEqual({
      recipients: ['tm_a', 'tm_b'], sequences: { tm_a: [2], tm_b: [1, 3] },
      window_start: new Date(T0 + 30 * SEC).toISOString(), window_end: new Date(T0 + 2 * MIN + 30 * SEC).toISOString(),
    });
    expect(a!.workflow).toContain('(r)');
  });
  it('takes the earliest window that spans two teammates', () => {
    const tm = team({ messages: [ask(1, T0, 'tm_a'), ask(2, T0 + 6 * MIN, 'tm_b'), ask(3, T0 + 8 * MIN, 'tm_c')] });
    const [a, ...rest] = run(tm);
    expect(rest).toEqual([]);
    expect(a).toMatchObject({ subject: ['tm_b', 'tm_c'], since: T0 + 6 * MIN + 30 * SEC });
  });
  it('many timeouts to one teammate are not a partition', () => {
    expect(run(team({ messages: [ask(1, T0, 'tm_a'), ask(2, T0 + SEC, 'tm_a'), ask(3, T0 + 2 * SEC, 'tm_a')] }))).toEqual([]);
  });
  it('a message that has not timed out yet does not count', () => {
    const tm = team({ messages: [ask(1, T0, 'tm_a'), ask(2, T0 + MIN, 'tm_b')] });
    expect(run(tm, T0 + MIN + 30 * SEC)).toEqual([]);
    expect(run(tm, T0 + MIN + 31 * SEC)).toHaveLength(1);
  });
  it('acknowledged messages do not count', () => {
    const tm = team({ messages: [ask(1, T0, 'tm_a'), ask(2, T0 + SEC, 'tm_b'), { sequence: 3, timestamp: T0 + 2 * SEC, from: 'tm_b', type: 'ack', ack_sequence: 2 }] });
    expect(run(tm)).toEqual([]);
  });
  it('an unanswered broadcast times out for each teammate', () => {
    const tm = team({ teammates: [teammate({ id: 'tm_a' }), teammate({ id: 'tm_b' })], messages: [ask(1, T0, 'all')] });
    expect(run(tm).map((a) => a.subject)).toEqual([['tm_a', 'tm_b']]);
  });
  it('no mailbox, no alert', () => {
    expect(run(team())).toEqual([]);
  });
});
