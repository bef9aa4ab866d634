// teammate-failed: the teammate's latest idle notification says it stopped on an error
// (Claude Code's idle_notification with idleReason "failed", e.g. an API error) or that the task
// it finished failed (completedStatus "failed", with failureReason). Critical: it is not coming
// back to it by itself.
import { makeAlert, type Alert, type Detector } from '../types.js';
import type { Message } from '../../model/types.js';
import { shownId } from '../../safety/sanitize.js';

export const teammateFailed: Detector = ({ team }) => {
  const latest = new Map<string, Message>();
  for (const m of team.mailbox.recent) {
    if (m.protocol?.type !== 'idle_notification' || !m.from) continue;
    const prev = latest.get(m.from);
    if (!prev || (m.timestamp ?? 0) >= (prev.timestamp ?? 0)) latest.set(m.from, m);
  }
  const out: Alert[] = [];
  for (const [who, m] of latest) {
    const p = m.protocol!;
    const stopped = p.idleReason === 'failed';
    const taskFailed = p.completedStatus === 'failed';
    if (!stopped && !taskFailed) continue;
    const reason = typeof p.failureReason === 'string' ? p.failureReason : null;
    const task = typeof p.completedTaskId === 'string' || typeof p.completedTaskId === 'number' ? String(p.completedTaskId) : null;
    const what = stopped ? 'stopped on an error' : `failed task ${task !== null ? shownId(task) : '(unnamed)'}`;
    out.push(makeAlert({
      kind: 'teammate-failed', severity: 'critical', subject: [who],
      summary: `${shownId(who)} ${what}${reason ? `: ${reason}` : ''}`,
      evidence: {
        teammate: who, idle_reason: p.idleReason ?? null, completed_status: p.completedStatus ?? null, task, failure_reason: reason,
        at: m.timestamp === null ? null : new Date(m.timestamp).toISOString(), message: m.sequence,
      },
      since: m.timestamp,
      workflow: 'The teammate stopped on an error and will not resume by itself: reassign its task (R), or wake it (w) to retry if the cause was transient.',
      actions: ['reassign', 'wake'],
    }));
  }
  return out;
};
