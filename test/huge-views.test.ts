// The views and the model on inputs of any size or depth: detail views, the timeline and the
// post-mortem never spread a list from the state into a call (a stack overflow past ~10^5
// elements), never JSON.stringify a value nested deeper than the stack allows, and the key
// reducer and the mailbox aggregates never recurse without bound.
import { describe, expect, it } from 'vitest';
import type { Key } from 'ink';
import { DEFAULT_THRESHOLDS } from '../src/model/thresholds.js';
import { makeAlert } from '../src/alerts/types.js';
import { alertDetail, messageDetail, taskDetail, teammateDetail } from '../src/tui/details.js';
import { messageCells, messageSearch, taskCells } from '../src/tui/panes.js';
import { timelineLines } from '../src/tui/history-view.js';
import { initialViewState, type ViewContext } from '../src/tui/view-state.js';
import { reduceKey } from '../src/tui/key-chunks.js';
import { jsonText, limitDepth, MAX_DEPTH } from '../src/safety/json-text.js';
import { alertTeammates, buildTimeline, type TimelineEntry } from '../src/report/timeline.js';
import { renderPostmortem, renderTimeline } from '../src/report/render.js';
import { type ReportInput } from '../src/report/markdown.js';
import type { AlertSpan } from '../src/report/replay.js';
import { mentions } from '../src/report/addressed.js';
import { MailboxAggregator } from '../src/model/mailbox-aggregator.js';
import type { Message, Task, TeamEvent } from '../src/model/types.js';
import { team, teammate, task } from './helpers/model.js';

const T0 = Date.parse('2026-02-28T10:00:00Z');
const BIG = 300_000;

function msg(sequence: number, extra: Partial<Message> = {}): Message {
  return {
    sequence, timestamp: T0 + sequence, from: 'lead', to: ['tm'], type: 'message', priority: null, payload: 'x', ackSequences: [],
    ackRequired: false, timeoutMs: null, resendingSequences: [], line: sequence, protocol: null, extra: {}, ...extra,
  };
}

/** A value nested `depth` arrays deep, built without recursion. */
function deep(depth: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { k: v };
  return v;
}

const manyLines = Array.from({ length: BIG }, (_, i) => `line ${i}`).join('\n');

describe('detail views with 10^5 lines', { timeout: 60_000 }, () => {
  it('an alert whose evidence holds a value of 300,000 lines, and 300,000 evidence fields', () => {
    const a = makeAlert({ kind: 'x', severity: 'high', subject: ['s'], summary: 's', evidence: { big: manyLines, list: Array.from({ length: BIG }, (_, i) => i) }, since: null, workflow: 'w' });
    const lines = alertDetail(a, T0);
    // The 300,000-line value on lines of its own; the list of 300,000 numbers on one line.
    expect(lines.length).toBeGreaterThan(BIG);
    expect(lines.some((l) => l.text.startsWith('  list: 0, 1, 2'))).toBe(true);
    const wide: Record<string, unknown> = {};
    for (let i = 0; i < BIG; i++) wide[`k${i}`] = i;
    expect(alertDetail({ ...a, evidence: wide }, T0).length).toBeGreaterThan(BIG);
  });

  it('a message with a payload of 300,000 lines, and with 300,000 unknown fields', () => {
    const tm = team({ teammates: [teammate({ id: 'tm' })] });
    expect(messageDetail(msg(1, { payload: manyLines }), tm, T0, DEFAULT_THRESHOLDS).length).toBeGreaterThan(BIG);
    const extra: Record<string, unknown> = {};
    for (let i = 0; i < BIG; i++) extra[`f${i}`] = i;
    expect(messageDetail(msg(1, { extra }), tm, T0, DEFAULT_THRESHOLDS).length).toBeGreaterThan(BIG);
  });

  it('a teammate with a field of 300,000 lines; a task waiting on 300,000 tasks and waited on by as many', () => {
    const tm = teammate({ id: 'tm', extra: { notes: manyLines } });
    expect(teammateDetail(tm, team({ teammates: [tm] }), T0).length).toBeGreaterThan(BIG);
    const deps = Array.from({ length: BIG }, (_, i) => `D${i}`);
    const t = task({ id: 'T', dependsOn: deps });
    const waiting: Task[] = Array.from({ length: BIG }, (_, i) => task({ id: `W${i}`, dependsOn: ['T'] }));
    expect(taskDetail(t, team({ tasks: [t, ...waiting] })).length).toBeGreaterThan(2 * BIG);
  });

  it('a task row waiting on 300,000 tasks', () => {
    const deps = Array.from({ length: BIG }, (_, i) => `D${i}`);
    const byId = new Map(deps.map((id, i) => [id, task({ id, status: i % 2 ? 'completed' : 'pending' })]));
    const cells = taskCells(task({ id: 'T', dependsOn: deps }), byId);
    expect(String((cells.waits as { text: string }).text).split(',')).toHaveLength(BIG);
  });
});

describe('values nested deeper than JSON.stringify can go', () => {
  const DEPTH = 200_000;
  it('are cut at MAX_DEPTH with a mark, never throwing', () => {
    expect(() => JSON.stringify(deep(DEPTH))).toThrow(/call stack/);
    const text = jsonText(deep(DEPTH));
    expect(text).toContain('"…"');
    expect(text.length).toBeLessThan(1000);
    // Shallow values are left as they are.
    const shallow = { a: [1, { b: 2 }], __proto__x: 1 };
    expect(limitDepth(shallow)).toBe(shallow);
    expect(jsonText(deep(MAX_DEPTH))).not.toContain('…');
    // A "__proto__" key from a file stays data.
    const odd = JSON.parse(`{"__proto__": {"polluted": true}, "d": ${JSON.stringify(deep(MAX_DEPTH + 5))}}`) as unknown;
    expect(jsonText(odd)).toContain('"__proto__":{"polluted":true}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('in a mailbox row, a message detail, a teammate detail and the timeline', () => {
    const tm = team({ teammates: [teammate({ id: 'tm', extra: { deep: deep(DEPTH) } })] });
    const m = msg(1, { payload: deep(DEPTH), extra: { meta: deep(DEPTH) } });
    expect(String(messageCells(m, tm, T0, DEFAULT_THRESHOLDS).payload)).toContain('…');
    expect(messageSearch(m)).toContain('…');
    expect(messageCells(msg(2, { protocol: { type: 'x', deep: deep(DEPTH) } }), tm, T0, DEFAULT_THRESHOLDS).payload).toContain('…');
    expect(messageDetail(m, tm, T0, DEFAULT_THRESHOLDS).some((l) => l.text.includes('…'))).toBe(true);
    expect(teammateDetail(tm.teammates[0]!, tm, T0).some((l) => l.text.includes('…'))).toBe(true);
    const events: TeamEvent[] = [{ timestamp: T0, type: 'build', line: 1, data: { result: 'failure', error: deep(DEPTH) } }];
    const withMail = team({ ...tm, events, mailbox: { ...tm.mailbox, recent: [m] } });
    const timeline = buildTimeline(withMail, [{ time: T0, action: 'wake', team: 'team', args: { target: deep(DEPTH) }, plan: [deep(DEPTH)], result: 'ok', effects: [], error: null, line: 1 }], []);
    expect(timeline).toHaveLength(3);
    for (const e of timeline) expect(e.details.length).toBeLessThanOrEqual(200);
  });
});

describe('the timeline and the post-mortem with 10^5 entries', { timeout: 60_000 }, () => {
  const entries: TimelineEntry[] = Array.from({ length: 200_000 }, (_, i) => ({
    time: T0 + i, kind: 'message', actor: 'lead', event: 'message', details: `#${i}`, teammates: ['tm'], sequence: i,
  }));

  it('timeline.md and the timeline view', () => {
    const md = renderTimeline(team(), entries);
    expect(md.split('\n').length).toBeGreaterThan(200_000);
    expect(timelineLines(entries)).toHaveLength(200_000);
  });

  it('postmortem.md with an alert of 200,000 evidence fields and 200,000 subject ids', () => {
    const evidence: Record<string, unknown> = {};
    for (let i = 0; i < 200_000; i++) evidence[`k${i}`] = i;
    const subject = Array.from({ length: 200_000 }, (_, i) => String(i));
    const span: AlertSpan = {
      ...makeAlert({ kind: 'message-unacked', severity: 'high', subject: ['tm', ...subject], summary: 's', evidence, since: T0, workflow: 'w' }),
      alertIds: ['a'], began: T0, cleared: null, addressed_by: null, time_to_recover_ms: null,
    };
    const input: ReportInput = {
      team: team({ tasks: Array.from({ length: 20_000 }, (_, i) => task({ id: `task${i}` })) }),
      actions: [], spans: [span], timeline: entries, generatedAt: T0 + 1e6, repo: null, gitLog: null, copied: [], notes: [],
    };
    const md = renderPostmortem(input);
    expect(md).toContain('k199999');
  });

  it('the teammates of an alert naming 200,000 ids in a team of 100,000 tasks (a map, not a scan per id)', () => {
    const tasks = Array.from({ length: 100_000 }, (_, i) => task({ id: `task${i}`, owner: `tm${i}` }));
    const subject = ['tm', ...Array.from({ length: 200_000 }, (_, i) => String(i)), 'task99999'];
    expect(alertTeammates(team({ tasks, teammates: [teammate({ id: 'tm' })] }), { subject, evidence: {} })).toEqual(['tm', 'tm99999']);
  });

  it('an action record checked against a subject of 200,000 ids', () => {
    const subject = Array.from({ length: 200_000 }, (_, i) => String(i));
    const plan = Array.from({ length: 1000 }, (_, i) => ({ kind: 'append-message', note: `n${i}` }));
    const r = { time: T0, action: 'resend', team: 't', args: { target: 'tm' }, plan, result: 'ok', effects: [], error: null, line: 1 };
    expect(mentions(r, subject)).toBe(false);
    expect(mentions(r, [...subject, 'tm'])).toBe(true);
  });
});

describe('the key reducer', () => {
  const ctx: ViewContext = {
    counts: { teammates: 5, tasks: 3, mailbox: 50, alerts: 0 },
    pageSize: { teammates: 3, tasks: 3, mailbox: 10, alerts: 3 },
    teamCount: 1,
  };
  const key = {
    upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
    return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
    super: false, hyper: false, capsLock: false, numLock: false,
  } as Key;

  it.each(['😀', '𝒳', '\u{20000}', 'j😀j', '😀😀'])('a key outside a prompt that is one astral character (%s) is one key, not an endless recursion', (input) => {
    const s = reduceKey(initialViewState(), input, key, ctx);
    expect(s.selected.teammates).toBe((input.match(/j/g) ?? []).length);
  });

  it('a paste of 300,000 keys costs no stack', () => {
    const s = reduceKey(initialViewState(), 'jk'.repeat(BIG / 2), key, ctx);
    expect(s.selected.teammates).toBe(0);
  });

  it('a paste that opens the filter types the rest into it, astral characters included', () => {
    const s = reduceKey(initialViewState(), '/ab😀c', key, ctx);
    expect(s.editing?.draft).toBe('ab😀c');
  });
});

describe('mailbox aggregates: acknowledging resend batches', { timeout: 60_000 }, () => {
  const ask = (sequence: number, extra: Partial<Message> = {}): Message => msg(sequence, { ackRequired: true, ...extra });
  const ack = (sequence: number, of: number, from: string | null = 'tm'): Message => msg(sequence, { type: 'ack', from, to: ['lead'], ackSequences: [of] });

  it('a chain of 200,000 resend batches, each resending the one before: one ack clears them all', () => {
    const a = new MailboxAggregator();
    const n = 200_000;
    a.add(ask(1));
    for (let s = 2; s <= n; s++) a.add(ask(s, { type: 'resend_batch', resendingSequences: [s - 1] }));
    expect(a.snapshot().unacked.get('tm')).toHaveLength(n);
    a.add(ack(n + 1, n));
    expect(a.snapshot().unacked.get('tm') ?? []).toHaveLength(0);
    expect(a.snapshot().lastAckedSeq.get('tm')).toBe(n);
  });

  it('batches that resend each other, to two recipients: an ack from one recipient ends (no endless recursion)', () => {
    const a = new MailboxAggregator();
    a.add(ask(1, { to: ['x', 'y'], type: 'resend_batch', resendingSequences: [2] }));
    a.add(ask(2, { to: ['x', 'y'], type: 'resend_batch', resendingSequences: [1] }));
    a.add(ack(3, 1, 'x'));
    let snap = a.snapshot();
    expect(snap.unacked.get('x') ?? []).toHaveLength(0);
    expect(snap.unacked.get('y')!.map((p) => p.sequence)).toEqual([1, 2]);
    a.add(ack(4, 2, 'y'));
    snap = a.snapshot();
    expect(snap.unacked.size === 0 || [...snap.unacked.values()].every((l) => l.length === 0)).toBe(true);
  });

  it('a resend batch naming 200,000 messages, and an ack naming them all', () => {
    const a = new MailboxAggregator();
    const n = 200_000;
    for (let s = 1; s <= n; s++) a.add(ask(s));
    a.add(ask(n + 1, { type: 'resend_batch', resendingSequences: Array.from({ length: n }, (_, i) => i + 1) }));
    a.add(ack(n + 2, n + 1));
    expect(a.snapshot().unacked.get('tm') ?? []).toHaveLength(0);
  });
});

