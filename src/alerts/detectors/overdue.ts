// Shared by message-unacked and network-partition: the messages that asked for an answer and
// are past their deadline (their own timeout, else 30 s; Claude Code teams: unread for 5 min),
// one entry per recipient still owing the answer. Broadcasts are expanded to the team.
import type { TeamSnapshot } from '../../model/snapshot.js';
import { BROADCAST } from '../../model/mailbox-aggregator.js';
import type { Thresholds } from '../../model/thresholds.js';

export interface Overdue {
  recipient: string;
  sequence: number;
  timestamp: number;
  timedOutAt: number;
  type: string;
  from: string | null;
}

export function overdueMessages(team: TeamSnapshot, now: number, t: Thresholds): Overdue[] {
  const out: Overdue[] = [];
  let teamIds: string[] | null = null;
  for (const [key, list] of team.mailbox.aggregates.unacked) {
    for (const e of list) {
      if (e.timestamp === null) continue;
      const limit = team.format.ackTimeoutMs(e, t);
      if (!(now - e.timestamp > limit)) continue;
      const entry = (recipient: string): Overdue => ({
        recipient, sequence: e.sequence, timestamp: e.timestamp!, timedOutAt: e.timestamp! + limit, type: e.type, from: e.from,
      });
      if (key !== BROADCAST) {
        out.push(entry(key));
        continue;
      }
      // A broadcast waits on every teammate but its sender and those who acknowledged it (each once).
      teamIds ??= [...new Set(team.teammates.map((tm) => tm.id))];
      const acked = e.ackedBy.length > 0 ? new Set(e.ackedBy) : null;
      for (const id of teamIds) if (id !== e.from && !acked?.has(id)) out.push(entry(id));
    }
  }
  return out.sort((a, b) => (a.recipient < b.recipient ? -1 : a.recipient > b.recipient ? 1 : a.sequence - b.sequence));
}
