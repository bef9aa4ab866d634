// Detectors on inputs of any size: no spreading into call arguments (a stack overflow past ~120k
// elements), no quadratic scans. The linear rewrites are checked against the former quadratic
// implementations (kept below as references) on many small random inputs, then run at scale.
// No timed assertions (see DEVELOPERS.md): a quadratic pass at these sizes runs for minutes and
// hits the test timeout.
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../src/model/thresholds.js';
import { detect, detectTeam, DetectorCache, DETECTORS } from '../src/alerts/index.js';
import { messageUnacked } from '../src/alerts/detectors/message-unacked.js';
import { networkPartition } from '../src/alerts/detectors/network-partition.js';
import { hookViolation } from '../src/alerts/detectors/hook-violation.js';
import { staleResult } from '../src/alerts/detectors/stale-result.js';
import { overdueMessages } from '../src/alerts/detectors/overdue.js';
import { makeAlert, type Alert } from '../src/alerts/types.js';
import { MailboxAggregator } from '../src/model/mailbox-aggregator.js';
import type { Message, Task, TeamEvent } from '../src/model/types.js';
import type { TeamSnapshot } from '../src/model/snapshot.js';
import { team, teammate, task } from './helpers/model.js';

const T0 = Date.parse('2026-02-28T10:00:00Z');
const HOUR = 3_600_000;
const th = DEFAULT_THRESHOLDS;

/** A Message without the schema (fast enough for 10^5 of them). */
function msg(sequence: number, timestamp: number, to: string[] | 'all', extra: Partial<Message> = {}): Message {
  return {
    sequence, timestamp, from: 'lead', to, type: 'message', priority: null, payload: `m${sequence}`, ackSequences: [],
    ackRequired: true, timeoutMs: null, resendingSequences: [], line: sequence, protocol: null, extra: {}, ...extra,
  };
}

function withMailbox(messages: Message[], rest: Partial<TeamSnapshot> = {}): TeamSnapshot {
  const agg = new MailboxAggregator();
  for (const m of messages) agg.add(m);
  return team({ ...rest, mailbox: { aggregates: agg.snapshot(), recent: messages.slice(-1000), recentStart: 0, indexing: false } });
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------- the former implementations, as references ----------

function refNetworkPartition(tm: TeamSnapshot, now: number): Alert[] {
  const overdue = overdueMessages(tm, now, th).sort((a, b) => a.timedOutAt - b.timedOutAt);
  const windowMs = th.partitionWindowMinutes * 60_000;
  for (let i = 0; i < overdue.length; i++) {
    const start = overdue[i]!.timedOutAt;
    let j = i;
    while (j + 1 < overdue.length && overdue[j + 1]!.timedOutAt - start <= windowMs) j++;
    const inWindow = overdue.slice(i, j + 1);
    const recipients = [...new Set(inWindow.map((o) => o.recipient))].sort();
    if (recipients.length < 2) continue;
    const sequences: Record<string, number[]> = {};
    for (const r of recipients) sequences[r] = [...new Set(inWindow.filter((o) => o.recipient === r).map((o) => o.sequence))].sort((a, b) => a - b);
    return [makeAlert({
      kind: 'network-partition', severity: 'medium', subject: recipients, summary: '',
      evidence: { recipients, sequences, window_start: new Date(start).toISOString(), window_end: new Date(overdue[j]!.timedOutAt).toISOString() },
      since: start, workflow: '',
    })];
  }
  return [];
}

function refHookFixed(events: readonly TeamEvent[]): boolean[] {
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const fixes = (f: TeamEvent, v: TeamEvent): boolean => {
    const fid = f.data.violation_id;
    if (fid !== undefined && fid !== null) return fid === v.data.violation_id;
    const file = str(f.data.file);
    if (file === undefined || file !== str(v.data.file)) return false;
    return f.data.pattern === undefined || f.data.pattern === null || f.data.pattern === v.data.pattern;
  };
  return events.map((v, i) => v.type === 'hook_violation' && events.slice(i + 1).some((f) => f.type === 'hook_fixed' && fixes(f, v)));
}

function refStale(tasks: Task[], events: TeamEvent[]): Array<[string, number]> {
  const changes = events.filter((e): e is TeamEvent & { timestamp: number } => e.type === 'requirements_changed' && e.timestamp !== null);
  const out: Array<[string, number]> = [];
  for (const t of tasks) {
    if (t.status !== 'completed' || t.completedAt === null) continue;
    let latest: (TeamEvent & { timestamp: number }) | null = null;
    for (const e of changes) {
      if (e.timestamp <= t.completedAt) continue;
      const target = e.data.task_id;
      if (target !== undefined && target !== null && String(target) !== t.id) continue;
      if (latest === null || e.timestamp >= latest.timestamp) latest = e;
    }
    if (latest) out.push([t.id, latest.line]);
  }
  return out;
}

// ---------- equivalence on small random inputs ----------

describe('linear rewrites give the same results as the former quadratic ones', () => {
  it('network-partition', () => {
    const r = rng(1);
    for (let round = 0; round < 400; round++) {
      const n = 1 + Math.floor(r() * 12);
      const people = ['a', 'b', 'c', 'd'].slice(0, 1 + Math.floor(r() * 4));
      const messages: Message[] = [];
      for (let i = 1; i <= n; i++) {
        const to = r() < 0.15 ? 'all' as const : [people[Math.floor(r() * people.length)]!];
        messages.push(msg(i, T0 + Math.floor(r() * 20) * 60_000, to, { timeoutMs: r() < 0.3 ? Math.floor(r() * 10) * 60_000 : null }));
      }
      const tm = withMailbox(messages, { teammates: people.map((id) => teammate({ id })) });
      const now = T0 + HOUR;
      const got = networkPartition({ team: tm, now, thresholds: th });
      const want = refNetworkPartition(tm, now);
      expect(got.map((a) => [a.id, a.since, a.evidence])).toEqual(want.map((a) => [a.id, a.since, a.evidence]));
    }
  });

  it('hook-violation', () => {
    const r = rng(2);
    const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
    for (let round = 0; round < 400; round++) {
      const events: TeamEvent[] = [];
      const n = 1 + Math.floor(r() * 14);
      for (let i = 0; i < n; i++) {
        const data: Record<string, unknown> = {};
        if (r() < 0.6) data.violation_id = pick(['v1', 'v2', 'v3', 7, null]);
        if (r() < 0.8) data.file = pick(['A.java', 'B.java', '', 3]);
        if (r() < 0.7) data.pattern = pick(['H_STUB', 'H_MOCK', null, 1]);
        data.teammate = pick(['tm1', 'tm2']);
        data.line = i + 1;
        events.push({ timestamp: T0 + i, type: r() < 0.5 ? 'hook_violation' : pick(['hook_fixed', 'build']), line: i + 1, data });
      }
      const fixedRef = refHookFixed(events);
      const unfixedLines = new Set(events.filter((e, i) => e.type === 'hook_violation' && !fixedRef[i]).map((e) => e.line));
      const got = hookViolation({ team: team({ events }), now: T0 + HOUR, thresholds: th });
      // Every alert is an unfixed violation, and every unfixed violation is covered (same ids merge).
      const ids = new Set(got.map((a) => a.id));
      for (const a of got) expect(unfixedLines.has(a.since! - T0 + 1)).toBe(true);
      const refIds = new Set(events.flatMap((e, i) => (e.type === 'hook_violation' && !fixedRef[i]
        ? hookViolation({ team: team({ events: [e] }), now: T0 + HOUR, thresholds: th }).map((a) => a.id) : [])));
      expect([...ids].sort()).toEqual([...refIds].sort());
    }
  });

  it('stale-result', () => {
    const r = rng(3);
    for (let round = 0; round < 400; round++) {
      const tasks = Array.from({ length: 1 + Math.floor(r() * 5) }, (_, i) => task({
        id: String(i), status: r() < 0.7 ? 'completed' : 'in_progress', completedAt: r() < 0.9 ? T0 + Math.floor(r() * 10) * 60_000 : null,
      }));
      const events: TeamEvent[] = Array.from({ length: Math.floor(r() * 8) }, (_, i) => ({
        timestamp: r() < 0.9 ? T0 + Math.floor(r() * 12) * 60_000 : null,
        type: r() < 0.85 ? 'requirements_changed' : 'build',
        line: i + 1,
        data: { task_id: r() < 0.4 ? undefined : r() < 0.2 ? null : r() < 0.5 ? Math.floor(r() * 5) : String(Math.floor(r() * 5)), summary: `s${i}` },
      }));
      const got = staleResult({ team: team({ tasks, events }), now: T0 + HOUR, thresholds: th })
        .map((a) => [a.subject[0], Number(String(a.evidence.summary).slice(1)) + 1]);
      expect(got).toEqual(refStale(tasks, events));
    }
  });
});

// ---------- at scale ----------

const N = 125_000;
const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const seqs = (a: number, b: number): string[] => range(a, b).map(String);

describe('message-unacked names up to 200 sequences in full, then the first and last 100', () => {
  const run = (n: number) => messageUnacked({
    team: withMailbox(Array.from({ length: n }, (_, i) => msg(i + 1, T0 + i, ['tm']))), now: T0 + HOUR, thresholds: th,
  })[0]!;
  it.each([1, 2, 199, 200])('%i: every sequence, as before', (n) => {
    const a = run(n);
    expect(a.subject).toEqual(['tm', ...seqs(1, n)]);
    expect(a.id).toBe(['message-unacked', 'tm', ...seqs(1, n)].join(':'));
    expect(a.evidence.sequences).toEqual(range(1, n));
    expect(a.evidence).not.toHaveProperty('sequences_omitted');
  });
  it.each([201, 1000, 300_000])('%i: bounded', (n) => {
    const a = run(n);
    expect(a.subject).toEqual(['tm', ...seqs(1, 100), `+${n - 200}`, ...seqs(n - 99, n)]);
    expect(a.evidence).toMatchObject({ sequences_omitted: n - 200, sequence_count: n, consecutive: n });
    expect(a.summary).toContain(`(${n} in all)`);
  }, 60_000);
});

describe('detectors with 10^5 inputs', { timeout: 60_000 }, () => {
  it(`message-unacked: ${N} overdue messages to one teammate make one alert counting all of them`, () => {
    const messages = Array.from({ length: N }, (_, i) => msg(i + 1, T0 + i, ['tm_busy']));
    const tm = withMailbox(messages, { teammates: [teammate({ id: 'tm_busy' })] });
    const [a, ...rest] = messageUnacked({ team: tm, now: T0 + 2 * HOUR, thresholds: th });
    expect(rest).toEqual([]);
    expect(a!.severity).toBe('high');
    expect(a!.since).toBe(T0 + 30_000);
    // Named: the first and the last 100, and how many in between (the id and output stay small).
    expect(a!.subject).toEqual(['tm_busy', ...seqs(1, 100), `+${N - 200}`, ...seqs(N - 99, N)]);
    expect(a!.id.length).toBeLessThan(2000);
    expect(a!.evidence.sequences).toEqual([...range(1, 100), ...range(N - 99, N)]);
    expect(a!.evidence.sequences_omitted).toBe(N - 200);
    expect(a!.evidence.sequence_count).toBe(N);
    expect(a!.evidence.consecutive).toBe(N);
    expect(a!.evidence.oldest_sent_at).toBe(new Date(T0).toISOString());
    expect(a!.summary).toContain(`(${N} in all)`);
  });

  it('message-unacked: the oldest and the earliest timeout do not depend on the order', () => {
    // Descending timestamps: the last message is the oldest, but it waits an hour, so the earliest
    // timeout is the one before it.
    const messages = Array.from({ length: N }, (_, i) => msg(i + 1, T0 + (N - i) * 10, ['x'], { timeoutMs: i === N - 1 ? HOUR : null }));
    const [a] = messageUnacked({ team: withMailbox(messages), now: T0 + 2 * HOUR, thresholds: th });
    expect(a!.evidence.oldest_sent_at).toBe(new Date(T0 + 10).toISOString());
    expect(a!.evidence.timeout_seconds).toBe(3600);
    expect(a!.since).toBe(T0 + 20 + 30_000);
  });

  it(`network-partition: a backlog of ${N} to one teammate is not a partition, and one more recipient at its end is`, () => {
    const messages = Array.from({ length: N }, (_, i) => msg(i + 1, T0 + i, ['tm_a']));
    expect(networkPartition({ team: withMailbox(messages), now: T0 + 2 * HOUR, thresholds: th })).toEqual([]);
    messages.push(msg(N + 1, T0 + N, ['tm_b']));
    const [a, ...rest] = networkPartition({ team: withMailbox(messages), now: T0 + 2 * HOUR, thresholds: th });
    expect(rest).toEqual([]);
    expect(a!.subject).toEqual(['tm_a', 'tm_b']);
    expect(a!.since).toBe(T0 + 30_000);
    expect((a!.evidence.sequences as Record<string, number[]>).tm_a).toEqual([...range(1, 100), ...range(N - 99, N)]);
    expect(a!.evidence.sequences_omitted).toEqual({ tm_a: N - 200 });
    expect((a!.evidence.sequences as Record<string, number[]>).tm_b).toEqual([N + 1]);
  });

  it('network-partition: many recipients in one window', () => {
    const messages = Array.from({ length: 50_000 }, (_, i) => msg(i + 1, T0 + i, [`tm_${i % 5000}`]));
    const [a] = networkPartition({ team: withMailbox(messages), now: T0 + 2 * HOUR, thresholds: th });
    expect(a!.subject).toHaveLength(5000);
  });

  it('overdue: a broadcast acknowledged by thousands of teammates', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `tm_${i}`);
    const messages: Message[] = [msg(1, T0, 'all')];
    ids.slice(0, 19_999).forEach((id, i) => messages.push({ ...msg(i + 2, T0 + 1, ['lead']), from: id, type: 'ack', ackRequired: false, ackSequences: [1] }));
    const tm = withMailbox(messages, { teammates: ids.map((id) => teammate({ id })) });
    expect(overdueMessages(tm, T0 + HOUR, th).map((o) => o.recipient)).toEqual(['tm_19999']);
  });

  it('hook-violation: 150,000 violations, half of them fixed later', () => {
    const events: TeamEvent[] = [];
    for (let i = 0; i < 150_000; i++) events.push({ timestamp: T0 + i, type: 'hook_violation', line: events.length + 1, data: { violation_id: `v${i}`, file: `F${i}.java`, teammate: 'tm' } });
    for (let i = 0; i < 150_000; i += 2) events.push({ timestamp: T0 + HOUR, type: 'hook_fixed', line: events.length + 1, data: { violation_id: `v${i}` } });
    const alerts = hookViolation({ team: team({ events }), now: T0 + 2 * HOUR, thresholds: th });
    expect(alerts).toHaveLength(75_000);
    expect(alerts[0]!.subject).toEqual(['tm', 'v1']);
  });

  it('stale-result: 150,000 completed tasks and 150,000 requirement changes', () => {
    const tasks = Array.from({ length: 150_000 }, (_, i) => task({ id: `T${i}`, status: 'completed', completedAt: T0 }));
    const events: TeamEvent[] = Array.from({ length: 150_000 }, (_, i) => ({ timestamp: T0 + (i % 2 ? 1000 : -1000), type: 'requirements_changed', line: i + 1, data: { task_id: `T${i}` } }));
    const alerts = staleResult({ team: team({ tasks, events }), now: T0 + HOUR, thresholds: th });
    expect(alerts).toHaveLength(75_000);
  });

  it('a detector returning 150,000 alerts: the registry collects them all (no push(...alerts))', () => {
    const teammates = Array.from({ length: 150_000 }, (_, i) => teammate({ id: `tm_${i}`, lastHeartbeat: T0 }));
    const tm = team({ teammates });
    const now = T0 + 5 * HOUR;
    const d = detectTeam(tm, now, th);
    expect(d.failures).toEqual([]);
    expect(d.alerts.filter((a) => a.kind === 'teammate-dead')).toHaveLength(150_000);
    const cached = new DetectorCache().run(tm, now, th);
    expect(cached.failures).toEqual([]);
    expect(cached.alerts).toHaveLength(d.alerts.length);
    expect(detect(tm, now, th)).toHaveLength(d.alerts.length);
  });

  it('every detector runs on a team with 125,000 pending messages without failing', () => {
    const messages = Array.from({ length: N }, (_, i) => msg(i + 1, T0 + i, [i % 2 ? 'tm_a' : 'tm_b']));
    const tm = withMailbox(messages, {
      teammates: [teammate({ id: 'tm_a', lastHeartbeat: T0 }), teammate({ id: 'tm_b', lastHeartbeat: T0 + 5 * HOUR - 60_000 })],
    });
    const d = detectTeam(tm, T0 + 5 * HOUR, th);
    expect(d.failures).toEqual([]);
    expect(d.alerts.map((a) => a.kind).sort()).toEqual(['message-unacked', 'message-unacked', 'network-partition', 'teammate-dead']);
    expect(DETECTORS.length).toBeGreaterThan(10);
  });
});
