// teammate-failed: the teammate's latest idle notification says it stopped on an error
// (Claude Code's idle_notification with idleReason "failed", e.g. an API error). Critical: it is
// not coming back by itself.
import { makeAlert, type Alert, type Detector } from '../types.js';
import type { Message } from '../../model/types.js';

export const teammateFailed: Detector = ({ team }) => {
  const latest = new Map<string, Message>();
  for (const m of team.mailbox.recent) {
    if (m.protocol?.type !== 'idle_notification' || !m.from) continue;
    const prev = latest.get(m.from);
    if (!prev || (m.timestamp ?? 0) >= (prev.timestamp ?? 0)) latest.set(m.from, m);
  }
  const out: Alert[] = [];
  for (const [who, m] of latest) {
    if (m.protocol!.idleReason !== 'failed') continue;
    const reason = typeof m.protocol!.failureReason === 'string' ? m.protocol!.failureReason : null;
    out.push(makeAlert({
      kind: 'teammate-failed', severity: 'critical', subject: [who],
      summary: `${who} stopped on an error${reason ? `: ${reason}` : ''}`,
      evidence: {
        teammate: who, idle_reason: 'failed', failure_reason: reason,
        at: m.timestamp === null ? null : new Date(m.timestamp).toISOString(), message: m.sequence,
      },
      since: m.timestamp,
      workflow: 'The teammate stopped on an error and will not resume by itself: reassign its task (R), or wake it (w) to retry if the cause was transient.',
      actions: ['reassign', 'wake'],
    }));
  }
  return out;
};
