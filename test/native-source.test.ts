import { afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NativeSource } from '../src/sources/native/source.js';
import { RootError } from '../src/sources/source.js';
import type { RootSnapshot } from '../src/model/snapshot.js';
import { tempDir, removeDir, writeTeam, iso } from './helpers/state.js';

const NOW = Date.parse('2026-02-28T15:00:00Z');
let root: string;
let source: NativeSource | null = null;
afterEach(async () => {
  await source?.close();
  source = null;
  removeDir(root);
});

/** Resolves with the first snapshot (current included) that satisfies pred. */
function until(src: NativeSource, pred: (s: RootSnapshot) => boolean, ms = 5000): Promise<RootSnapshot> {
  return new Promise((resolve, reject) => {
    if (pred(src.getSnapshot())) { resolve(src.getSnapshot()); return; }
    const timer = setTimeout(() => { off(); reject(new Error('timed out waiting for the snapshot')); }, ms);
    const off = src.subscribe(() => {
      if (pred(src.getSnapshot())) { clearTimeout(timer); off(); resolve(src.getSnapshot()); }
    });
  });
}

describe('NativeSource: loading', () => {
  it('loads a root written by hand with both field variants', async () => {
    root = tempDir();
    writeTeam(root, 'team-a', {
      team: { team_id: 'team-a', team_status: 'active', lead: { id: 'lead', last_heartbeat: iso(NOW - 60_000) }, base_ref: 'main' },
      teammates: { teammates: [{ id: 'tm_1', name: 'One', last_heartbeat: iso(NOW - 30_000) }, { id: 'tm_2', heartbeat_age_seconds: 700 }] },
      manifest: [{ task_id: 'T1', subject: 'first', owner: 'tm_1', status: 'in_progress' }, { id: 'T2', name: 'second', assigned_to: 'tm_2', blockedBy: ['T1'] }],
      mailbox: [{ sequence: 1, timestamp: iso(NOW), from: 'lead', to: 'tm_1', type: 'message', payload: 'hi' }],
      events: [{ timestamp: iso(NOW), type: 'build', scope: 'all', result: 'success' }],
      checkpoints: { 'tm_1-latest.json': { checkpoint_id: 'c1', teammate_id: 'tm_1', timestamp: iso(NOW), completion_percent: 10 } },
    });
    writeTeam(root, 'team-b', { teammates: [{ id: 'x' }] });
    mkdirSync(join(root, 'team-a.ABORTED-20260227T1630Z'));
    writeFileSync(join(root, 'team-a.ABORTED-20260227T1630Z', 'teammates.json'), '[]');
    mkdirSync(join(root, 'not-a-team'));
    source = new NativeSource(root);
    await source.load();
    const s = source.getSnapshot();
    expect(s.teams.map((t) => t.id)).toEqual(['team-a', 'team-b']);
    expect(s.archived.map((a) => a.id)).toEqual(['team-a']);
    const a = s.teams[0]!;
    expect(a.info.status).toBe('active');
    expect(a.teammates.map((t) => t.id)).toEqual(['tm_1', 'tm_2']);
    expect(a.tasks[1]).toMatchObject({ id: 'T2', name: 'second', owner: 'tm_2', dependsOn: ['T1'] });
    expect(a.mailbox.recent[0]!.payload).toBe('hi');
    expect(a.events[0]!.type).toBe('build');
    expect(a.checkpoints.get('tm_1')![0]!.completionPercent).toBe(10);
    expect(a.errors).toEqual([]);
  });

  it('refuses a missing root and a root without teams', async () => {
    root = tempDir();
    await expect(new NativeSource(join(root, 'nope')).load()).rejects.toBeInstanceOf(RootError);
    await expect(new NativeSource(root).load()).rejects.toThrow(/holds no teams/);
  });

  it('reports a broken file with its name and line, and a missing teammates.json', async () => {
    root = tempDir();
    const dir = writeTeam(root, 't', { manifest: [] });
    writeFileSync(join(dir, 'teammates.json'), '[\n  {"id": "a"},\n  {"id": }\n]\n');
    source = new NativeSource(root);
    await source.load();
    const e = source.getSnapshot().teams[0]!.errors.find((x) => x.file === 'teammates.json')!;
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/invalid JSON/);
    writeTeam(root, 'u', { manifest: [] });
    rmSync(join(root, 'u', 'teammates.json'), { force: true });
    const s2 = new NativeSource(root);
    await s2.load();
    expect(s2.getSnapshot().teams.find((t) => t.id === 'u')!.errors[0]!.message).toMatch(/required file is missing/);
  });

  it('names the failing field with zod\'s message when a record does not validate', async () => {
    root = tempDir();
    writeTeam(root, 't', { teammates: [{ id: 'a' }, { id: 'b', context_tokens_used: 'lots' }] });
    source = new NativeSource(root);
    await source.load();
    const e = source.getSnapshot().teams[0]!.errors[0]!;
    expect(e.file).toBe('teammates.json');
    expect(e.message).toMatch(/context_tokens_used/);
    expect(e.line).toBeGreaterThan(1);
  });

  it('skips and counts malformed mailbox lines, listing their line numbers', async () => {
    root = tempDir();
    writeTeam(root, 't', { teammates: [], mailbox: '{"sequence":1}\nnot json\n{"sequence":"x"}\n{"sequence":2}\n' });
    source = new NativeSource(root);
    await source.load();
    const t = source.getSnapshot().teams[0]!;
    expect(t.mailbox.aggregates.total).toBe(2);
    expect(t.mailbox.aggregates.skipped).toBe(2);
    expect(t.errors.map((e) => [e.file, e.line])).toEqual([['mailbox.jsonl', 2], ['mailbox.jsonl', 3]]);
  });
});

describe('NativeSource: watching', () => {
  it('shows an append, keeps the last good teammates on a broken write, and recovers', async () => {
    root = tempDir();
    const dir = writeTeam(root, 't', { teammates: [{ id: 'tm_1' }], mailbox: [{ sequence: 1 }] });
    source = new NativeSource(root);
    await source.load();
    await source.watch();
    appendFileSync(join(dir, 'mailbox.jsonl'), JSON.stringify({ sequence: 2, payload: 'new' }) + '\n');
    await until(source, (s) => s.teams[0]!.mailbox.aggregates.total === 2);
    writeFileSync(join(dir, 'teammates.json'), '[{"id": "tm_1"}, {');
    const broken = await until(source, (s) => s.teams[0]!.errors.length > 0);
    expect(broken.teams[0]!.teammates.map((t) => t.id)).toEqual(['tm_1']);
    expect(broken.teams[0]!.errors[0]!.file).toBe('teammates.json');
    writeFileSync(join(dir, 'teammates.json'), '[{"id": "tm_1"}, {"id": "tm_2"}]');
    const fixed = await until(source, (s) => s.teams[0]!.teammates.length === 2);
    expect(fixed.teams[0]!.errors).toEqual([]);
  });

  it('picks up a team directory that appears and drops one that disappears', async () => {
    root = tempDir();
    writeTeam(root, 'a', { teammates: [] });
    source = new NativeSource(root);
    await source.load();
    await source.watch();
    writeTeam(root, 'b', { teammates: [{ id: 'x' }] });
    await until(source, (s) => s.teams.some((t) => t.id === 'b' && t.teammates.length === 1));
    rmSync(join(root, 'b'), { recursive: true });
    await until(source, (s) => !s.teams.some((t) => t.id === 'b'));
  });

  it('tracks messages_pending across updates', async () => {
    root = tempDir();
    const dir = writeTeam(root, 't', { teammates: [{ id: 'a', messages_pending: 1 }] });
    source = new NativeSource(root);
    await source.load();
    await source.watch();
    for (const n of [2, 3]) {
      writeFileSync(join(dir, 'teammates.json'), JSON.stringify([{ id: 'a', messages_pending: n }]));
      await until(source, (s) => s.teams[0]!.teammates[0]!.messagesPending === n);
    }
    expect(source.getSnapshot().teams[0]!.teammates[0]!.pendingHistory).toEqual([1, 2]);
  });

  it('a stray file at the root changes nothing: no new snapshot, no re-render', async () => {
    root = tempDir();
    writeTeam(root, 't', { teammates: [{ id: 'a' }] });
    source = new NativeSource(root);
    await source.load();
    await source.watch();
    const before = source.getSnapshot();
    let emits = 0;
    const off = source.subscribe(() => { emits++; });
    writeFileSync(join(root, 'notes.txt'), 'scratch');
    writeFileSync(join(root, '.swp'), 'x');
    await new Promise((r) => setTimeout(r, 400));
    off();
    expect(emits).toBe(0);
    expect(source.getSnapshot()).toBe(before);
    // A new team still shows up.
    writeTeam(root, 'u', { teammates: [{ id: 'b' }] });
    await until(source, (s) => s.teams.some((t) => t.id === 'u'));
  });
});
