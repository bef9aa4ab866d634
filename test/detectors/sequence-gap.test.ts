import { describe, expect, it } from 'vitest';
import { sequenceGap } from '../../src/alerts/detectors/sequence-gap.js';
import { DEFAULT_THRESHOLDS } from '../../src/alerts/config.js';
import { team } from '../helpers/model.js';
import type { TeamSnapshot } from '../../src/model/types.js';

const NOW = Date.parse('2026-02-28T15:00:00Z');
const run = (tm: TeamSnapshot) => sequenceGap({ team: tm, now: NOW, thresholds: DEFAULT_THRESHOLDS });
const seqs = (...ns: number[]) => team({ messages: ns.map((sequence) => ({ sequence, from: 'lead', to: 'tm' })) });

describe('sequence-gap', () => {
  it('a contiguous mailbox has no gap', () => {
    expect(run(seqs(10, 11, 12, 13))).toEqual([]);
    expect(run(team())).toEqual([]);
  });
  it('reports a missing range', () => {
    const [a, ...rest] = run(seqs(10, 11, 14, 15));
    expect(rest).toEqual([]);
    expect(a).toMatchObject({
      id: 'sequence-gap:12-13', kind: 'sequence-gap', severity: 'medium', subject: ['12-13'], since: null, actions: ['resend'],
      summary: 'mailbox is missing sequences 12-13 (2 messages)',
    });
    expect(a!.evidence).toEqual({ ranges: [[12, 13]], missing_count: 2, first_sequence: 10, last_sequence: 15, duplicates: 0 });
    expect(a!.workflow).toContain('(r)');
  });
  it('a single missing sequence, and several ranges', () => {
    expect(run(seqs(1, 3))[0]).toMatchObject({ subject: ['2'], summary: 'mailbox is missing sequence 2 (1 message)' });
    expect(run(seqs(1, 3, 4, 8))[0]).toMatchObject({
      subject: ['2', '5-7'], summary: 'mailbox is missing sequences 2, 5-7 (4 messages)',
    });
  });
  it('out-of-order writes that fill the gap clear it', () => {
    expect(run(seqs(1, 2, 5, 3, 4))).toEqual([]);
  });
  it('more than five ranges are summarised', () => {
    const [a] = run(seqs(1, 3, 5, 7, 9, 11, 20));
    expect(a!.subject).toEqual(['2', '4', '6', '8', '10', '12-19']);
    expect(a!.summary).toBe('mailbox is missing 13 sequences in 6 ranges');
    const [b] = run(seqs(1, 3, 5, 7, 9, 11));
    expect(b!.summary).toBe('mailbox is missing sequences 2, 4, 6, 8, 10 (5 messages)');
  });
  it('counts duplicates in the evidence', () => {
    expect(run(seqs(1, 1, 3))[0]!.evidence.duplicates).toBe(1);
  });
  it('is skipped when the source has no sequence numbers', () => {
    const tm = seqs(1, 5);
    expect(run({ ...tm, capabilities: { ...tm.capabilities, sequences: false } })).toEqual([]);
  });
});
