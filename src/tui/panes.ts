// What each pane lists and how a row reads: columns, cells, colours and filter text. Pure
// functions of (team, alerts, now), so panes are tested without a terminal.
import type { Message, Task, Teammate, AckState, PendingAck } from '../model/types.js';
import type { TeamSnapshot } from '../model/snapshot.js';
import { isUnfinished, SEVERITY_LABEL } from '../model/types.js';
import type { Alert } from '../alerts/types.js';
import type { Thresholds } from '../model/thresholds.js';
import { heartbeatBracket, type Bracket } from '../alerts/detectors/heartbeat.js';
import { contextPercent } from '../alerts/detectors/context.js';
import { formatAge, formatClock } from '../model/time.js';
import { contextMaxOf } from '../model/context-window.js';
import { currentTaskOf, unansweredTo } from '../model/teammate-facts.js';

import { wrapLine, type Column, type Segment } from './columns.js';
import { BROADCAST } from '../model/mailbox-aggregator.js';
import { payloadLine, sanitize, sanitizePrefix, shownId } from '../safety/sanitize.js';
import { jsonText } from '../safety/json-text.js';

export const BRACKET_COLOR: Record<Bracket, string> = {
  online: 'green', idle: 'yellow', stale: '#ff8700', dead: 'red', unknown: 'gray',
};
export const SEVERITY_COLOR: Record<string, string> = {
  critical: 'red', high: '#ff8700', medium: 'yellow', low: 'cyan',
};

// ---------- Teammates ----------
export const TEAMMATE_COLUMNS: Column[] = [
  { id: 'id', title: 'TEAMMATE', min: 10, max: 28 },
  { id: 'status', title: 'STATUS', min: 8, max: 16, drop: 2 },
  { id: 'age', title: 'AGE', min: 6, max: 8, align: 'right' },
  { id: 'ctx', title: 'CONTEXT', min: 10, max: 10 },
  { id: 'task', title: 'TASK', min: 8, flex: 1, drop: 1 },
  { id: 'pend', title: 'PEND', min: 4, max: 6, align: 'right', drop: 3 },
];

export function teammateLabel(t: Teammate): string {
  return t.name && t.name !== t.id ? `${shownId(t.id)} (${t.name})` : shownId(t.id);
}

export function contextCell(t: Teammate, has: boolean): Segment {
  if (!has) return { text: 'n/a', dim: true };
  const pct = contextPercent(t.contextUsed, t.contextMax);
  if (pct === null) return { text: '–', dim: true };
  const filled = Math.max(0, Math.min(5, Math.round(pct / 20)));
  const color = pct >= 95 ? 'red' : pct >= 80 ? 'yellow' : 'green';
  return { text: `${String(Math.round(pct)).padStart(3)}% ${'█'.repeat(filled)}${'░'.repeat(5 - filled)}`, color };
}

export function teammateCells(t: Teammate, team: TeamSnapshot, now: number, th: Thresholds): Record<string, string | Segment> {
  const age = t.lastHeartbeat === null ? null : now - t.lastHeartbeat;
  const b = t.activeNow ? 'online' : heartbeatBracket(age, th);
  const dead = t.liveness?.state === 'dead';
  return {
    id: teammateLabel(t),
    status: dead ? { text: 'dead', color: 'red' } : t.status ?? '',
    age: { text: t.activeNow ? 'active' : age === null ? '–' : formatAge(age), color: BRACKET_COLOR[dead ? 'dead' : b] },
    ctx: contextCell({ ...t, contextMax: contextMaxOf(t, th.contextWindows) }, team.capabilities.contextTokens),
    // What it is doing when it has no task: its last tool call.
    task: currentTaskOf(team, t) ?? (t.doing ? { text: `${t.doing.tool}${t.doing.arg ? ` ${t.doing.arg}` : ''}`, dim: true } : ''),
    // The unanswered messages the alerts count, not the teammate's own figure (stale after a resend).
    pend: String(unansweredTo(team, t)),
  };
}

export function teammateSearch(t: Teammate, team: TeamSnapshot): string {
  return [t.id, t.name, t.role, t.status, currentTaskOf(team, t)].filter(Boolean).join(' ');
}

// ---------- Tasks ----------
export const TASK_COLUMNS: Column[] = [
  { id: 'id', title: 'TASK', min: 8, max: 24 },
  { id: 'name', title: 'NAME', min: 10, flex: 1, drop: 1 },
  { id: 'owner', title: 'OWNER', min: 8, max: 24, drop: 2 },
  { id: 'status', title: 'STATUS', min: 11, max: 12 },
  { id: 'waits', title: 'WAITS ON', min: 8, max: 40 },
  { id: 'pct', title: '%', min: 4, max: 4, align: 'right', drop: 3 },
];

export const TASK_STATUS_COLOR: Record<string, string> = {
  pending: 'white', in_progress: 'cyan', blocked: 'red', on_hold: 'yellow', completed: 'green', deleted: 'gray',
};

export function taskCells(task: Task, byId: ReadonlyMap<string, Task>): Record<string, string | Segment> {
  const open = (d: string): boolean => {
    const dep = byId.get(d);
    return !dep || isUnfinished(dep);
  };
  const unfinished = task.dependsOn.filter(open);
  // What it still waits on first (a cut list then hides only finished ones), then the done ones.
  const waits = [...unfinished.map(shownId), ...task.dependsOn.filter((d) => !open(d)).map((d) => `✓${shownId(d)}`)].join(',');
  return {
    id: shownId(task.id),
    name: task.name ?? '',
    owner: task.owner === null ? '' : shownId(task.owner),
    status: { text: task.status, color: TASK_STATUS_COLOR[task.status] },
    waits: unfinished.length > 0 ? { text: waits, color: 'yellow', bold: true } : { text: waits, dim: true },
    pct: task.completionPercent === null ? '' : `${Math.round(task.completionPercent)}`,
  };
}

export function taskSearch(t: Task): string {
  return [t.id, t.name, t.owner, t.status, ...t.dependsOn].filter(Boolean).join(' ');
}

// ---------- Mailbox ----------
export const MAILBOX_COLUMNS: Column[] = [
  { id: 'seq', title: 'SEQ', min: 5, max: 16, align: 'right' },
  { id: 'time', title: 'TIME', min: 8, max: 8, drop: 2 },
  { id: 'route', title: 'FROM → TO', min: 12, max: 28 },
  { id: 'type', title: 'TYPE', min: 10, max: 24, drop: 1 },
  { id: 'pri', title: 'PRI', min: 6, max: 8, drop: 3 },
  { id: 'ack', title: 'ACK', min: 9, max: 9 },
  { id: 'payload', title: 'PAYLOAD', min: 10, flex: 1 },
];

export function recipientsText(m: Message): string {
  return m.to === 'all' ? 'all' : m.to.map(shownId).join(',') || '?';
}

/**
 * The sequences of a pending list as a set, built once per list (the aggregates make new lists for
 * each snapshot): ackState runs for every visible mailbox row on every frame, and a list can hold
 * any number of messages.
 */
const pendingSets = new WeakMap<readonly PendingAck[], Set<number>>();
function hasSequence(list: readonly PendingAck[] | undefined, seq: number): boolean {
  if (!list || list.length === 0) return false;
  let set = pendingSets.get(list);
  if (!set) {
    set = new Set();
    for (const p of list) set.add(p.sequence);
    pendingSets.set(list, set);
  }
  return set.has(seq);
}

/** Whether an ack-requiring message has been answered, is still within its time, or is overdue. */
export function ackState(m: Message, team: TeamSnapshot, now: number, th: Thresholds): AckState {
  if (!m.ackRequired) return 'none';
  const agg = team.mailbox.aggregates;
  const keys = m.to === 'all' ? [BROADCAST] : m.to;
  const pending = keys.some((k) => hasSequence(agg.unacked.get(k), m.sequence));
  if (!pending) return 'acked';
  if (m.timestamp === null) return 'awaiting';
  const limit = m.timeoutMs ?? th.ackTimeoutSeconds * 1000;
  return now - m.timestamp > limit ? 'timed-out' : 'awaiting';
}

const ACK_SEG: Record<AckState, Segment> = {
  none: { text: '' },
  acked: { text: 'acked', color: 'green' },
  awaiting: { text: 'awaiting', color: 'yellow' },
  'timed-out': { text: 'timed out', color: 'red', bold: true },
};

/**
 * How much of a payload a row looks at: a row is at most a few hundred columns wide, and a
 * teammate's megabyte payload must not be sanitized whole for every row of every frame.
 */
const ROW_TEXT_MAX = 1024;

/** What a message's row shows of it (the detail view shows it whole). */
export function payloadCell(m: Message): string {
  return payloadText(m, ROW_TEXT_MAX);
}

export function payloadText(m: Message, max = Infinity): string {
  const cut = (t: string): string => (max === Infinity ? sanitize(t) : sanitizePrefix(t, max));
  // A protocol message the format could read is shown as it reads; others as their fields.
  if (m.text) return cut(m.text);
  if (m.protocol) {
    const p = m.protocol;
    const parts = Object.entries(p).filter(([k]) => k !== 'type' && k !== 'from' && k !== 'timestamp')
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : jsonText(v)}`);
    return cut(parts.join(' '));
  }
  return payloadLine(m.payload, max);
}

export function messageCells(m: Message, team: TeamSnapshot, now: number, th: Thresholds): Record<string, string | Segment> {
  const pri = m.priority ?? '';
  return {
    seq: String(m.sequence),
    time: m.timestamp === null ? '' : formatClock(m.timestamp),
    route: `${m.from === null ? '?' : shownId(m.from)} → ${recipientsText(m)}${m.extra.stray === true ? ' (stray)' : ''}`,
    type: { text: m.type, color: m.type === 'ack' ? 'gray' : undefined },
    pri: { text: pri, color: pri === 'urgent' || pri === 'critical' ? 'red' : pri === 'high' ? 'yellow' : undefined },
    ack: ACK_SEG[ackState(m, team, now, th)],
    payload: payloadCell(m),
  };
}

export function messageSearch(m: Message): string {
  return [String(m.sequence), m.from, recipientsText(m), m.type, m.priority, payloadText(m)].filter(Boolean).join(' ');
}

// ---------- Alerts ----------
export const ALERT_COLUMNS: Column[] = [
  { id: 'sev', title: 'SEV', min: 4, max: 4 },
  { id: 'kind', title: 'KIND', min: 14, max: 30, drop: 1 },
  { id: 'summary', title: 'SUMMARY', min: 16, flex: 1 },
  { id: 'age', title: 'SINCE', min: 6, max: 8, align: 'right', drop: 2 },
];

export function alertCells(a: Alert, now: number): Record<string, string | Segment> {
  return {
    sev: { text: SEVERITY_LABEL[a.severity] ?? a.severity, color: SEVERITY_COLOR[a.severity], bold: a.severity === 'critical' },
    kind: { text: a.kind, color: SEVERITY_COLOR[a.severity] },
    summary: a.summary,
    // Not in the files: at least as long as teamtop has seen it.
    age: a.since !== null ? formatAge(now - a.since) : a.seenSince !== undefined ? `≥${formatAge(now - a.seenSince)}` : '',
  };
}

export function alertSearch(a: Alert): string {
  return [a.kind, a.severity, a.summary, ...a.subject].join(' ');
}

/** The filter matches the text as the pane shows it (sanitized), so what you see is what you can type. */
export function matchesFilter(text: string, filter: string): boolean {
  if (!filter) return true;
  return sanitize(text).toLowerCase().includes(needleOf(filter));
}

/** The filter as it is drawn (it is kept as typed: line-edit.ts), lower case; one filter is matched against every row. */
let needle = { filter: '', text: '' };
function needleOf(filter: string): string {
  if (needle.filter !== filter) needle = { filter, text: sanitize(filter).toLowerCase() };
  return needle.text;
}

// ---------- Empty panes ----------
/** The rows the Tasks pane's note takes when it has no rows, wrapped at `width` (what the layout asks for). */
export function tasksEmptyRows(team: TeamSnapshot | undefined, width: number): number {
  return tasksEmpty(team).split('\n').flatMap((l) => wrapLine(l, Math.max(10, width - 3))).length;
}

/** What the Tasks pane says when it has no rows: why, when the team's files have no tasks at all. */
export function tasksEmpty(team: TeamSnapshot | undefined): string {
  const why = team?.unavailable?.tasks;
  if (!why) return 'no tasks';
  return `${sanitize(why)}\nTask checks (cycles, deadlock, stuck and stale tasks) cannot run for this team.`;
}

/** What the Alerts pane says when it has no rows: never "all clear" while checks cannot run. */
export function alertsEmpty(team: TeamSnapshot | undefined, acked: number): string {
  const clear = acked ? 'nothing unacknowledged' : 'no alerts: all clear';
  return team?.unavailable?.tasks ? `${acked ? clear : 'no alerts'} (task checks unavailable: no task files)` : clear;
}
