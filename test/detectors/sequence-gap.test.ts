import { describe, expect, it } from 'vitest';
import { sequenceGap } from '../../src/alerts/detectors/sequence-gap.js';
import { DEFAULT_THRESHOLDS } from '../../src/model/thresholds.js';
import { team } from '../helpers/model.js';
import type { TeamSnapshot } from '../../src/model/snapshot.js';
import { invalidState } from '../../src/alerts/detectors/invalid-state.js';
import { MailboxAggregator, MAX_DUPLICATES_LISTED } from '../../src/model/mailbox-aggregator.js';
import { detect } from '../../src/alerts/index.js';
import { CLAUDE_CAPABILITIES } from '../../src/sources/claude/format.js';

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

describe('invalid-state: duplicate sequence numbers', () => {
  const check = (tm: TeamSnapshot) => invalidState({ team: tm, now: NOW, thresholds: DEFAULT_THRESHOLDS });
  const dupAlert = (tm: TeamSnapshot) => check(tm).find((a) => a.subject.includes('duplicate-sequences'));

  it('no duplicate, no alert', () => {
    expect(dupAlert(seqs(1, 2, 3, 5))).toBeUndefined();
  });

  it('one sequence used twice: named, with the count', () => {
    const a = dupAlert(seqs(1, 2, 2, 3));
    expect(a).toMatchObject({
      id: 'invalid-state:mailbox.jsonl:duplicate-sequences', kind: 'invalid-state', severity: 'medium',
      summary: 'mailbox.jsonl: sequence 2 is used more than once (1 duplicate line)',
    });
    expect(a!.evidence).toEqual({ file: 'mailbox.jsonl', problem: 'duplicate sequence numbers', duplicates: 1, sequences: [2], more_sequences: false });
  });

  it('out of order, several times over, several sequences: each named once, ascending, every repeat counted', () => {
    const a = dupAlert(seqs(5, 9, 1, 9, 5, 9, 3, 1));
    expect(a!.evidence).toMatchObject({ duplicates: 4, sequences: [1, 5, 9], more_sequences: false });
    expect(a!.summary).toBe('mailbox.jsonl: sequences 1, 5, 9 are used more than once (4 duplicate lines)');
    // detect() runs it with the others: the gap (2, 4, 6-8) and the duplicates both show.
    const kinds = detect(seqs(5, 9, 1, 9, 5, 9, 3, 1), NOW, DEFAULT_THRESHOLDS).map((x) => x.kind).sort();
    expect(kinds).toEqual(['invalid-state', 'sequence-gap']);
  });

  it.each([MAX_DUPLICATES_LISTED, MAX_DUPLICATES_LISTED + 1, 50_000])('%i duplicated sequences: a bounded list and the total count', (n) => {
    const agg = new MailboxAggregator();
    const list: number[] = [];
    for (let i = 1; i <= n; i++) list.push(i);
    for (let i = n; i >= 1; i--) list.push(i); // each once more, in reverse
    for (const s of list) agg.add({ sequence: s, timestamp: null, from: 'a', to: ['b'], type: 'message', priority: null, payload: '', ackSequences: [], ackRequired: false, timeoutMs: null, resendingSequences: [], line: s, protocol: null, extra: {} });
    const tm = team({ mailbox: { aggregates: agg.snapshot(), recent: [], recentStart: 0, indexing: false } });
    const a = dupAlert(tm)!;
    const named = a.evidence.sequences as number[];
    expect(named.length).toBe(Math.min(n, MAX_DUPLICATES_LISTED));
    expect(named).toEqual([...named].sort((x, y) => x - y));
    expect(a.evidence.duplicates).toBe(n);
    expect(a.evidence.more_sequences).toBe(n > MAX_DUPLICATES_LISTED);
    expect(a.summary).toContain(`(${n} duplicate lines)`);
    expect(a.summary.length).toBeLessThan(300);
  });

  it('not for a format without sequences', () => {
    const tm = { ...seqs(1, 1), capabilities: CLAUDE_CAPABILITIES };
    expect(dupAlert(tm)).toBeUndefined();
  });
});
