import { describe, expect, it } from 'vitest';
import { MailboxAggregator, BROADCAST } from '../src/model/mailbox-aggregator.js';
import { messageSchema, normalizeMessage } from '../src/model/schemas.js';

const msg = (r: Record<string, unknown>) => normalizeMessage(messageSchema.parse(r), 0);

describe('MailboxAggregator', () => {
  it('finds missing sequence ranges and duplicates, in or out of order', () => {
    const a = new MailboxAggregator();
    for (const s of [1, 2, 3, 7, 8, 5, 12, 5]) a.add(msg({ sequence: s }));
    const s = a.snapshot();
    expect(s.gaps).toEqual([[4, 4], [6, 6], [9, 11]]);
    expect(s.missingCount).toBe(5);
    expect(s.duplicates).toBe(1);
    expect(s.minSequence).toBe(1);
    expect(s.maxSequence).toBe(12);
    a.add(msg({ sequence: 4 }));
    a.add(msg({ sequence: 6 }));
    expect(a.snapshot().gaps).toEqual([[9, 11]]);
  });

  it('tracks unacknowledged messages per recipient and the last acked sequence', () => {
    const a = new MailboxAggregator();
    a.add(msg({ sequence: 40, from: 'lead', to: 'tm_s', ack_required: true }));
    a.add(msg({ sequence: 41, from: 'lead', to: 'tm_s', ack_required: true }));
    a.add(msg({ sequence: 42, from: 'lead', to: 'tm_s', required_response: true }));
    a.add(msg({ sequence: 43, from: 'tm_s', to: 'lead', type: 'ack', ack_sequence: 40 }));
    const s = a.snapshot();
    expect(s.unacked.get('tm_s')!.map((p) => p.sequence)).toEqual([41, 42]);
    expect(s.lastAckedSeq.get('tm_s')).toBe(40);
  });

  it('an ack of a resend batch acknowledges every message it resent', () => {
    const a = new MailboxAggregator();
    a.add(msg({ sequence: 1, from: 'lead', to: 'x', ack_required: true }));
    a.add(msg({ sequence: 2, from: 'lead', to: 'x', ack_required: true }));
    a.add(msg({ sequence: 3, from: 'lead', to: 'x', type: 'resend_batch', ack_required: true, resending_sequences: [1, 2] }));
    a.add(msg({ sequence: 4, from: 'x', to: 'lead', type: 'ack', ack_sequence: 3 }));
    expect(a.snapshot().unacked.get('x')).toBeUndefined();
  });

  it('a message to several teammates waits until each has acknowledged it', () => {
    const a = new MailboxAggregator();
    a.add(msg({ sequence: 1, from: 'lead', to: ['x', 'y'], ack_required: true }));
    a.add(msg({ sequence: 2, from: 'x', type: 'ack', ack_sequence: 1 }));
    expect([...a.snapshot().unacked.keys()]).toEqual(['y']);
    a.add(msg({ sequence: 3, from: 'y', type: 'ack', ack_sequence: 1 }));
    expect(a.snapshot().unacked.size).toBe(0);
  });

  it('keeps broadcasts under the broadcast key with who has acked', () => {
    const a = new MailboxAggregator();
    a.add(msg({ sequence: 1, from: 'lead', to: 'all', ack_required: true }));
    a.add(msg({ sequence: 2, from: 'x', type: 'ack', ack_sequence: 1 }));
    expect(a.snapshot().unacked.get(BROADCAST)![0]!.ackedBy).toEqual(['x']);
  });

  it('applies an ack that arrives before its message', () => {
    const a = new MailboxAggregator();
    a.add(msg({ sequence: 2, from: 'x', type: 'ack', ack_sequence: 3 }));
    a.add(msg({ sequence: 3, from: 'lead', to: 'x', ack_required: true }));
    expect(a.snapshot().unacked.size).toBe(0);
  });

  it('ignores messages that did not ask for an answer', () => {
    const a = new MailboxAggregator();
    a.add(msg({ sequence: 1, from: 'lead', to: 'x' }));
    expect(a.snapshot().unacked.size).toBe(0);
    expect(a.snapshot().total).toBe(1);
  });
});
