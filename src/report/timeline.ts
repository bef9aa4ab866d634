// The team's history as one chronological list: mailbox messages, events.jsonl, teamtop's own
// actions (actions.jsonl) and the moments alerts began and cleared (from the replayed alert
// history). Pure: the data for the post-mortem report and for the TUI's timeline view. Every
// `details` is one sanitized line.
import type { Message, Severity, Task, TeamEvent, Teammate } from '../model/types.js';
import type { TeamSnapshot } from '../model/snapshot.js';
import { describeEffect } from '../actions/describe.js';
import { type Effect } from '../ports/effects.js';
import { formatAge } from '../model/time.js';

import type { ActionRecord } from './actions-log.js';
import { timedEvents, timedMessages, type AlertSpan } from './replay.js';
import { clip, payloadLine, safeLine, sanitize, shownId } from '../safety/sanitize.js';
import { SEVERITY_LABEL } from '../model/types.js';

export type TimelineKind = 'message' | 'event' | 'action' | 'alert-began' | 'alert-cleared';

export interface TimelineEntry {
  /** Epoch ms. */
  time: number;
  kind: TimelineKind;
  /** Who did it: the sender, the teammate an event names ('system' otherwise), the lead for actions, 'system' for alerts. */
  actor: string;
  /** A short name: the message type, event type, action name or alert kind. */
  event: string;
  /** One safe line. */
  details: string;
  /** Teammate ids concerned (sender and recipients, the teammate an event or action names, the owners of tasks named). */
  teammates: string[];
  /** Message entries: the sequence. */
  sequence?: number;
  /** Alert entries: the span id and severity. */
  alert?: string;
  severity?: Severity;
}

/** Same time: events, then messages, then actions, then alerts (began before cleared). */
const KIND_ORDER: Record<TimelineKind, number> = { event: 0, message: 1, action: 2, 'alert-began': 3, 'alert-cleared': 4 };
const DETAILS_MAX = 200;

const uniq = (xs: Array<string | null | undefined>): string[] => [...new Set(xs.filter((x): x is string => typeof x === 'string' && x !== ''))];

function messageEntry(team: TeamSnapshot, m: Message, time: number): TimelineEntry {
  const to = m.to === 'all' ? 'all' : m.to.map(shownId).join(', ');
  const parts: string[] = [`#${m.sequence} to ${to || '?'}`];
  const flags = [...(m.priority && m.priority !== 'normal' ? [m.priority] : []), ...team.format.messageFlags(m)];
  if (flags.length) parts[0] += ` (${flags.join(', ')})`;
  if (m.ackSequences.length) parts.push(`acknowledges #${m.ackSequences.join(', #')}`);
  if (m.resendingSequences.length) parts.push(`resends #${m.resendingSequences.join(', #')}`);
  const state = team.format.messageState(m);
  if (state) parts.push(state);
  // What the format made readable of the message comes first (a protocol message says what it asks).
  let text = m.text ?? payloadLine(m.payload);
  if (!text && m.protocol) {
    // A Claude Code protocol message without a summary: its own fields say what it was.
    text = Object.entries(m.protocol).filter(([k, v]) => k !== 'type' && v !== null && v !== undefined && v !== '')
      .map(([k, v]) => `${k}=${clip(safeLine(v), 80)}`).join(' ');
  }
  const recipients = m.to === 'all' ? team.teammates.map((t) => t.id) : m.to;
  return {
    time, kind: 'message', actor: m.from ? shownId(m.from) : '?', event: sanitize(m.type),
    details: clip(sanitize(`${parts.join('; ')}${text ? `: ${text}` : ''}`), DETAILS_MAX),
    teammates: uniq([m.from, ...recipients]), sequence: m.sequence,
  };
}

function eventEntry(e: TeamEvent, time: number): TimelineEntry {
  const who = typeof e.data.teammate === 'string' ? e.data.teammate : null;
  const others = Array.isArray(e.data.teammates) ? e.data.teammates.filter((x): x is string => typeof x === 'string') : [];
  const details = Object.entries(e.data)
    .filter(([k, v]) => k !== 'teammate' && v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${clip(safeLine(v), 80)}`)
    .join(' ');
  return {
    time, kind: 'event', actor: who !== null ? shownId(who) : 'system', event: sanitize(e.type),
    details: clip(sanitize(details), DETAILS_MAX), teammates: uniq([who, ...others]),
  };
}

function describe(e: unknown): string {
  try {
    if (e && typeof e === 'object' && typeof (e as { kind?: unknown }).kind === 'string') return describeEffect(e as Effect);
  } catch {
    // a malformed effect: fall through
  }
  return safeLine(e);
}

/** Teammates an action concerns: its target and new owner (a task's owner when the target is a task), and those its effects name. */
/** The team's tasks by id (the first of a duplicated id, like find() would), built once per task list. */
const taskIndexes = new WeakMap<readonly Task[], Map<string, Task>>();
function taskById(team: TeamSnapshot): Map<string, Task> {
  let m = taskIndexes.get(team.tasks);
  if (!m) {
    m = new Map();
    for (const t of team.tasks) if (!m.has(t.id)) m.set(t.id, t);
    taskIndexes.set(team.tasks, m);
  }
  return m;
}

/** The ids of the team's teammates and its lead, built once per teammate list (and lead). */
const peopleIndexes = new WeakMap<readonly Teammate[], { lead: string | null; ids: Set<string> }>();
function peopleOf(team: TeamSnapshot): Set<string> {
  const lead = team.info.lead.id;
  let hit = peopleIndexes.get(team.teammates);
  if (!hit || hit.lead !== lead) {
    hit = { lead, ids: new Set([...team.teammates.map((t) => t.id), ...(lead ? [lead] : [])]) };
    peopleIndexes.set(team.teammates, hit);
  }
  return hit.ids;
}

function actionTeammates(team: TeamSnapshot, r: ActionRecord): string[] {
  const ids: Array<string | null | undefined> = [];
  const tasks = taskById(team);
  const teammate = (id: unknown): void => {
    if (typeof id !== 'string') return;
    const task = tasks.get(id);
    if (task) ids.push(task.owner);
    else ids.push(id);
  };
  teammate(r.args.target);
  teammate(r.args.to);
  for (const e of r.plan) {
    if (!e || typeof e !== 'object') continue;
    const o = e as Record<string, unknown>;
    if (typeof o.teammateId === 'string') ids.push(o.teammateId);
    if (typeof o.taskId === 'string') teammate(o.taskId);
    const msg = o.message as { to?: unknown } | undefined;
    if (msg && typeof msg === 'object') {
      if (typeof msg.to === 'string' && msg.to !== 'all') ids.push(msg.to);
      if (Array.isArray(msg.to)) for (const x of msg.to) if (typeof x === 'string') ids.push(x);
    }
    const set = o.set as { owner?: unknown } | undefined;
    if (set && typeof set === 'object' && typeof set.owner === 'string') ids.push(set.owner);
  }
  return uniq(ids);
}

function actionEntry(team: TeamSnapshot, r: ActionRecord): TimelineEntry {
  const a = r.args;
  const head: string[] = [];
  if (typeof a.target === 'string') head.push(a.target);
  if (typeof a.to === 'string') head.push(`→ ${a.to}`);
  if (typeof a.edge === 'string') head.push(`edge ${a.edge}`);
  if (typeof a.reason === 'string') head.push(`reason: ${a.reason}`);
  let details = `${head.length ? `${head.join(' ')}: ` : ''}${r.result ?? 'recorded'}${r.error ? ` (${r.error})` : ''}`;
  if (r.plan.length) details += ` — ${describe(r.plan[0])}${r.plan.length > 1 ? ` (+${r.plan.length - 1} more)` : ''}`;
  return {
    time: r.time, kind: 'action', actor: shownId(team.info.lead.id ?? 'lead'), event: sanitize(r.action),
    details: clip(sanitize(details), DETAILS_MAX), teammates: actionTeammates(team, r),
  };
}

/** Teammates an alert is about: subject ids that are teammates (or the lead), the owners of subject tasks, and the teammate its evidence names. */
export function alertTeammates(team: TeamSnapshot, span: Pick<AlertSpan, 'subject' | 'evidence'>): string[] {
  // Built once per team, not per alert: a team can have thousands of teammates and of alerts.
  const people = peopleOf(team);
  const ids: Array<string | null> = [];
  // A map, not a scan per subject id: a subject can list thousands of sequences.
  const tasks = taskById(team);
  for (const s of span.subject) {
    if (people.has(s)) ids.push(s);
    const task = tasks.get(s);
    if (task) ids.push(task.owner);
  }
  for (const k of ['recipient', 'teammate']) {
    const v = span.evidence[k];
    if (typeof v === 'string') ids.push(v);
  }
  return uniq(ids);
}

/** "wake tm_x at 14:32:10Z" */
export function describeAction(r: ActionRecord): string {
  const target = typeof r.args.target === 'string' ? ` ${r.args.target}` : '';
  return sanitize(`${r.action}${target} at ${new Date(r.time).toISOString().slice(11, 19)}Z`);
}

function alertEntries(team: TeamSnapshot, s: AlertSpan): TimelineEntry[] {
  const teammates = alertTeammates(team, s);
  const out: TimelineEntry[] = [{
    time: s.began, kind: 'alert-began', actor: 'system', event: s.kind,
    details: clip(sanitize(`${SEVERITY_LABEL[s.severity]} ${s.summary}`), DETAILS_MAX), teammates, alert: s.id, severity: s.severity,
  }];
  if (s.cleared !== null) {
    const by = s.addressed_by ? `addressed by ${describeAction(s.addressed_by)}` : 'no action recorded';
    out.push({
      time: s.cleared, kind: 'alert-cleared', actor: 'system', event: s.kind,
      details: clip(sanitize(`cleared after ${formatAge(s.cleared - s.began)} (${by}): ${s.summary}`), DETAILS_MAX), teammates, alert: s.id, severity: s.severity,
    });
  }
  return out;
}

/**
 * Messages, events, actions and alert begin/clear marks in time order. Equal times: events,
 * messages, actions, alerts; within a kind, the order of the files (alerts: the history's order).
 * Messages and events without a timestamp take the time of the line before them; in a log with no
 * times at all they are left out.
 */
export function buildTimeline(team: TeamSnapshot, actions: readonly ActionRecord[], alertHistory: readonly AlertSpan[]): TimelineEntry[] {
  const keyed: Array<{ e: TimelineEntry; i: number }> = [];
  let i = 0;
  for (const { item, time } of timedEvents(team)) if (time !== null) keyed.push({ e: eventEntry(item, time), i: i++ });
  for (const { item, time } of timedMessages(team)) if (time !== null) keyed.push({ e: messageEntry(team, item, time), i: i++ });
  for (const r of actions) keyed.push({ e: actionEntry(team, r), i: i++ });
  for (const s of alertHistory) for (const e of alertEntries(team, s)) keyed.push({ e, i: i++ });
  keyed.sort((a, b) => a.e.time - b.e.time || KIND_ORDER[a.e.kind] - KIND_ORDER[b.e.kind] || a.i - b.i);
  return keyed.map((k) => k.e);
}

/** The entries that concern one teammate (named among the teammates, or the actor), by its id as it is. */
export function filterTimeline(entries: readonly TimelineEntry[], teammateId: string): TimelineEntry[] {
  const shown = shownId(teammateId);
  return entries.filter((e) => e.teammates.includes(teammateId) || e.actor === shown);
}
