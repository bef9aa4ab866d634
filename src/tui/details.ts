// Detail views: the full record behind a row. Untrusted text is shown with reveal(), so escape
// sequences and control characters appear visibly (␛, \x9b) instead of acting on the terminal.
import type { Message, Task, Teammate } from '../model/types.js';
import type { TeamSnapshot } from '../model/snapshot.js';
import { isUnfinished } from '../model/types.js';
import { latestCheckpoint } from '../model/snapshot.js';
import { currentTaskOf, unansweredTo } from '../model/teammate-facts.js';
import type { Alert } from '../alerts/types.js';
import type { Thresholds } from '../model/thresholds.js';
import { formatAge, isoOrNull } from '../model/time.js';
import { reveal, shownId } from '../safety/sanitize.js';
import { ackState } from './panes.js';
import { jsonText } from '../safety/json-text.js';

export interface DetailLine {
  text: string;
  bold?: boolean;
  color?: string;
  /** Where a wrapped line's continuation starts (default: under the first line's indentation). */
  hang?: number;
}

const h = (text: string): DetailLine => ({ text, bold: true, color: 'cyan' });

/** Appends every line, one by one: never push(...lines), whose length comes from the state files. */
function append(out: DetailLine[], lines: readonly DetailLine[]): void {
  for (const l of lines) out.push(l);
}

function valueText(v: unknown): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'string') return v;
  return jsonText(v, 2);
}

/**
 * "key: value" lines; multi-line values are indented under their key. Keys can come from a file
 * too (unknown fields, evidence), so they are revealed like the values.
 */
function kv(pairs: Array<[string, unknown]>): DetailLine[] {
  const out: DetailLine[] = [];
  for (const [k, v] of pairs) {
    const lines = reveal(valueText(v)).split('\n');
    out.push({ text: `  ${reveal(k).replace(/\n/g, ' ')}: ${lines[0]}` });
    for (const l of lines.slice(1)) out.push({ text: `      ${l}` });
  }
  return out;
}

export function teammateDetail(t: Teammate, team: TeamSnapshot, now: number): DetailLine[] {
  const age = t.lastHeartbeat === null ? null : now - t.lastHeartbeat;
  const out: DetailLine[] = [h(`Teammate ${shownId(t.id)}`)];
  append(out, kv([
    ['name', t.name], ['role', t.role], ['status', t.status],
    ...(t.liveness ? [['alive', `${t.liveness.state} — ${t.liveness.signal}`] as [string, unknown]] : []),
    ['last activity', t.lastHeartbeat === null ? null : `${isoOrNull(t.lastHeartbeat)} (${formatAge(age!)} ago, from ${t.activitySignal})`],
    ['context', team.capabilities.contextTokens ? `${t.contextUsed ?? '–'} / ${t.contextMax ?? '–'} tokens` : 'n/a (the format has no token counts)'],
    ...(t.transcript !== undefined ? [
      ['transcript', t.transcript ? `${t.transcript.path} (matched by ${t.transcript.basis})` : 'none found'] as [string, unknown],
      ['model', t.transcript?.model ?? null] as [string, unknown],
      ['tokens so far', t.tokensTotal ?? null] as [string, unknown],
      ['doing', t.doing ? `${t.doing.tool}${t.doing.arg ? `: ${t.doing.arg}` : ''}${t.doing.at === null ? '' : ` (${formatAge(now - t.doing.at)} ago)`}` : null] as [string, unknown],
    ] : []),
    ['task', currentTaskOf(team, t)],
    ...(t.taskCurrent !== null && t.taskCurrent !== currentTaskOf(team, t) ? [['task it reports', `${t.taskCurrent} (no longer its own)`] as [string, unknown]] : []),
    ['task started', isoOrNull(t.taskStartedAt)],
    ['completion', t.completionPercent === null ? null : `${t.completionPercent}%`],
    ['messages unanswered', unansweredTo(team, t)],
    ...(t.messagesPending !== null && t.messagesPending !== unansweredTo(team, t) ? [['pending by its own count', t.messagesPending] as [string, unknown]] : []),
    ['last message seq', t.lastMessageSeq],
    ...Object.entries(t.extra),
  ]));
  const cp = latestCheckpoint(team, t.id);
  out.push({ text: '' }, h('Latest checkpoint'));
  if (!cp) out.push({ text: '  none' });
  else {
    append(out, kv([
      ['file', cp.file], ['checkpoint', cp.checkpointId], ['time', isoOrNull(cp.timestamp)], ['task', cp.taskId],
      ['completion', cp.completionPercent === null ? null : `${cp.completionPercent}%`],
      ['last action', cp.lastAction], ['next step', cp.nextStep], ['files modified', cp.filesModified], ['notes', cp.notes],
    ]));
  }
  return out;
}

export function taskDetail(task: Task, team: TeamSnapshot): DetailLine[] {
  const byId = new Map(team.tasks.map((t) => [t.id, t]));
  const dependents = team.tasks.filter((t) => t.dependsOn.includes(task.id));
  const dep = (id: string): string => {
    const d = byId.get(id);
    if (!d) return `  ${shownId(id)}  (unknown task)`;
    return `  ${shownId(id)}  ${d.status}${isUnfinished(d) ? '' : ' ✓'}  ${reveal(d.name ?? '')}`;
  };
  const out: DetailLine[] = [h(`Task ${shownId(task.id)}`)];
  append(out, kv([
    ['name', task.name], ['owner', task.owner], ['status', task.status], ['sequence', task.sequence],
    ['created', isoOrNull(task.createdAt)], ['started', isoOrNull(task.startedAt)], ['updated', isoOrNull(task.updatedAt)],
    ['completed', isoOrNull(task.completedAt)], ['expected minutes', task.expectedDurationMinutes],
    ['completion', task.completionPercent === null ? null : `${task.completionPercent}%`],
    ['blocking factor', task.blockingFactor], ['description', task.description],
    ...Object.entries(task.extra),
  ]));
  out.push({ text: '' }, h(`Waits on (${task.dependsOn.length})`));
  append(out, task.dependsOn.length ? task.dependsOn.map((d) => ({ text: dep(d) })) : [{ text: '  nothing' }]);
  out.push({ text: '' }, h(`Waited on by (${dependents.length})`));
  append(out, dependents.length ? dependents.map((d) => ({ text: dep(d.id) })) : [{ text: '  nothing' }]);
  if (task.deliverables) {
    out.push({ text: '' }, h('Deliverables'));
    for (const d of task.deliverables) out.push({ text: `  [${d.done ? 'x' : ' '}] ${reveal(d.text)}` });
  }
  return out;
}

export function messageDetail(m: Message, team: TeamSnapshot, now: number, th: Thresholds): DetailLine[] {
  const out: DetailLine[] = [h(`Message #${m.sequence}`)];
  append(out, kv([
    ['time', isoOrNull(m.timestamp)], ['from', m.from], ['to', m.to === 'all' ? 'all' : m.to.join(', ')],
    ['type', m.type], ['priority', m.priority], ['ack required', m.ackRequired],
    ['timeout', m.timeoutMs === null ? null : formatAge(m.timeoutMs)],
    ...(m.ackSequences.length ? [['acknowledges', m.ackSequences.join(', ')] as [string, unknown]] : []),
    ...(m.resendingSequences.length ? [['resending', m.resendingSequences.join(', ')] as [string, unknown]] : []),
    ...(m.text ? [['reads', m.text] as [string, unknown]] : []),
    ...(m.approval ? [['waits for', `the lead's answer to ${m.approval.kind} request ${m.approval.id}`] as [string, unknown]] : []),
    ...(m.protocol ? [['protocol message', m.protocol] as [string, unknown]] : []),
    ...Object.entries(m.extra),
  ]));
  out.push({ text: '' }, h('Payload'));
  // An object as its fields (a text field's lines as they are), anything else as it is.
  if (isRecord(m.payload) && Object.keys(m.payload).length > 0) append(out, aligned(Object.entries(m.payload)));
  else for (const l of reveal(valueText(m.payload)).split('\n')) out.push({ text: `  ${l}` });
  out.push({ text: '' }, h('Acknowledgement'));
  const state = ackState(m, team, now, th);
  if (state === 'none') out.push({ text: '  not requested' });
  else {
    const acks = team.mailbox.recent.filter((x) => x.ackSequences.includes(m.sequence));
    out.push({ text: `  ${state}` });
    for (const a of acks) out.push({ text: `  #${a.sequence} ${isoOrNull(a.timestamp) ?? ''} from ${reveal(a.from ?? '?')}` });
  }
  return out;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const scalar = (v: unknown): boolean => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** One value on one line where it can be: a list of plain values joined, anything deeper as compact JSON. */
function oneLine(v: unknown): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every(scalar)) return v.length ? v.map((x) => (x === null ? '–' : String(x))).join(', ') : '(none)';
  if (scalar(v)) return String(v);
  return jsonText(v);
}

/**
 * Key/value lines with the values in one column; an object's fields go on lines of their own,
 * indented under its key (two levels; deeper values are compact JSON).
 */
function aligned(pairs: Array<[string, unknown]>, indent = 2, depth = 0): DetailLine[] {
  const out: DetailLine[] = [];
  const keys = pairs.map(([k]) => reveal(k).replace(/\n/g, ' '));
  // A loop, not Math.max(...keys): the number of keys comes from a file.
  let w = 0;
  for (const k of keys) if (k.length + 1 > w) w = Math.min(28, k.length + 1);
  pairs.forEach(([, v], i) => {
    const key = `${keys[i]}:`;
    const pad = ' '.repeat(indent);
    if (isRecord(v) && depth < 2 && Object.keys(v).length > 0) {
      out.push({ text: `${pad}${key}` });
      append(out, aligned(Object.entries(v), indent + 2, depth + 1));
      return;
    }
    const lines = reveal(oneLine(v)).split('\n');
    out.push({ text: `${pad}${key.padEnd(w)} ${lines[0]}` });
    for (const l of lines.slice(1)) out.push({ text: `${pad}${' '.repeat(w + 1)}${l}` });
  });
  return out;
}

export function alertDetail(a: Alert, now: number): DetailLine[] {
  const out: DetailLine[] = [h(`${a.severity.toUpperCase()} ${a.kind}`)];
  out.push({ text: `  ${reveal(a.summary)}` });
  append(out, kv([
    ['id', shownId(a.id)], ['subject', a.subject.map(shownId).join(' → ')],
    ['since', a.since !== null ? `${isoOrNull(a.since)} (${formatAge(now - a.since)} ago)`
      : a.seenSince !== undefined ? `not in the state files (on screen for ${formatAge(now - a.seenSince)}; "Time to recover" below says when the history shows it began)` : 'not in the state files'],
  ]));
  out.push({ text: '' }, h('Evidence'));
  append(out, aligned(Object.entries(a.evidence)));
  out.push({ text: '' }, h('Suggested recovery'));
  out.push({ text: `  ${reveal(a.workflow)}` });
  return out;
}
