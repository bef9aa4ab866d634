import { describe, expect, it } from 'vitest';
import { teamFileSchema, teammatesFileSchema, manifestFileSchema, messageSchema, eventSchema, checkpointSchema, normalizeTeam, normalizeTeammate, normalizeTask, normalizeMessage, normalizeEvent, normalizeCheckpoint, parseDuration } from '../src/model/schemas.js';
import { toMs } from '../src/model/time.js';

describe('team.json', () => {
  it('normalizes every field and keeps unknown ones', () => {
    const f = teamFileSchema.parse({
      team_id: 't1', team_status: 'halted', created_at: '2026-02-28T14:00:00Z',
      lead: { id: 'lead', last_heartbeat: '2026-02-28T14:59:00Z', status: 'active' },
      lead_session_id: 's1', repo: '../repo', base_ref: 'main', custom: 1,
    });
    const t = normalizeTeam(f);
    expect(t.status).toBe('halted');
    expect(t.lead.lastHeartbeat).toBe(Date.parse('2026-02-28T14:59:00Z'));
    expect(t.repo).toBe('../repo');
    expect(t.baseRef).toBe('main');
    expect(t.extra).toEqual({ custom: 1 });
  });
  it('rejects an unknown team_status', () => {
    expect(teamFileSchema.safeParse({ team_status: 'paused' }).success).toBe(false);
  });
});

describe('teammates.json', () => {
  const tm = { id: 'tm_a', last_heartbeat: '2026-02-28T14:40:00Z', context_tokens_used: 10, context_tokens_max: 100, zz: true };
  it('accepts a bare array and the {teammates: [...]} variant alike', () => {
    expect(teammatesFileSchema.parse([tm])).toEqual(teammatesFileSchema.parse({ teammates: [tm] }));
  });
  it('requires id', () => {
    const r = teammatesFileSchema.safeParse([{ name: 'no id' }]);
    expect(r.success).toBe(false);
  });
  it('uses heartbeat_age_seconds only when last_heartbeat is absent, relative to the file time', () => {
    const [a, b] = teammatesFileSchema.parse([
      { id: 'a', heartbeat_age_seconds: 60 },
      { id: 'b', heartbeat_age_seconds: 60, last_heartbeat: '2026-02-28T14:00:00Z' },
    ]) as [never, never];
    const fileTime = Date.parse('2026-02-28T15:00:00Z');
    expect(normalizeTeammate(a, fileTime).lastHeartbeat).toBe(fileTime - 60_000);
    expect(normalizeTeammate(a, fileTime).activitySignal).toBe('heartbeat_age');
    expect(normalizeTeammate(b, fileTime).lastHeartbeat).toBe(Date.parse('2026-02-28T14:00:00Z'));
  });
  it('keeps unknown fields in extra', () => {
    const [r] = teammatesFileSchema.parse([tm]) as [never];
    expect(normalizeTeammate(r, 0).extra).toEqual({ zz: true });
  });
  it('rejects a heartbeat that is not a time', () => {
    expect(teammatesFileSchema.safeParse([{ id: 'a', last_heartbeat: 'yesterday' }]).success).toBe(false);
  });
  it('rejects epoch milliseconds no Date can hold, and an age no clock can express gives no signal', () => {
    for (const bad of [1e300, -1e300, 8.64e15 + 1]) {
      expect(teammatesFileSchema.safeParse([{ id: 'a', last_heartbeat: bad }]).success, String(bad)).toBe(false);
      expect(toMs(bad)).toBeNull();
    }
    expect(toMs(8.64e15)).toBe(8.64e15);
    const [r] = teammatesFileSchema.parse([{ id: 'a', heartbeat_age_seconds: 1e300 }]) as [never];
    const t = normalizeTeammate(r, Date.parse('2026-02-28T15:00:00Z'));
    expect(t.lastHeartbeat).toBeNull();
    expect(t.activitySignal).toBeNull();
  });
});

describe('team-manifest.json', () => {
  it('normalizes id/task_id, name/subject, assigned_to/owner, depends_on/blockedBy', () => {
    const a = normalizeTask(manifestFileSchema.parse([{ id: 'A', name: 'n', assigned_to: 'x', depends_on: ['B'], status: 'blocked' }])[0]!);
    const b = normalizeTask(manifestFileSchema.parse({ tasks: [{ task_id: 'A', subject: 'n', owner: 'x', blockedBy: ['B'], status: 'blocked' }] })[0]!);
    expect(a).toMatchObject({ id: 'A', name: 'n', owner: 'x', dependsOn: ['B'], status: 'blocked' });
    expect(b).toMatchObject({ id: 'A', name: 'n', owner: 'x', dependsOn: ['B'], status: 'blocked' });
  });
  it('accepts numeric ids as strings and defaults status to pending', () => {
    const t = normalizeTask(manifestFileSchema.parse([{ id: 7, depends_on: [3] }])[0]!);
    expect(t.id).toBe('7');
    expect(t.dependsOn).toEqual(['3']);
    expect(t.status).toBe('pending');
  });
  it('needs an id or task_id', () => {
    expect(manifestFileSchema.safeParse([{ name: 'x' }]).success).toBe(false);
  });
  it('rejects an unknown status', () => {
    expect(manifestFileSchema.safeParse([{ id: 'a', status: 'wip' }]).success).toBe(false);
  });
  it('reads deliverables, times and the other fields', () => {
    const t = normalizeTask(manifestFileSchema.parse([{
      id: 'a', sequence: 2, created_at: '2026-02-28T10:00:00Z', started_at: '2026-02-28T11:00:00Z',
      updated_at: '2026-02-28T12:00:00Z', completed_at: '2026-02-28T13:00:00Z', expected_duration_minutes: 60,
      completion_percent: 40, blocking_factor: 'waiting', blocks: ['b'], deliverables: [{ text: 'd1', done: true }, { text: 'd2' }],
    }])[0]!);
    expect(t.sequence).toBe(2);
    expect(t.completedAt).toBe(Date.parse('2026-02-28T13:00:00Z'));
    expect(t.deliverables).toEqual([{ text: 'd1', done: true }, { text: 'd2', done: false }]);
    expect(t.blocks).toEqual(['b']);
    expect(t.blockingFactor).toBe('waiting');
  });
});

describe('mailbox.jsonl lines', () => {
  it('normalizes recipients: an id, a list, "all"', () => {
    const m = (to: unknown) => normalizeMessage(messageSchema.parse({ sequence: 1, to }), 1).to;
    expect(m('tm_a')).toEqual(['tm_a']);
    expect(m(['tm_a', 'tm_b'])).toEqual(['tm_a', 'tm_b']);
    expect(m('all')).toBe('all');
  });
  it('treats ack_required and required_response alike, and reads ack_sequence and timeout', () => {
    const a = normalizeMessage(messageSchema.parse({ sequence: 1, ack_required: true, timeout: '30sec' }), 1);
    const b = normalizeMessage(messageSchema.parse({ sequence: 2, required_response: true, timeout: '5min' }), 2);
    const ack = normalizeMessage(messageSchema.parse({ sequence: 3, type: 'ack', ack_sequence: 1 }), 3);
    expect(a.ackRequired && b.ackRequired).toBe(true);
    expect(a.timeoutMs).toBe(30_000);
    expect(b.timeoutMs).toBe(300_000);
    expect(ack.ackSequences).toEqual([1]);
  });
  it('keeps object payloads and resending_sequences', () => {
    const m = normalizeMessage(messageSchema.parse({ sequence: 4, type: 'resend_batch', payload: { a: 1 }, resending_sequences: [1, 2] }), 4);
    expect(m.payload).toEqual({ a: 1 });
    expect(m.resendingSequences).toEqual([1, 2]);
  });
  it('requires an integer sequence', () => {
    expect(messageSchema.safeParse({ sequence: '1' }).success).toBe(false);
    expect(messageSchema.safeParse({ sequence: 1.5 }).success).toBe(false);
  });
});

describe('events.jsonl and checkpoints', () => {
  it('keeps the event fields as data', () => {
    const e = normalizeEvent(eventSchema.parse({ timestamp: '2026-02-28T14:00:00Z', type: 'hook_violation', pattern: 'H_STUB', line: 426 }), 1);
    expect(e.type).toBe('hook_violation');
    expect(e.data).toEqual({ pattern: 'H_STUB', line: 426 });
  });
  it('rejects an event without a type', () => {
    expect(eventSchema.safeParse({ timestamp: '2026-02-28T14:00:00Z' }).success).toBe(false);
  });
  it('normalizes a checkpoint and falls back to the file name for the teammate', () => {
    const c = normalizeCheckpoint(checkpointSchema.parse({ timestamp: '2026-02-28T14:25:30Z', completion_percent: 45, files_modified: ['a.java'] }), 'checkpoints/tm_x-latest.json', 'tm_x');
    expect(c.teammateId).toBe('tm_x');
    expect(c.filesModified).toEqual(['a.java']);
  });
});

describe('parseDuration', () => {
  it.each([['30sec', 30_000], ['5min', 300_000], ['2h', 7_200_000], ['45s', 45_000], ['10', 10_000], [90, 90_000], ['soon', null]])('%s', (v, ms) => {
    expect(parseDuration(v as string)).toBe(ms);
  });
});
