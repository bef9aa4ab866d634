import { describe, expect, it } from 'vitest';
import { messageUnacked } from '../../src/alerts/detectors/message-unacked.js';
import { overdueMessages } from '../../src/alerts/detectors/overdue.js';
import { DEFAULT_THRESHOLDS } from '../../src/model/thresholds.js';
import { team, teammate } from '../helpers/model.js';
import type { TeamSnapshot } from '../../src/model/snapshot.js';
import { CLAUDE_FORMAT } from '../../src/sources/claude/format.js';

const T0 = Date.parse('2026-02-28T14:32:15Z');
const SEC = 1000;
const MIN = 60_000;
const run = (tm: TeamSnapshot, now: number) => messageUnacked({ team: tm, now, thresholds: DEFAULT_THRESHOLDS });
const ask = (sequence: number, timestamp: number, to: string | string[] = 'tm', extra: Record<string, unknown> = {}) => ({
  sequence, timestamp, from: 'lead', to, type: 'message', ack_required: true, ...extra,
});
const ack = (sequence: number, timestamp: number, of: number, from = 'tm') => ({
  sequence, timestamp, from, to: 'lead', type: 'ack', ack_sequence: of,
});

describe('message-unacked: the 30 s acknowledgement timeout', () => {
  const one = team({ messages: [ask(1, T0)] });
  it.each([
    [29 * SEC, 0],
    [30 * SEC, 0],
    [31 * SEC, 1],
  ])('%i ms after sending → %i alert(s)', (age, n) => {
    expect(run(one, T0 + age)).toHaveLength(n);
  });
  it('one overdue message is a medium alert naming the recipient and sequence', () => {
    const [a, ...rest] = run(one, T0 + 31 * SEC);
    expect(rest).toEqual([]);
    expect(a).toMatchObject({
      id: 'message-unacked:tm:1', kind: 'message-unacked', severity: 'medium', subject: ['tm', '1'],
      since: T0 + 30 * SEC, actions: ['resend'],
    });
    expect(a!.summary).toContain('unacknowledged');
    expect(a!.workflow).toContain('(r)');
    expect(a!.evidence).toEqual({
      recipient: 'tm', sequences: [1], last_acked_sequence: null, consecutive: 1,
      oldest_sent_at: new Date(T0).toISOString(), timeout_seconds: 30,
    });
  });
  it('a message that was acknowledged does not alert', () => {
    expect(run(team({ messages: [ask(1, T0), ack(2, T0 + 5 * SEC, 1)] }), T0 + 10 * MIN)).toEqual([]);
  });
  it('a message that asked for no answer does not alert', () => {
    expect(run(team({ messages: [{ sequence: 1, timestamp: T0, from: 'lead', to: 'tm' }] }), T0 + 10 * MIN)).toEqual([]);
  });
  it('a message without a timestamp is skipped', () => {
    expect(run(team({ messages: [{ sequence: 1, from: 'lead', to: 'tm', ack_required: true }] }), T0 + 10 * MIN)).toEqual([]);
  });
  it('required_response counts as asking for an answer', () => {
    const tm = team({ messages: [{ sequence: 1, timestamp: T0, from: 'lead', to: 'tm', required_response: true }] });
    expect(run(tm, T0 + 31 * SEC).map((a) => a.subject)).toEqual([['tm', '1']]);
  });
});

describe("message-unacked: a message's own timeout", () => {
  const tm = team({ messages: [ask(1, T0, 'tm', { timeout: '5min' })] });
  it('"5min" overrides the 30 s default', () => {
    expect(run(tm, T0 + 31 * SEC)).toEqual([]);
    expect(run(tm, T0 + 4 * MIN + 59 * SEC)).toEqual([]);
    expect(run(tm, T0 + 5 * MIN)).toEqual([]);
    const [a] = run(tm, T0 + 5 * MIN + SEC);
    expect(a).toMatchObject({ subject: ['tm', '1'], since: T0 + 5 * MIN });
    expect(a!.evidence.timeout_seconds).toBe(300);
  });
  it('a number timeout is seconds', () => {
    const t2 = team({ messages: [ask(1, T0, 'tm', { timeout: 60 })] });
    expect(run(t2, T0 + 60 * SEC)).toEqual([]);
    expect(run(t2, T0 + 61 * SEC)).toHaveLength(1);
  });
});

describe('message-unacked: consecutive messages escalate', () => {
  it('2 consecutive overdue messages stay medium', () => {
    const [a, ...rest] = run(team({ messages: [ask(1, T0), ask(2, T0 + SEC)] }), T0 + MIN);
    expect(rest).toEqual([]);
    expect(a).toMatchObject({ severity: 'medium', subject: ['tm', '1', '2'], actions: ['resend'] });
  });
  it('3 consecutive overdue messages are high, with resend then wake', () => {
    const [a, ...rest] = run(team({ messages: [ask(1, T0), ask(2, T0 + SEC), ask(3, T0 + 2 * SEC)] }), T0 + MIN);
    expect(rest).toEqual([]);
    expect(a).toMatchObject({
      kind: 'message-unacked', severity: 'high', subject: ['tm', '1', '2', '3'], actions: ['resend', 'wake'], since: T0 + 30 * SEC,
    });
    expect(a!.summary).toBe('3 consecutive messages to tm unacknowledged (seq 1, 2, 3)');
    expect(a!.workflow).toMatch(/\(r\).*\(w\)/);
    expect(a!.evidence.consecutive).toBe(3);
  });
  it('only messages after the last acknowledged one count as consecutive', () => {
    const tm = team({ messages: [ask(1, T0), ask(2, T0 + SEC), ask(3, T0 + 2 * SEC), ack(4, T0 + 3 * SEC, 3), ask(5, T0 + 4 * SEC), ask(6, T0 + 5 * SEC)] });
    const [a, ...rest] = run(tm, T0 + MIN);
    expect(rest).toEqual([]);
    expect(a).toMatchObject({ severity: 'medium', subject: ['tm', '1', '2', '5', '6'] });
    expect(a!.evidence).toMatchObject({ sequences: [1, 2, 5, 6], last_acked_sequence: 3, consecutive: 2 });
  });
  it('the consecutive threshold is configurable', () => {
    const tm = team({ messages: [ask(1, T0), ask(2, T0 + SEC)] });
    const [a] = messageUnacked({ team: tm, now: T0 + MIN, thresholds: { ...DEFAULT_THRESHOLDS, consecutiveUnacked: 2 } });
    expect(a!.severity).toBe('high');
  });
  it('one alert per recipient, each with its own sequences', () => {
    const tm = team({ messages: [ask(1, T0, 'a'), ask(2, T0, 'b'), ask(3, T0, ['a', 'b'])] });
    expect(run(tm, T0 + MIN).map((a) => a.subject).sort()).toEqual([['a', '1', '3'], ['b', '2', '3']]);
  });
  it('a message to several recipients stops alerting for the one who acknowledged', () => {
    const tm = team({ messages: [ask(1, T0, ['a', 'b']), ack(2, T0 + SEC, 1, 'a')] });
    expect(run(tm, T0 + MIN).map((a) => a.subject)).toEqual([['b', '1']]);
  });
});

describe('message-unacked: broadcasts', () => {
  const members = [teammate({ id: 'tm_a' }), teammate({ id: 'tm_b' }), teammate({ id: 'tm_c' })];
  it('an "all" message expands to every teammate who has not acknowledged it', () => {
    const tm = team({ teammates: members, messages: [ask(1, T0, 'all'), ack(2, T0 + SEC, 1, 'tm_b')] });
    expect(run(tm, T0 + MIN).map((a) => a.subject)).toEqual([['tm_a', '1'], ['tm_c', '1']]);
  });
  it('the sender of a broadcast is not waiting on itself', () => {
    const tm = team({ teammates: members, messages: [{ ...ask(1, T0, 'all'), from: 'tm_a' }] });
    expect(overdueMessages(tm, T0 + MIN, DEFAULT_THRESHOLDS).map((o) => o.recipient)).toEqual(['tm_b', 'tm_c']);
  });
  it('overdueMessages sorts by recipient then sequence and gives the deadline', () => {
    const tm = team({ teammates: members, messages: [ask(1, T0, 'tm_c'), ask(2, T0 + SEC, 'all')] });
    expect(overdueMessages(tm, T0 + MIN, DEFAULT_THRESHOLDS)).toEqual([
      { recipient: 'tm_a', sequence: 2, timestamp: T0 + SEC, timedOutAt: T0 + 31 * SEC, type: 'message', from: 'lead' },
      { recipient: 'tm_b', sequence: 2, timestamp: T0 + SEC, timedOutAt: T0 + 31 * SEC, type: 'message', from: 'lead' },
      { recipient: 'tm_c', sequence: 1, timestamp: T0, timedOutAt: T0 + 30 * SEC, type: 'message', from: 'lead' },
      { recipient: 'tm_c', sequence: 2, timestamp: T0 + SEC, timedOutAt: T0 + 31 * SEC, type: 'message', from: 'lead' },
    ]);
  });
});

describe('message-unacked: Claude Code teams', () => {
  const claude = (messages: Record<string, unknown>[]) => ({ ...team({ messages }), source: 'claude' as const, format: CLAUDE_FORMAT });
  it('use the unread threshold (5 min) instead of 30 s, even over a message timeout', () => {
    const tm = claude([ask(1, T0, 'tm', { timeout: '10s' })]);
    expect(run(tm, T0 + 31 * SEC)).toEqual([]);
    expect(run(tm, T0 + 5 * MIN)).toEqual([]);
    const [a] = run(tm, T0 + 5 * MIN + SEC);
    expect(a).toMatchObject({ severity: 'medium', subject: ['tm', '1'], since: T0 + 5 * MIN });
    expect(a!.summary).toContain('unread');
    expect(a!.summary).not.toContain('unacknowledged');
  });
});

describe('message-unacked: the seed Workflow C example', () => {
  const at = (hms: string) => Date.parse(`2026-02-28T${hms}Z`);
  const messages = [
    ask(40, at('14:31:50'), 'tm_schema'),
    ask(41, at('14:32:15'), 'tm_schema'),
    ask(42, at('14:32:35'), 'tm_schema'),
    ask(43, at('14:32:55'), 'tm_schema'),
    ask(44, at('14:33:15'), 'tm_schema'),
    ask(45, at('14:33:35'), 'tm_schema'),
    ack(46, at('14:33:40'), 40, 'tm_schema'),
  ];
  it('41–45 unacknowledged after the ack of 40, 60 s after the last: one high alert', () => {
    const alerts = run(team({ messages }), at('14:34:35'));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      kind: 'message-unacked', severity: 'high', subject: ['tm_schema', '41', '42', '43', '44', '45'],
      since: at('14:32:45'), actions: ['resend', 'wake'],
    });
    expect(alerts[0]!.summary).toBe('5 consecutive messages to tm_schema unacknowledged (seq 41, 42, 43, 44, 45)');
    expect(alerts[0]!.evidence).toEqual({
      recipient: 'tm_schema', sequences: [41, 42, 43, 44, 45], last_acked_sequence: 40, consecutive: 5,
      oldest_sent_at: '2026-02-28T14:32:15.000Z', timeout_seconds: 30,
    });
  });
});
