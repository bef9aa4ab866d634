// The post-mortem's pure parts: the timeline, the replayed alert history, the action log, the
// lessons formatter and the Markdown rendering.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { team, teammate, task } from './helpers/model.js';
import { tempDir, removeDir } from './helpers/state.js';
import type { TeamEvent } from '../src/model/types.js';
import type { TeamSnapshot } from '../src/model/snapshot.js';
import { DEFAULT_THRESHOLDS } from '../src/model/thresholds.js';
import { ALERT_KINDS } from '../src/alerts/index.js';
import { actionsFileOf, parseActionLine, readActionLog, readActions, type ActionRecord } from '../src/report/actions-log.js';
import { alertHistory, evaluationTimes, type AlertSpan } from '../src/report/replay.js';
import { addressedBy, mentions } from '../src/report/addressed.js';
import { buildTimeline, filterTimeline } from '../src/report/timeline.js';
import { ADVICE, kindsWithoutAdvice } from '../src/report/advice.js';
import { appendLesson, formatLesson, isLessonDate } from '../src/report/lessons.js';
import { buildSummary, renderPostmortem, renderTimeline } from '../src/report/render.js';
import { md, type ReportInput } from '../src/report/markdown.js';
import { CLAUDE_FORMAT } from '../src/sources/claude/format.js';
import { NATIVE_FORMAT } from '../src/sources/native/format.js';

const T0 = Date.parse('2026-02-28T14:00:00Z');
const S = 1000;
const iso = (ms: number): string => new Date(ms).toISOString();

function action(time: number, name: string, args: Record<string, unknown>, extra: Partial<ActionRecord> = {}): ActionRecord {
  return { time, action: name, team: 'team', args, plan: [], result: 'ok', effects: [], error: null, before: null, line: 0, ...extra };
}

function event(time: number, type: string, data: Record<string, unknown>, line: number): TeamEvent {
  return { timestamp: time, type, line, data };
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeDir(d);
});

describe('buildTimeline', () => {
  const snap = team({
    teammates: [teammate({ id: 'tm_a' }), teammate({ id: 'tm_b' })],
    tasks: [task({ id: 'T1', owner: 'tm_b', status: 'in_progress' })],
    messages: [
      { sequence: 1, timestamp: iso(T0), from: 'lead', to: 'tm_a', type: 'message', payload: 'start' },
      { sequence: 2, timestamp: iso(T0 + 10 * S), from: 'tm_a', to: 'lead', type: 'ack', ack_sequence: 1 },
      { sequence: 3, timestamp: iso(T0 + 20 * S), from: 'lead', to: 'tm_b', type: 'message', payload: 'go' },
      { sequence: 4, from: 'tm_b', to: 'lead', type: 'message', payload: 'no timestamp: takes the line before' },
    ],
    events: [
      event(T0, 'compaction', { teammate: 'tm_b' }, 1),
      event(T0 + 10 * S, 'build', { scope: 'all', result: 'success' }, 2),
    ],
  });
  const actions = [
    action(T0 + 20 * S, 'reassign', { target: 'T1', to: 'tm_a' }),
    action(T0 + 5 * S, 'halt', {}),
  ];
  const span: AlertSpan = {
    id: 'teammate-idle:tm_b', kind: 'teammate-idle', severity: 'high', subject: ['tm_b'], summary: 'tm_b: no heartbeat for 10m (idle)',
    evidence: {}, workflow: '', actions: ['wake'], alertIds: ['teammate-idle:tm_b'],
    began: T0 + 20 * S, cleared: T0 + 30 * S, addressed_by: actions[0]!, time_to_recover_ms: 10 * S,
  };

  it('merges messages, events, actions and alert marks in time order; ties: events, messages, actions, alerts', () => {
    const tl = buildTimeline(snap, actions, [span]);
    expect(tl.map((e) => [e.time - T0, e.kind, e.event])).toEqual([
      [0, 'event', 'compaction'],
      [0, 'message', 'message'],
      [5 * S, 'action', 'halt'],
      [10 * S, 'event', 'build'],
      [10 * S, 'message', 'ack'],
      [20 * S, 'message', 'message'],
      [20 * S, 'message', 'message'],
      [20 * S, 'action', 'reassign'],
      [20 * S, 'alert-began', 'teammate-idle'],
      [30 * S, 'alert-cleared', 'teammate-idle'],
    ]);
    expect(tl.map((e) => e.sequence ?? null).filter((x) => x !== null)).toEqual([1, 2, 3, 4]);
    expect(tl[0]).toMatchObject({ actor: 'tm_b', teammates: ['tm_b'] });
    expect(tl[1]).toMatchObject({ actor: 'lead', teammates: ['lead', 'tm_a'], details: '#1 to tm_a: start' });
    expect(tl[3]!.details).toBe('scope=all result=success');
    expect(tl[4]!.details).toBe('#2 to lead; acknowledges #1');
    expect(tl[7]).toMatchObject({ actor: 'lead', details: 'T1 → tm_a: ok' });
    expect(tl[9]!.details).toBe('cleared after 10s (addressed by reassign T1 at 14:00:20Z): tm_b: no heartbeat for 10m (idle)');
  });

  it('filters by teammate: sender, recipient, the teammate an event names, the owner of a task acted on, alert subjects', () => {
    const tl = buildTimeline(snap, actions, [span]);
    expect(filterTimeline(tl, 'tm_b').map((e) => `${e.kind}:${e.event}:${e.sequence ?? ''}`)).toEqual([
      'event:compaction:', 'message:message:3', 'message:message:4', 'action:reassign:', 'alert-began:teammate-idle:', 'alert-cleared:teammate-idle:',
    ]);
    expect(filterTimeline(tl, 'tm_a').map((e) => `${e.kind}:${e.sequence ?? e.event}`)).toEqual(['message:1', 'message:2', 'action:reassign']);
    expect(filterTimeline(tl, 'nobody')).toEqual([]);
  });

  it('ids that look alike stay apart: the filter compares ids as they are, the actor is named as id cells name it, wide names keep the columns', async () => {
    const { timelineLines } = await import('../src/tui/history-view.js');
    const stringWidth = (await import('string-width')).default;
    const t = team({
      teammates: [teammate({ id: 'tm👍🏽' }), teammate({ id: 'tm👍' }), teammate({ id: 'tm한글' })],
      messages: [
        { sequence: 1, timestamp: new Date(T0).toISOString(), from: 'tm👍🏽', to: 'lead', type: 'message', payload: 'toned' },
        { sequence: 2, timestamp: new Date(T0 + 1000).toISOString(), from: 'tm👍', to: 'lead', type: 'message', payload: 'plain' },
        { sequence: 3, timestamp: new Date(T0 + 2000).toISOString(), from: 'tm한글', to: 'tm👍🏽', type: 'message', payload: 'wide' },
      ],
    });
    const tl = buildTimeline(t, [], []);
    expect(filterTimeline(tl, 'tm👍').map((e) => e.sequence)).toEqual([2]);
    expect(filterTimeline(tl, 'tm👍🏽').map((e) => e.sequence)).toEqual([1, 3]);
    expect(tl.find((e) => e.sequence === 1)).toMatchObject({ actor: 'tm👍<U+1F3FD>' });
    expect(tl.find((e) => e.sequence === 3)!.details).toMatch(/^#3 to tm👍<U\+1F3FD>/);
    // The details start in the same column whatever the actor's width.
    const starts = timelineLines(tl).map((l) => stringWidth(l.text.slice(0, l.text.indexOf(' #'))));
    expect(new Set(starts).size).toBe(1);
  });

  it('keeps details to one safe line', () => {
    const evil = team({ messages: [{ sequence: 1, timestamp: iso(T0), from: 'x', to: 'y', payload: 'a\nb\u001b[31mred\u0007 | x\u202e' }] });
    const [e] = buildTimeline(evil, [], []);
    expect(e!.details).toBe('#1 to y: a bred | x');
  });
});

describe('alertHistory (replayed detectors)', () => {
  // Three messages to tm_x asking for an answer (t0, +10 s, +20 s), a hook violation at +5 s, a
  // refused resend at +50 s, a wake at t1 = +60 s, the violation fixed at +90 s, the ACK of all
  // three at t2 = +120 s; the report is made at +10 min.
  const t1 = T0 + 60 * S;
  const t2 = T0 + 120 * S;
  const now = T0 + 600 * S;
  const scripted = (): TeamSnapshot => team({
    teammates: [teammate({ id: 'tm_x', lastHeartbeat: now - 60 * S }), teammate({ id: 'tm_y', lastHeartbeat: now - 60 * S })],
    messages: [
      { sequence: 1, timestamp: iso(T0), from: 'lead', to: 'tm_x', payload: 'one', ack_required: true },
      { sequence: 2, timestamp: iso(T0 + 10 * S), from: 'lead', to: 'tm_x', payload: 'two', ack_required: true },
      { sequence: 3, timestamp: iso(T0 + 20 * S), from: 'lead', to: 'tm_x', payload: 'three', ack_required: true },
      { sequence: 4, timestamp: iso(t2), from: 'tm_x', to: 'lead', type: 'ack', ack_sequence: [1, 2, 3] },
    ],
    events: [
      event(T0 + 5 * S, 'hook_violation', { pattern: 'H_STUB', file: 'src/A.java', line: 7, teammate: 'tm_x', violation_id: 'V1' }, 1),
      event(T0 + 90 * S, 'hook_fixed', { violation_id: 'V1', teammate: 'tm_x' }, 2),
    ],
  });
  const wake = action(t1, 'wake', { target: 'tm_x' }, { line: 2 });
  const refused = action(T0 + 50 * S, 'resend', { target: 'tm_x' }, { result: 'refused', line: 1 });

  it('finds when each alert began, what addressed it, when it cleared and the time to recover', () => {
    const spans = alertHistory(scripted(), [refused, wake], DEFAULT_THRESHOLDS, now);
    expect(spans.map((s) => ({ id: s.id, kind: s.kind, severity: s.severity, began: s.began - T0, cleared: s.cleared === null ? null : s.cleared - T0 }))).toEqual([
      { id: 'hook-violation:tm_x:V1', kind: 'hook-violation', severity: 'critical', began: 5 * S, cleared: 90 * S },
      { id: 'message-unacked:tm_x', kind: 'message-unacked', severity: 'high', began: 30 * S, cleared: 120 * S },
    ]);
    const unacked = spans[1]!;
    expect(unacked.addressed_by).toBe(wake);
    expect(unacked.time_to_recover_ms).toBe(t2 - (T0 + 30 * S));
    expect(unacked.summary).toBe('3 consecutive messages to tm_x unacknowledged (seq 1, 2, 3)');
    expect(unacked.subject).toEqual(['tm_x', '1', '2', '3']);
    expect(unacked.alertIds).toEqual(['message-unacked:tm_x:1', 'message-unacked:tm_x:1:2', 'message-unacked:tm_x:1:2:3']);
    expect(spans[0]!.addressed_by).toBe(wake);
    expect(spans[0]!.time_to_recover_ms).toBe(85 * S);
  });

  it('an alert still open at the end has no clear time; without actions nothing addressed it', () => {
    const t = scripted();
    const noAck = { ...t, mailbox: { ...t.mailbox, recent: t.mailbox.recent.slice(0, 3) } };
    const spans = alertHistory(noAck, [], DEFAULT_THRESHOLDS, now);
    const unacked = spans.find((s) => s.kind === 'message-unacked')!;
    expect(unacked).toMatchObject({ began: T0 + 30 * S, cleared: null, addressed_by: null, time_to_recover_ms: null });
  });

  it('the timeline marks where the alerts began and cleared', () => {
    const snap = scripted();
    const spans = alertHistory(snap, [refused, wake], DEFAULT_THRESHOLDS, now);
    const tl = buildTimeline(snap, [refused, wake], spans);
    expect(tl.map((e) => `${(e.time - T0) / S} ${e.kind} ${e.event}`)).toEqual([
      '0 message message',
      '5 event hook_violation',
      '5 alert-began hook-violation',
      '10 message message',
      '20 message message',
      '30 alert-began message-unacked',
      '50 action resend',
      '60 action wake',
      '90 event hook_fixed',
      '90 alert-cleared hook-violation',
      '120 message ack',
      '120 alert-cleared message-unacked',
    ]);
  });

  it('bounds the work: bursts under a second are merged, at most the cap of evaluations, ending at now', () => {
    const messages = Array.from({ length: 5000 }, (_, i) => ({ sequence: i + 1, timestamp: iso(T0 + i * 100), from: 'a', to: 'b' }));
    const big = team({ messages });
    const times = evaluationTimes(big, [], DEFAULT_THRESHOLDS, T0 + 1_000_000);
    expect(times.length).toBeLessThanOrEqual(2000);
    expect(times.length).toBeGreaterThan(400);
    expect(times[times.length - 1]).toBe(T0 + 1_000_000);
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThan(times[i - 1]!);
    // A burst keeps its latest moment, so the state after the whole burst is evaluated.
    const burst = team({ messages: [0, 300, 600, 1500].map((d, i) => ({ sequence: i + 1, timestamp: iso(T0 + d), from: 'a', to: 'b' })) });
    expect(evaluationTimes(burst, [action(T0 + 900, 'halt', {})], DEFAULT_THRESHOLDS, T0 + 10 * S).map((t) => t - T0)).toEqual([900, 1500, 10 * S]);
    const capped = evaluationTimes(big, [], DEFAULT_THRESHOLDS, T0 + 1_000_000, { mergeWindowMs: 0, maxEvaluations: 100 });
    expect(capped.length).toBeLessThanOrEqual(100);
  });

  it('addressed_by: a suggested action naming the subject (arguments or plan), else any action whose arguments name it; numeric ids never match inside free text', () => {
    const span = { began: T0, cleared: null, subject: ['3', 'tm_x'], actions: ['resend' as const] };
    const other = action(T0 + 1 * S, 'resend', { target: 'tm_y' });
    // An action the alert does not suggest, whose plan only tells tm_x about something else: not it.
    const byPlan = action(T0 + 2 * S, 'halt', {}, { plan: [{ kind: 'append-message', message: { to: ['tm_x'], type: 'team_halted', priority: 'high', payload: 'stop' } }] });
    expect(addressedBy(span, [other, byPlan])).toBeNull();
    const suggestedByPlan = action(T0 + 3 * S, 'resend', {}, { plan: [{ kind: 'append-message', message: { to: ['tm_x'], type: 'resend_batch', priority: 'high', payload: 'again' } }] });
    expect(addressedBy(span, [other, byPlan, suggestedByPlan])).toBe(suggestedByPlan);
    const byArgs = action(T0 + 4 * S, 'reassign', { target: '3', to: 'tm_z' });
    expect(addressedBy(span, [other, byPlan, byArgs])).toBe(byArgs);
    expect(mentions(action(0, 'wake', { reason: 'task 3 is late' }), ['3'])).toBe(false);
    expect(mentions(action(0, 'complete', { target: '3' }), ['3'])).toBe(true);
    expect(mentions(action(0, 'wake', { reason: 'ask tm_x2' }), ['tm_x'])).toBe(false);
    expect(mentions(action(0, 'wake', { reason: 'ask tm_x.' }), ['tm_x'])).toBe(true);
    // No subject named: an action the alert suggests that has no target of its own.
    expect(addressedBy({ ...span, subject: ['zz'], actions: ['halt'] }, [other, action(T0 + 3 * S, 'halt', {})])?.action).toBe('halt');
    expect(addressedBy({ ...span, subject: ['zz'] }, [other])).toBeNull();
  });

  it('replays a Claude Code mailbox by its read flags', () => {
    const base = team({ messages: [] });
    const mk = (seq: number, ts: number, read: boolean) => ({
      sequence: seq, timestamp: ts, from: 'team-lead', to: ['cc-a'], type: 'message', priority: null, payload: 'x', ackSequences: [],
      ackRequired: true, timeoutMs: null, resendingSequences: [], line: seq, protocol: null, extra: { read },
    });
    const claude: TeamSnapshot = {
      ...base, source: 'claude', format: CLAUDE_FORMAT, teammates: [teammate({ id: 'cc-a' })],
      mailbox: { ...base.mailbox, recent: [mk(1, T0, true), mk(2, T0 + 60 * S, false)] },
    };
    const spans = alertHistory(claude, [], DEFAULT_THRESHOLDS, T0 + 3600 * S);
    expect(spans.map((s) => [s.id, s.began - T0, s.cleared])).toEqual([['message-unacked:cc-a', 60 * S + 5 * 60 * S, null]]);
  });
});

describe('actions.jsonl', () => {
  it('reads records, skipping and counting bad lines', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = join(dir, 'actions.jsonl');
    writeFileSync(file, [
      JSON.stringify({ time: iso(T0), action: 'wake', team: 't', args: { target: 'tm_x' }, plan: [], result: 'ok', effects: [] }),
      'not json',
      JSON.stringify({ action: 'no time' }),
      '',
      JSON.stringify({ time: T0 + 1, action: 'halt', result: 'failed', error: 'boom' }),
    ].join('\n') + '\n');
    const recs = await readActions(file);
    expect(recs.map((r) => [r.time, r.action, r.result, r.line])).toEqual([[T0, 'wake', 'ok', 1], [T0 + 1, 'halt', 'failed', 5]]);
    expect(recs[1]).toMatchObject({ args: {}, plan: [], effects: [], error: 'boom' });
    expect(recs.skipped).toBe(2);
    expect(recs.skippedLines).toEqual([2, 3]);
    expect(await readActions(join(dir, 'missing.jsonl'))).toHaveLength(0);
    expect(parseActionLine('{"time":"yesterday","action":"wake"}', 1)).toBeNull();
  });

  it('reads an unterminated last record, skips a line over the line limit, and a path through a file reads as no log', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = join(dir, 'actions.jsonl');
    writeFileSync(file, [
      JSON.stringify({ time: iso(T0), action: 'wake', note: 'x'.repeat(2 * 1024 * 1024) }),
      JSON.stringify({ time: iso(T0 + 1), action: 'halt' }),
    ].join('\n'));
    const recs = await readActions(file);
    expect(recs.map((r) => [r.action, r.line])).toEqual([['halt', 2]]);
    expect(recs.skippedLines).toEqual([1]);
    writeFileSync(join(dir, 'teamtop'), 'a file where a directory should be');
    expect(await readActionLog(join(dir, 'teamtop', 'actions.jsonl'))).toMatchObject({ records: [], missing: true });
  });

  it('lives in the team directory, or in teams/<team>/teamtop/ for a Claude Code team', () => {
    expect(actionsFileOf({ ...team(), source: 'native', format: NATIVE_FORMAT, dir: '/s/crew' })).toBe('/s/crew/actions.jsonl');
    expect(actionsFileOf({ ...team(), source: 'claude', format: CLAUDE_FORMAT, dir: '/h/.claude/teams/crew' })).toBe('/h/.claude/teams/crew/teamtop/actions.jsonl');
  });
});

describe('advice', () => {
  it('covers every alert kind, teammate-failed included', () => {
    expect(kindsWithoutAdvice()).toEqual([]);
    for (const k of [...ALERT_KINDS, 'teammate-failed']) expect(ADVICE[k]!.recommendations.length).toBeGreaterThan(0);
    expect(ADVICE['dependency-cycle']!.recommendations.join(' ')).toContain('teamtop check --only dependency-cycle');
  });
});

describe('lessons', () => {
  const lesson = {
    date: '2026-02-28', team: 'crew', type: 'consolidation-failure',
    what: 'tm_engine and tm_schema built against different interfaces.\r\nThe build failed \u001b[31mthree times.',
    learned: 'Agree the interface first.', next: '- Task#0: interface contract\n- Check at 50%',
  };

  it('formats one dated entry', () => {
    expect(formatLesson(lesson)).toBe([
      '',
      '## 2026-02-28 — crew: consolidation-failure',
      '',
      '**Date**: 2026-02-28',
      '**Team**: crew',
      '**Failure type**: consolidation-failure',
      '',
      '### What happened',
      'tm_engine and tm_schema built against different interfaces.',
      'The build failed three times.',
      '',
      '### What we learned',
      'Agree the interface first.',
      '',
      '### What we will do differently',
      '- Task#0: interface contract',
      '- Check at 50%',
      '',
    ].join('\n'));
  });

  it('appends to tasks/lessons.md, creating it with a heading', async () => {
    const repo = tempDir();
    dirs.push(repo);
    const file = await appendLesson(repo, lesson);
    expect(file).toBe(join(repo, 'tasks', 'lessons.md'));
    await appendLesson(repo, { ...lesson, date: '2026-03-01' });
    expect(readFileSync(file, 'utf8')).toBe(`# Lessons\n${formatLesson(lesson)}${formatLesson({ ...lesson, date: '2026-03-01' })}`);
  });

  it('accepts only real dates', () => {
    expect(isLessonDate('2026-02-28')).toBe(true);
    expect(isLessonDate('2026-02-30')).toBe(false);
    expect(isLessonDate('28/02/2026')).toBe(false);
  });
});

describe('rendering', () => {
  it('makes state text safe for Markdown: no escape sequences, pipes and HTML escaped', () => {
    expect(md('a | b\u001b[2J<script>\nc')).toBe('a \\| b&lt;script> c');
  });

  it('renders the report from the replayed history', () => {
    const snap = team({
      id: 'crew',
      teammates: [teammate({ id: 'tm_x' })],
      messages: [{ sequence: 1, timestamp: iso(T0), from: 'lead', to: 'tm_x', payload: 'pipe | here', ack_required: true }],
    });
    const dir = tempDir();
    dirs.push(dir);
    mkdirSync(join(dir, 'x'));
    const spans = alertHistory(snap, [], DEFAULT_THRESHOLDS, T0 + 60 * S);
    const timeline = buildTimeline(snap, [], spans);
    const input: ReportInput = { team: snap, actions: [], spans, timeline, generatedAt: T0 + 60 * S, repo: null, gitLog: null, copied: [], notes: [] };
    const tl = renderTimeline(snap, timeline);
    expect(tl).toContain('| 2026-02-28 14:00:00Z | message | lead | #1 to tm_x (ack required): pipe \\| here |');
    expect(tl).toContain('| 2026-02-28 14:00:30Z | ⚠ **ALERT BEGAN** message-unacked | system | MED 1 message to tm_x unacknowledged past the timeout (seq 1) |');
    const pm = renderPostmortem(input);
    expect(pm).toContain('- Answer (from the evidence): 1 message to tm_x unacknowledged past the timeout (seq 1)');
    expect(pm).toContain('### message-unacked (Communication)');
    expect(buildSummary(input)).toMatchObject({
      team: 'crew', duration_minutes: 0.5, alerts_by_kind: { 'message-unacked': 1 },
      alerts_by_severity: { critical: 0, high: 0, medium: 1, low: 0 },
      time_to_recover: [{ alert: 'message-unacked:tm_x', began: iso(T0 + 30 * S), cleared: null, minutes: null, addressed_by: null }],
    });
  });
});

describe('addressedBy prefers the suggested recovery', () => {
  it('picks a suggested action aimed at the subject over an earlier action that merely mentions it', () => {
    const rec = (time: number, action: string, args: Record<string, unknown>, line: number) =>
      ({ time, action, team: 't', args, plan: [], result: 'ok', effects: [], error: null, before: null, line });
    const actions = [
      rec(2000, 'break-cycle', { edge: 'A:B', note: 'tells tm_reviewer' }, 1),
      rec(3000, 'resend', { target: 'tm_reviewer' }, 2),
    ];
    const span = { began: 1000, cleared: null, subject: ['tm_reviewer', '19'], actions: ['resend', 'wake'] as const };
    expect(addressedBy(span as never, actions as never)?.action).toBe('resend');
    // Without a suggested one, the first action naming the subject still counts.
    expect(addressedBy({ ...span, actions: ['wake'] } as never, actions as never)?.action).toBe('break-cycle');
  });
});
