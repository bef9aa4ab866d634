// The seed documents' own example states, written as files and run through the real loader and
// every detector: what the documents diagnose is what teamtop reports.
import { afterEach, describe, expect, it } from 'vitest';
import { NativeSource } from '../../src/sources/native/source.js';
import { detect } from '../../src/alerts/index.js';
import { DEFAULT_THRESHOLDS } from '../../src/model/thresholds.js';
import { tempDir, removeDir, writeTeam } from '../helpers/state.js';

let root: string;
afterEach(() => removeDir(root));

async function alertsOf(files: Parameters<typeof writeTeam>[2], at: string) {
  root = tempDir();
  writeTeam(root, 'tau-engine-schema-test', files);
  const source = new NativeSource(root);
  await source.load();
  const team = source.getSnapshot().teams[0]!;
  await source.close();
  return detect(team, Date.parse(at), DEFAULT_THRESHOLDS);
}

// Part 6, "Complete Team State Dump": teammates and tasks as the document gives them.
const DUMP_TEAMMATES = [
  { id: 'tm_engine', name: 'Engineer A (Concurrency Specialist)', task_id: 'Task#1-engine-investigate-deadlock', status: 'idle', context_tokens_used: 128000, context_tokens_max: 200000, last_heartbeat: '2026-02-28T14:45:30Z', heartbeat_age_seconds: 1247, task_started_at: '2026-02-28T14:25:10Z', task_age_minutes: 20, completion_percent: 45, messages_pending: 3, last_message_seq: 45 },
  { id: 'tm_schema', name: 'Engineer B (Schema Expert)', task_id: 'Task#2-schema-define-sla', status: 'active', context_tokens_used: 89000, context_tokens_max: 200000, last_heartbeat: '2026-02-28T14:48:15Z', heartbeat_age_seconds: 75, task_started_at: '2026-02-28T14:00:30Z', task_age_minutes: 48, completion_percent: 80, messages_pending: 0, last_message_seq: 46 },
  { id: 'tm_test', name: 'Engineer C (Test Architect)', task_id: 'Task#3-test-integration', status: 'active', context_tokens_used: 76000, context_tokens_max: 200000, last_heartbeat: '2026-02-28T14:49:00Z', heartbeat_age_seconds: 30, task_started_at: '2026-02-28T14:30:00Z', task_age_minutes: 19, completion_percent: 30, messages_pending: 1, last_message_seq: 47 },
];
const DUMP_TASKS = [
  { task_id: 'Task#1-engine-investigate-deadlock', name: 'Investigate YNetRunner deadlock in synchronized blocks', assigned_to: 'tm_engine', status: 'in_progress', depends_on: [], created_at: '2026-02-28T14:00:00Z', started_at: '2026-02-28T14:25:10Z', expected_duration_minutes: 60, completion_percent: 45, blocking_factor: null },
  { task_id: 'Task#2-schema-define-sla', name: 'Define SLA attribute in schema and interface', assigned_to: 'tm_schema', status: 'in_progress', depends_on: [], created_at: '2026-02-28T14:00:00Z', started_at: '2026-02-28T14:00:30Z', expected_duration_minutes: 60, completion_percent: 80, blocking_factor: null },
  { task_id: 'Task#3-test-integration', name: 'Write integration tests for SLA + deadlock fix', assigned_to: 'tm_test', status: 'in_progress', depends_on: ['Task#1-engine-investigate-deadlock', 'Task#2-schema-define-sla'], created_at: '2026-02-28T14:00:00Z', started_at: '2026-02-28T14:30:00Z', expected_duration_minutes: 45, completion_percent: 30, blocking_factor: 'Waiting for Task#1 and Task#2 to stabilize' },
];

describe('the seed documents\' example states', () => {
  it('Workflow A: tm_engine silent for 1247 s (20.8 min) is idle, and only it', async () => {
    const alerts = await alertsOf({ teammates: DUMP_TEAMMATES, manifest: { team_id: 'x', tasks: DUMP_TASKS } }, '2026-02-28T15:06:17Z');
    const hb = alerts.filter((a) => a.kind.startsWith('teammate-'));
    expect(hb.find((a) => a.subject[0] === 'tm_engine')?.kind).toBe('teammate-idle');
    // Evaluated when the dump was taken, everyone is online and nothing is wrong with the graph.
    const atDump = await alertsOf({ teammates: DUMP_TEAMMATES, manifest: { tasks: DUMP_TASKS } }, '2026-02-28T14:49:30Z');
    expect(atDump.filter((a) => a.severity === 'critical' || a.severity === 'high')).toEqual([]);
    expect(atDump.map((a) => a.kind)).not.toContain('dependency-cycle');
    expect(atDump.map((a) => a.kind)).not.toContain('deadlock');
  });

  it('Workflow B: context 198743 of 200000 tokens (98.4 %) is context-exhausted', async () => {
    const alerts = await alertsOf({ teammates: [{ ...DUMP_TEAMMATES[0], context_tokens_used: 198743, last_heartbeat: '2026-02-28T14:49:00Z' }] }, '2026-02-28T14:50:00Z');
    expect(alerts.map((a) => [a.kind, a.severity])).toContainEqual(['context-exhausted', 'critical']);
  });

  it('Workflow C: 41–45 to tm_schema unacknowledged after the ACK of 40, teammate alive but 5 pending', async () => {
    const seq = (n: number, t: string) => ({ sequence: n, timestamp: `2026-02-28T14:${t}Z`, from: 'lead', to: 'tm_schema', type: 'message', ack_required: true, payload: `item ${n}` });
    const alerts = await alertsOf({
      teammates: [{ id: 'tm_schema', status: 'active', last_heartbeat: '2026-02-28T14:33:45Z', heartbeat_age_seconds: 35, context_tokens_used: 89000, context_tokens_max: 200000, messages_pending: 5 }],
      mailbox: [
        seq(40, '32:00'), { sequence: 39, timestamp: '2026-02-28T14:31:00Z', from: 'lead', to: 'tm_x', type: 'message' },
        { sequence: 38, timestamp: '2026-02-28T14:30:00Z', from: 'lead', to: 'tm_x', type: 'message' },
        ...Array.from({ length: 37 }, (_, i) => ({ sequence: i + 1, timestamp: '2026-02-28T14:00:00Z', from: 'lead', to: 'tm_x', type: 'message' })),
        { sequence: 46, timestamp: '2026-02-28T14:32:10Z', from: 'tm_schema', to: 'lead', type: 'ack', ack_sequence: 40 },
        seq(41, '32:15'), seq(42, '32:35'), seq(43, '32:55'), seq(44, '33:15'), seq(45, '33:35'),
      ],
    }, '2026-02-28T14:34:45Z');
    const unacked = alerts.find((a) => a.kind === 'message-unacked')!;
    expect(unacked.severity).toBe('high');
    expect(unacked.subject).toEqual(['tm_schema', '41', '42', '43', '44', '45']);
    expect(alerts.map((a) => a.kind)).toContain('not-processing');
  });

  it('Workflow D: Task#1 and Task#2 waiting on each other is a cycle, not an invalid state', async () => {
    const alerts = await alertsOf({
      teammates: [{ id: 'tm_schema' }, { id: 'tm_engine' }],
      manifest: { team_id: 'x', tasks: [
        { id: 'Task#1', name: 'Define SLA schema', assigned_to: 'tm_schema', depends_on: ['Task#2'] },
        { id: 'Task#2', name: 'Implement SLA engine tracking', assigned_to: 'tm_engine', depends_on: ['Task#1'] },
      ] },
    }, '2026-02-28T14:55:00Z');
    expect(alerts.filter((a) => a.kind === 'dependency-cycle').map((a) => a.subject)).toEqual([['Task#1', 'Task#2']]);
    expect(alerts.map((a) => a.kind)).toContain('deadlock');
    expect(alerts.map((a) => a.kind)).not.toContain('invalid-state');
  });

  it('Workflow E: the H_STUB violation in tm_impl\'s commit, until fixed', async () => {
    const violation = { timestamp: '2026-02-28T14:50:30Z', type: 'hook_violation', violation_id: 'H_STUB_20260228_145030', pattern: 'H_STUB', file: 'src/main/java/org/yawl/engine/YWorkItemImpl.java', line: 426, content: 'return null;', commit: '3f5e8a1b2c4d', teammate: 'tm_impl' };
    const open = await alertsOf({ teammates: [{ id: 'tm_impl' }], events: [violation] }, '2026-02-28T14:51:00Z');
    expect(open.find((a) => a.kind === 'hook-violation')).toMatchObject({ severity: 'critical', subject: ['tm_impl', 'H_STUB_20260228_145030'] });
    const fixed = await alertsOf({ teammates: [{ id: 'tm_impl' }], events: [violation, { timestamp: '2026-02-28T15:00:00Z', type: 'hook_fixed', violation_id: 'H_STUB_20260228_145030', teammate: 'tm_impl' }] }, '2026-02-28T15:01:00Z');
    expect(fixed.map((a) => a.kind)).not.toContain('hook-violation');
  });

  it('Workflow F: all three teammates green, then the consolidation build fails', async () => {
    const alerts = await alertsOf({
      teammates: ['tm_schema', 'tm_engine', 'tm_test'].map((id) => ({ id, status: 'green', last_heartbeat: '2026-02-28T14:49:00Z' })),
      events: [{ timestamp: '2026-02-28T14:50:00Z', type: 'build', scope: 'all', result: 'failure', error: 'Cannot find symbol: YWorkItem.getScheduledTime()' }],
    }, '2026-02-28T14:51:00Z');
    expect(alerts.find((a) => a.kind === 'consolidation-failure')).toMatchObject({ severity: 'critical', subject: ['tm_schema', 'tm_engine', 'tm_test'] });
  });
});

describe('DetectorCache', () => {
  it('gives the same alerts as a fresh run, and follows the clock', async () => {
    const { DetectorCache } = await import('../../src/alerts/index.js');
    const cache = new DetectorCache();
    root = tempDir();
    writeTeam(root, 't', {
      teammates: [{ id: 'a', last_heartbeat: '2026-02-28T14:55:00Z', context_tokens_used: 99, context_tokens_max: 100 }],
      manifest: [{ id: 'A', depends_on: ['B'] }, { id: 'B', depends_on: ['A'] }],
    });
    const source = new NativeSource(root);
    await source.load();
    const team = source.getSnapshot().teams[0]!;
    await source.close();
    for (const at of ['2026-02-28T15:00:00Z', '2026-02-28T15:10:00Z', '2026-02-28T16:10:00Z']) {
      const now = Date.parse(at);
      expect(cache.detect(team, now, DEFAULT_THRESHOLDS)).toEqual(detect(team, now, DEFAULT_THRESHOLDS));
    }
    expect(cache.detect(team, Date.parse('2026-02-28T15:10:00Z'), DEFAULT_THRESHOLDS).map((a) => a.kind)).toContain('teammate-idle');
  });
});
