// The aggregates of a mailbox in which every message waits for one answer that the format records
// on the message itself (Claude Code: `read: true`; oh-my-claudecode: `delivered_at`), set in
// `extra.read`. Fed messages in merged order, one at a time: the live team and the post-mortem
// replay count the same way.
import type { MailboxAccumulator } from '../model/snapshot.js';
import type { MailboxAggregates, Message, PendingAck } from '../model/types.js';

export class ReadAggregator implements MailboxAccumulator {
  private total = 0;
  private minSeq: number | null = null;
  private maxSeq: number | null = null;
  private lastTimestamp: number | null = null;
  private unread = new Map<string, PendingAck[]>();
  private lastRead = new Map<string, number>();

  add(m: Message): void {
    this.total++;
    if (m.timestamp !== null && (this.lastTimestamp === null || m.timestamp > this.lastTimestamp)) this.lastTimestamp = m.timestamp;
    this.minSeq = this.minSeq === null ? m.sequence : Math.min(this.minSeq, m.sequence);
    this.maxSeq = this.maxSeq === null ? m.sequence : Math.max(this.maxSeq, m.sequence);
    // A stray inbox (no member of that name) is read by nobody: never unread.
    if (m.extra.stray === true) return;
    for (const r of m.to === 'all' ? [] : m.to) {
      if (m.extra.read === true) this.lastRead.set(r, Math.max(this.lastRead.get(r) ?? 0, m.sequence));
      else {
        let l = this.unread.get(r);
        if (!l) this.unread.set(r, (l = []));
        l.push({ sequence: m.sequence, timestamp: m.timestamp, timeoutMs: null, type: m.type, from: m.from, ackedBy: [] });
      }
    }
  }

  snapshot(): MailboxAggregates {
    return {
      total: this.total, skipped: 0, minSequence: this.minSeq, maxSequence: this.maxSeq,
      gaps: [], missingCount: 0, duplicates: 0,
      unacked: new Map([...this.unread].map(([k, l]) => [k, l.slice()])),
      lastAckedSeq: new Map(this.lastRead),
      lastTimestamp: this.lastTimestamp,
    };
  }
}
