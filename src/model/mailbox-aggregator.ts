// Keeps the facts detectors need about a mailbox up to date one message at a time, so a mailbox
// of a million lines costs the same to watch as one of a hundred: sequence coverage (for gaps
// and duplicates), the messages still waiting for an acknowledgement, and the last
// acknowledged sequence per recipient.
import type { MailboxAggregates, Message, PendingAck } from './types.js';

interface PendingEntry extends Omit<PendingAck, "ackedBy"> {
  recipients: string[] | 'all';
  ackedBy: Set<string>;
  resending: number[];
}

/** Key under which broadcast ("all") messages wait; detectors expand it to the team. */
export const BROADCAST = '*';
const MAX_GAP_RANGES = 200;
/** How many distinct duplicated sequences are named (the count covers them all). */
export const MAX_DUPLICATES_LISTED = 20;

/** The aggregates with the duplicated sequences named (the first MAX_DUPLICATES_LISTED distinct ones seen). */
export interface MailboxAggregatesWithDuplicates extends MailboxAggregates {
  duplicateSequences: number[];
  /** More distinct sequences are duplicated than duplicateSequences names. */
  duplicateSequencesTruncated: boolean;
}

/**
 * The duplicated sequences an aggregates object names: a bounded list, ascending (empty for
 * aggregates that do not track them). `duplicates` is the total count of repeated lines.
 */
export function duplicateSequences(a: MailboxAggregates): { sequences: readonly number[]; truncated: boolean } {
  const x = a as Partial<MailboxAggregatesWithDuplicates>;
  return { sequences: Array.isArray(x.duplicateSequences) ? x.duplicateSequences : [], truncated: x.duplicateSequencesTruncated === true };
}

export class MailboxAggregator {
  total = 0;
  skipped = 0;
  duplicates = 0;
  /** The first MAX_DUPLICATES_LISTED distinct sequences seen more than once. */
  private duplicated: number[] = [];
  private duplicatedMore = false;
  lastTimestamp: number | null = null;
  /** Sorted, disjoint, non-adjacent inclusive ranges of sequences seen. */
  private ranges: Array<[number, number]> = [];
  private pending = new Map<number, PendingEntry>();
  private lastAcked = new Map<string, number>();
  /** Acks seen before the message they acknowledge (out-of-order writers). */
  private earlyAcks = new Map<number, Set<string | null>>();
  private cached: MailboxAggregatesWithDuplicates | null = null;

  add(m: Message): void {
    this.cached = null;
    this.total++;
    if (m.timestamp !== null && (this.lastTimestamp === null || m.timestamp > this.lastTimestamp)) {
      this.lastTimestamp = m.timestamp;
    }
    const isNewMax = this.ranges.length === 0 || m.sequence > this.ranges[this.ranges.length - 1]![1];
    if (!this.insertSeq(m.sequence)) {
      this.duplicates++;
      // Once the list is full, a duplicate it does not name is a further distinct one.
      if (!this.duplicated.includes(m.sequence)) {
        if (this.duplicated.length < MAX_DUPLICATES_LISTED) this.duplicated.push(m.sequence);
        else this.duplicatedMore = true;
      }
    }

    if (m.ackRequired) {
      const entry: PendingEntry = {
        sequence: m.sequence, timestamp: m.timestamp, timeoutMs: m.timeoutMs, type: m.type, from: m.from,
        recipients: m.to, ackedBy: new Set(), resending: m.resendingSequences,
      };
      this.pending.set(m.sequence, entry);
      const early = this.earlyAcks.get(m.sequence);
      if (early) {
        this.earlyAcks.delete(m.sequence);
        for (const from of early) this.applyAck(m.sequence, from);
      }
    }
    for (const seq of m.ackSequences) {
      if (this.pending.has(seq)) this.applyAck(seq, m.from);
      else if (isNewMax || seq > this.maxSeq()) {
        // The acknowledged message has not been seen yet; remember the ack for when it comes.
        let s = this.earlyAcks.get(seq);
        if (!s) this.earlyAcks.set(seq, (s = new Set()));
        s.add(m.from);
      }
    }
  }

  addSkipped(n = 1): void {
    this.cached = null;
    this.skipped += n;
  }

  /** Whether an ack-requiring message is still waiting for any recipient's acknowledgement. */
  isPending(seq: number): boolean {
    return this.pending.has(seq);
  }

  private maxSeq(): number {
    return this.ranges.length ? this.ranges[this.ranges.length - 1]![1] : -Infinity;
  }

  /**
   * Applies an acknowledgement from `from` to `seq` and, when that message was a resend batch, to
   * every message it resent, and so on. Iterative with a visited set: a chain of resend batches of
   * any length, or batches that resend each other, can neither overflow the stack nor loop.
   */
  private applyAck(seq: number, from: string | null): void {
    const work = [seq];
    const visited = new Set<number>();
    while (work.length > 0) {
      const s = work.pop()!;
      if (visited.has(s)) continue;
      visited.add(s);
      const e = this.pending.get(s);
      if (!e) continue;
      if (from === null) this.pending.delete(s);
      else {
        e.ackedBy.add(from);
        if (e.recipients !== 'all') {
          const r = from;
          const addressed = e.recipients.includes(r);
          if (addressed) this.lastAcked.set(r, Math.max(this.lastAcked.get(r) ?? -Infinity, s));
          if (e.recipients.every((x) => e.ackedBy.has(x))) this.pending.delete(s);
          // An ack from someone not addressed (e.g. the lead acking for a relay) still counts
          // when the message had a single recipient.
          else if (e.recipients.length <= 1 && !addressed) this.pending.delete(s);
        }
      }
      // Acknowledging a resend batch acknowledges every message it resent (in order).
      for (let i = e.resending.length - 1; i >= 0; i--) {
        const r = e.resending[i]!;
        if (r !== s && !visited.has(r) && this.pending.has(r)) work.push(r);
      }
    }
  }

  /** Returns false when the sequence was already present (a duplicate). */
  private insertSeq(seq: number): boolean {
    const r = this.ranges;
    const last = r[r.length - 1];
    if (!last || seq > last[1] + 1) { r.push([seq, seq]); return true; }
    if (seq === last[1] + 1) { last[1] = seq; return true; }
    // Out of order: binary search for the first range whose end >= seq - 1.
    let lo = 0;
    let hi = r.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (r[mid]![1] < seq - 1) lo = mid + 1;
      else hi = mid;
    }
    const cur = r[lo]!;
    if (seq >= cur[0] && seq <= cur[1]) return false;
    if (seq === cur[1] + 1) {
      cur[1] = seq;
      const next = r[lo + 1];
      if (next && next[0] === seq + 1) { cur[1] = next[1]; r.splice(lo + 1, 1); }
    } else if (seq === cur[0] - 1) {
      cur[0] = seq;
      const prev = r[lo - 1];
      if (prev && prev[1] === seq - 1) { prev[1] = cur[1]; r.splice(lo, 1); }
    } else {
      r.splice(lo, 0, [seq, seq]);
    }
    return true;
  }

  snapshot(): MailboxAggregatesWithDuplicates {
    if (this.cached) return this.cached;
    const gaps: Array<[number, number]> = [];
    let missing = 0;
    for (let i = 1; i < this.ranges.length; i++) {
      const a = this.ranges[i - 1]![1] + 1;
      const b = this.ranges[i]![0] - 1;
      missing += b - a + 1;
      if (gaps.length < MAX_GAP_RANGES) gaps.push([a, b]);
    }
    const unacked = new Map<string, PendingAck[]>();
    for (const e of this.pending.values()) {
      const view: PendingAck = {
        sequence: e.sequence, timestamp: e.timestamp, timeoutMs: e.timeoutMs, type: e.type, from: e.from,
        ackedBy: [...e.ackedBy],
      };
      const keys = e.recipients === 'all' ? [BROADCAST] : e.recipients.filter((r) => !e.ackedBy.has(r));
      for (const k of keys) {
        let l = unacked.get(k);
        if (!l) unacked.set(k, (l = []));
        l.push(view);
      }
    }
    for (const l of unacked.values()) l.sort((a, b) => a.sequence - b.sequence);
    this.cached = {
      total: this.total,
      skipped: this.skipped,
      minSequence: this.ranges.length ? this.ranges[0]![0] : null,
      maxSequence: this.ranges.length ? this.ranges[this.ranges.length - 1]![1] : null,
      gaps,
      missingCount: missing,
      duplicates: this.duplicates,
      duplicateSequences: [...this.duplicated].sort((a, b) => a - b),
      duplicateSequencesTruncated: this.duplicatedMore,
      unacked,
      lastAckedSeq: new Map(this.lastAcked),
      lastTimestamp: this.lastTimestamp,
    };
    return this.cached;
  }
}
