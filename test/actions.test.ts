// Every action on a temporary state root inside a temporary git repository: the exact files,
// lines and refs each one leaves.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { NativeSource } from '../src/sources/native/source.js';
import { NativeWriter } from '../src/sources/native/writer.js';
import { planAction } from '../src/actions/plan.js';
import { type ActionArgs } from '../src/ports/effects.js';
import { applyPlan } from '../src/actions/apply.js';
import { latestBackupOf, resolveRepo } from '../src/git/team-repo.js';
import { detect } from '../src/alerts/index.js';
import { DEFAULT_THRESHOLDS } from '../src/model/thresholds.js';
import type { ActionName } from '../src/ports/effects.js';
import type { TeamSnapshot } from '../src/model/snapshot.js';
import { tempDir, removeDir, writeTeam, iso } from './helpers/state.js';
import { git, initRepo, makeWork, snapshotTree } from './helpers/repo.js';

const NOW = Date.parse('2026-02-28T15:00:00Z');
let repo: string;
let root: string;
let teamDir: string;

function stateFiles(): void {
  teamDir = writeTeam(root, 'sla', {
    team: { team_id: 'sla', team_status: 'active', lead: { id: 'lead', last_heartbeat: iso(NOW) }, base_ref: 'main' },
    teammates: { teammates: [
      { id: 'tm_engine', name: 'Engine', status: 'active', last_heartbeat: iso(NOW - 20 * 60_000), completion_percent: 45, task_current: 'Fix the deadlock', extra_field: 'kept' },
      { id: 'tm_schema', status: 'active', last_heartbeat: iso(NOW) },
      { id: 'tm_backup', status: 'active', last_heartbeat: iso(NOW) },
    ] },
    manifest: { team_id: 'sla', tasks: [
      { task_id: 'T1', subject: 'Fix the deadlock', owner: 'tm_engine', status: 'in_progress', completion_percent: 45, sequence: 1 },
      { id: 'A', name: 'implement', assigned_to: 'tm_engine', status: 'blocked', depends_on: ['C'], sequence: 2 },
      { id: 'B', name: 'review', assigned_to: 'tm_schema', status: 'blocked', depends_on: ['A'], blocks: ['C'], sequence: 3 },
      { id: 'C', name: 'benchmark', assigned_to: 'tm_backup', status: 'blocked', blockedBy: ['B'], sequence: 4 },
      { id: 'D', name: 'docs', assigned_to: 'tm_schema', status: 'pending', depends_on: ['A'] },
      { id: 'E', name: 'done already', assigned_to: 'tm_schema', status: 'completed' },
    ] },
    mailbox: [
      { sequence: 1, timestamp: iso(NOW - 600_000), from: 'lead', to: 'tm_engine', type: 'message', ack_required: true, payload: 'first' },
      { sequence: 2, timestamp: iso(NOW - 590_000), from: 'tm_engine', to: 'lead', type: 'ack', ack_sequence: 1 },
      { sequence: 3, timestamp: iso(NOW - 300_000), from: 'lead', to: 'tm_engine', type: 'message', ack_required: true, payload: 'second' },
      { sequence: 4, timestamp: iso(NOW - 200_000), from: 'lead', to: 'tm_engine', type: 'message', required_response: true, payload: 'third' },
    ],
    checkpoints: { 'tm_engine-latest.json': { checkpoint_id: 'ck1', teammate_id: 'tm_engine', timestamp: iso(NOW - 30 * 60_000), completion_percent: 40, last_action: 'profiled the main loop', next_step: 'implement the fix', files_modified: ['src/Runner.java'], notes: 'three candidate deadlocks' } },
  });
}

beforeEach(() => {
  repo = tempDir('teamtop-repo-');
  initRepo(repo);
  makeWork(repo);
  root = join(repo, '.team-state');
  mkdirSync(root);
  stateFiles();
});
afterEach(() => removeDir(repo));

async function load(): Promise<TeamSnapshot> {
  const s = new NativeSource(root);
  await s.load();
  const t = s.getSnapshot().teams[0]!;
  await s.close();
  return t;
}

async function run(action: ActionName, args: ActionArgs = {}, now = NOW) {
  const team = await load();
  const repoDir = await resolveRepo(team, root);
  const plan = planAction(team, action, args, { now, repo: repoDir, lead: 'lead', backup: await latestBackupOf(repoDir, team.id) });
  const result = await applyPlan(plan, new NativeWriter(teamDir, { lead: 'lead', stateRoot: root, now: () => now }), () => now);
  return { plan, result };
}

const mailbox = (): Array<Record<string, unknown>> => readFileSync(join(teamDir, 'mailbox.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const json = (name: string): any => JSON.parse(readFileSync(join(teamDir, name), 'utf8'));
const actions = (): Array<Record<string, unknown>> => readFileSync(join(teamDir, 'actions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));

describe('wake', () => {
  it('appends one wake_up built from the teammate and its latest checkpoint, and records the action', async () => {
    const { result } = await run('wake', { target: 'tm_engine' });
    expect(result.ok).toBe(true);
    const m = mailbox();
    expect(m).toHaveLength(5);
    expect(m[4]).toEqual({
      sequence: 5, timestamp: iso(NOW), from: 'lead', to: 'tm_engine', type: 'wake_up', priority: 'urgent',
      required_response: true, timeout: '5min',
      payload: {
        text: 'Status check: no heartbeat from you for 20m. Your last recorded action: profiled the main loop. You are at 45% on "Fix the deadlock". Reply with your status by 15:05 UTC (5 min), or the task will be reassigned.',
        silent_for_seconds: 1200, last_action: 'profiled the main loop', completion_percent: 45, task: 'Fix the deadlock', deadline: iso(NOW + 300_000),
      },
    });
    expect(actions()).toEqual([expect.objectContaining({ action: 'wake', result: 'ok', args: { target: 'tm_engine' }, time: iso(NOW) })]);
  });

  it('a current task the task list says is finished (a lead override) is not the wake\'s news', async () => {
    expect((await run('complete', { target: 'T1', reason: 'done by hand' })).result.ok).toBe(true);
    const { result } = await run('wake', { target: 'tm_engine' });
    expect(result.ok).toBe(true);
    const p = mailbox().at(-1)!.payload as Record<string, unknown>;
    expect(p.text).toContain('"Fix the deadlock" is completed: leave it.');
    expect(p.text).toContain('Your task: "implement".');
    expect(p.text).not.toContain('45%');
    expect(p).toMatchObject({ task: 'implement', completion_percent: null });
  });

  it('refuses an unknown teammate and records the refusal', async () => {
    const { plan, result } = await run('wake', { target: 'nobody' });
    expect(plan.refused).toMatch(/no teammate "nobody"/);
    expect(result.ok).toBe(false);
    expect(mailbox()).toHaveLength(4);
    expect(actions()[0]).toMatchObject({ action: 'wake', result: 'refused', error: plan.refused });
  });
});

describe('resend', () => {
  it('one resend_batch with every unacknowledged sequence and an ACK request', async () => {
    await run('resend', { target: 'tm_engine' });
    expect(mailbox()[4]).toMatchObject({
      sequence: 5, type: 'resend_batch', to: 'tm_engine', priority: 'high', resending_sequences: [3, 4], ack_required: true,
      payload: { text: '[RESEND BATCH] Messages 3, 4 were not acknowledged. Please ACK each.', messages: [{ sequence: 3, type: 'message', payload: 'second' }, { sequence: 4, type: 'message', payload: 'third' }] },
    });
  });
  it('refuses when nothing is unacknowledged', async () => {
    const { plan } = await run('resend', { target: 'tm_schema' });
    expect(plan.refused).toBe('nothing unacknowledged to tm_schema');
  });
});

describe('break-cycle', () => {
  it('by default frees the task the others wait on, renumbers the chain and tells the owners', async () => {
    // A is waited on by B and D: it goes first and stops waiting on C.
    const { plan, result } = await run('break-cycle', { target: 'A' });
    expect(result.ok).toBe(true);
    expect(plan.args.edge).toBe('A:C');
    const tasks = json('team-manifest.json').tasks;
    const byId = (id: string) => tasks.find((t: any) => (t.id ?? t.task_id) === id);
    expect(byId('A')).toMatchObject({ depends_on: [], sequence: 2, status: 'pending', updated_at: iso(NOW) });
    // With A → C gone the chain runs A, then B (waits on A), then C (waits on B).
    expect(byId('B')).toMatchObject({ depends_on: ['A'], sequence: 3, blocks: ['C'] });
    expect(byId('C')).toMatchObject({ blockedBy: ['B'], sequence: 4 });
    const m = mailbox()[4]!;
    expect(m).toMatchObject({ type: 'team_reordered', to: ['tm_engine', 'tm_schema', 'tm_backup'], priority: 'high' });
    expect((m.payload as any).task_order).toEqual([
      { sequence: 2, task: 'A', assigned_to: 'tm_engine' }, { sequence: 3, task: 'B', assigned_to: 'tm_schema' }, { sequence: 4, task: 'C', assigned_to: 'tm_backup' },
    ]);
    const after = detect(await load(), NOW, DEFAULT_THRESHOLDS).map((a) => a.kind);
    expect(after).not.toContain('dependency-cycle');
    expect(after).not.toContain('deadlock');
  });

  it('--edge picks another dependency, and keeps blocks consistent on the other side', async () => {
    const { result } = await run('break-cycle', { edge: 'C:B' });
    expect(result.ok).toBe(true);
    const tasks = json('team-manifest.json').tasks;
    expect(tasks.find((t: any) => t.id === 'C')).toMatchObject({ blockedBy: [], sequence: 2 });
    expect(tasks.find((t: any) => t.id === 'B')).toMatchObject({ blocks: [] });
  });

  it('renumbers a cycle as one rewrite of the manifest: a task gone meanwhile leaves every task as it was', async () => {
    const team = await load();
    const plan = planAction(team, 'break-cycle', { target: 'A' }, { now: NOW, repo: null, lead: 'lead' });
    const updates = plan.effects.filter((e) => e.kind === 'update-task');
    expect(updates.length).toBeGreaterThan(1);
    // Another writer drops C (the last task renumbered) between planning and applying.
    const manifest = json('team-manifest.json');
    manifest.tasks = manifest.tasks.filter((t: any) => t.id !== 'C');
    writeFileSync(join(teamDir, 'team-manifest.json'), JSON.stringify(manifest));
    const before = readFileSync(join(teamDir, 'team-manifest.json'), 'utf8');
    const result = await applyPlan(plan, new NativeWriter(teamDir, { lead: 'lead', stateRoot: root, now: () => NOW }), () => NOW);
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/update-task: task C is no longer in team-manifest\.json/);
    expect(readFileSync(join(teamDir, 'team-manifest.json'), 'utf8')).toBe(before);
    expect(mailbox()).toHaveLength(4);
  });

  it('refuses an edge that is not in the cycle', async () => {
    const { plan } = await run('break-cycle', { edge: 'B:C' });
    expect(plan.refused).toMatch(/B → C is not an edge of the cycle A → C → B → A/);
    expect((await run('break-cycle', { edge: 'D:A' })).plan.refused).toBe('no dependency cycle through D');
  });
});

describe('reassign', () => {
  it('checkpoints, commits and tags the work in progress, writes the brief, and hands over', async () => {
    const stamp = '20260228T150000Z';
    const { result } = await run('reassign', { target: 'T1', to: 'tm_backup' });
    expect(result.ok).toBe(true);
    // The checkpoint, twice.
    const cp = JSON.parse(readFileSync(join(teamDir, 'checkpoints', `tm_engine-${stamp}.json`), 'utf8'));
    expect(cp).toMatchObject({ checkpoint_id: `ckpt-tm_engine-${stamp}`, teammate_id: 'tm_engine', task_id: 'T1', completion_percent: 45, last_action: 'profiled the main loop', next_step: 'implement the fix', files_modified: ['src/Runner.java'] });
    expect(JSON.parse(readFileSync(join(teamDir, 'checkpoints', 'tm_engine-latest.json'), 'utf8'))).toEqual(cp);
    // The work in progress is committed and tagged.
    const head = git(repo, 'rev-parse', 'HEAD');
    expect(git(repo, 'log', '-1', '--format=%s')).toBe('Checkpoint: tm_engine at 45% on T1 before reassignment to tm_backup');
    expect(git(repo, 'rev-parse', `checkpoint-tm_engine-${stamp}^{commit}`)).toBe(head);
    expect(git(repo, 'status', '--porcelain', '--', '.', ':!.team-state')).toBe('');
    // The brief names the checkpoint commit.
    const brief = json(`reassign-tm_engine-${stamp}.json`);
    expect(brief).toMatchObject({ original_task: { id: 'T1', name: 'Fix the deadlock' }, completion_percent: 45, original_teammate: 'tm_engine', new_teammate: 'tm_backup', checkpoint_commit: head, previous_work_summary: 'three candidate deadlocks', files_modified: ['src/Runner.java'] });
    // Owner (in the file's own spelling), old teammate marked, message to the new owner.
    const task = json('team-manifest.json').tasks.find((t: any) => t.task_id === 'T1');
    expect(task.owner).toBe('tm_backup');
    expect(task.assigned_to).toBeUndefined();
    // tm_engine keeps task A: it is not marked reassigned (that is for an owner left with nothing).
    const tm = json('teammates.json').teammates.find((t: any) => t.id === 'tm_engine');
    expect(tm).toMatchObject({ status: 'active', extra_field: 'kept' });
    expect(mailbox()[4]).toMatchObject({ type: 'reassignment', to: 'tm_backup', priority: 'critical', required_response: true, attachment: `reassign-tm_engine-${stamp}.json`, payload: { task_id: 'T1', checkpoint_commit: head, brief: `reassign-tm_engine-${stamp}.json` } });
  });

  it('a task that is not the old owner\'s current one gets none of its figures, and an owner left with nothing is marked', async () => {
    const stamp = '20260228T150000Z';
    // A is tm_engine's too, but it works on T1: its 45 % and its checkpoint are T1's.
    const { plan, result } = await run('reassign', { target: 'A', to: 'tm_backup' });
    expect(result.ok).toBe(true);
    expect(plan.notes.join('\n')).toContain('tm_engine keeps T1: its status is left as it is');
    const brief = json(`reassign-tm_engine-${stamp}.json`);
    expect(brief).toMatchObject({ original_task: { id: 'A' }, completion_percent: null, previous_work_summary: null, files_modified: [] });
    expect(JSON.stringify(mailbox().at(-1))).not.toContain('45%');
    // Then T1, its last one: now it is marked reassigned.
    await run('reassign', { target: 'T1', to: 'tm_schema' }, NOW + 2000);
    expect(json('teammates.json').teammates.find((t: any) => t.id === 'tm_engine')).toMatchObject({ status: 'reassigned' });
  });

  it('a tag that already exists refuses the plan before anything is written (no commit, no file)', async () => {
    git(repo, 'tag', 'checkpoint-tm_engine-20260228T150000Z');
    const head = git(repo, 'rev-parse', 'HEAD');
    const before = readFileSync(join(teamDir, 'team-manifest.json'), 'utf8');
    const { result } = await run('reassign', { target: 'T1', to: 'tm_backup' });
    expect(result).toMatchObject({ ok: false, refused: true });
    expect(result.error).toMatch(/checkpoint-tm_engine-20260228T150000Z/);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(readFileSync(join(teamDir, 'team-manifest.json'), 'utf8')).toBe(before);
    expect(existsSync(join(teamDir, 'checkpoints', 'tm_engine-20260228T150000Z.json'))).toBe(false);
    expect(mailbox()).toHaveLength(4);
    expect(actions()[0]).toMatchObject({ action: 'reassign', result: 'refused', error: result.error });
  });

  it('a failure half way (the task vanished after planning) leaves each file old or new and records the error', async () => {
    const team = await load();
    const plan = planAction(team, 'reassign', { target: 'T1', to: 'tm_backup' }, { now: NOW, repo: await resolveRepo(team, root), lead: 'lead' });
    const manifest = json('team-manifest.json');
    manifest.tasks = manifest.tasks.filter((t: any) => (t.task_id ?? t.id) !== 'T1');
    writeFileSync(join(teamDir, 'team-manifest.json'), JSON.stringify(manifest));
    const before = readFileSync(join(teamDir, 'team-manifest.json'), 'utf8');
    const result = await applyPlan(plan, new NativeWriter(teamDir, { lead: 'lead', stateRoot: root, now: () => NOW }), () => NOW);
    expect(result.ok).toBe(false);
    expect(result.refused).toBeUndefined();
    expect(result.error).toMatch(/^update-task: task T1 is no longer in team-manifest\.json/);
    expect(readFileSync(join(teamDir, 'team-manifest.json'), 'utf8')).toBe(before);
    expect(JSON.parse(readFileSync(join(teamDir, 'teammates.json'), 'utf8')).teammates.find((t: any) => t.id === 'tm_engine').status).toBe('active');
    expect(mailbox()).toHaveLength(4);
    expect(actions()[0]).toMatchObject({ action: 'reassign', result: 'failed', error: result.error });
  });
});

describe('complete', () => {
  it('marks the task completed as a lead override and tells the owners of what it unblocks', async () => {
    await run('complete', { target: 'A', reason: 'approved the current implementation' });
    const a = json('team-manifest.json').tasks.find((t: any) => t.id === 'A');
    expect(a).toMatchObject({ status: 'completed', completed_at: iso(NOW), completion_percent: 100, completed_by: 'lead', completion_reason: 'approved the current implementation' });
    expect(mailbox()[4]).toMatchObject({ to: ['tm_engine', 'tm_schema'], payload: { unblocked: ['B', 'D'] } });
  });
  it('says only what can start now: a dependent still waiting on another task is not "unblocked"', async () => {
    const file = join(teamDir, 'team-manifest.json');
    const m = JSON.parse(readFileSync(file, 'utf8'));
    m.tasks.push({ id: 'W', assigned_to: 'tm_backup', status: 'pending', depends_on: ['A', 'C'] });
    writeFileSync(file, JSON.stringify(m));
    await run('complete', { target: 'A', reason: 'done by hand' });
    const msg = mailbox().at(-1);
    expect(msg).toMatchObject({ payload: { unblocked: ['B', 'D'] } });
    expect(msg.payload.text).toMatch(/B, D can proceed\.$/);
  });

  it('is not ambiguous-done at once, and the lead does not tell itself', async () => {
    // A task the lead owns, with an unchecked deliverable, that another task waits on.
    const file = join(teamDir, 'team-manifest.json');
    const m = JSON.parse(readFileSync(file, 'utf8'));
    m.tasks.push({ id: 'L', assigned_to: 'lead', status: 'in_progress', completion_percent: 70, deliverables: [{ text: 'benchmarks', done: false }] });
    m.tasks.push({ id: 'M', assigned_to: 'lead', status: 'pending', depends_on: ['L'] });
    writeFileSync(file, JSON.stringify(m));
    const before = mailbox().length;
    const { result } = await run('complete', { target: 'L', reason: 'benchmarks are not needed for this release' });
    expect(result.ok).toBe(true);
    expect(json('team-manifest.json').tasks.find((t: any) => t.id === 'L')).toMatchObject({ status: 'completed', completion_percent: 100 });
    expect(mailbox()).toHaveLength(before);
    const s = new NativeSource(root);
    await s.load();
    const team = s.getSnapshot().teams[0]!;
    await s.close();
    expect(detect(team, NOW, DEFAULT_THRESHOLDS).filter((a) => a.kind === 'ambiguous-done' && a.subject[0] === 'L')).toEqual([]);
  });
  it('needs a reason', async () => {
    expect((await run('complete', { target: 'A' })).plan.refused).toMatch(/reason/);
  });
});

describe('halt and resume', () => {
  it('set team_status and tell everyone', async () => {
    await run('halt', { reason: 'investigating' });
    expect(json('team.json')).toMatchObject({ team_status: 'halted', base_ref: 'main' });
    expect(mailbox()[4]).toMatchObject({ type: 'team_halted', to: 'all', priority: 'critical' });
    expect((await run('halt')).plan.refused).toMatch(/already halted/);
    await run('resume');
    expect(json('team.json').team_status).toBe('active');
    expect(mailbox()[5]).toMatchObject({ type: 'team_resumed', to: 'all' });
  });
});

describe('abort and undo-abort', () => {
  it('saves everything, rolls back to base_ref, and undo-abort restores committed, staged, unstaged and untracked work byte for byte', async () => {
    const stamp = '20260228T150000Z';
    const tree = snapshotTree(repo, ['.team-state']);
    const head = git(repo, 'rev-parse', 'HEAD');
    const status = git(repo, 'status', '--porcelain=v1', '--untracked-files=all', '--', '.', ':!.team-state');
    const { result } = await run('abort', { reason: 'consolidation failed three times' });
    expect(result.ok).toBe(true);
    // Saved: the backup ref and the tag.
    expect(git(repo, 'rev-parse', '--verify', `refs/teamtop/backup/sla-${stamp}`)).toMatch(/^[0-9a-f]{40}$/);
    expect(git(repo, 'rev-parse', `abort-sla-${stamp}^{commit}`)).toBe(head);
    // The decision record, the archive copy, the status, the message.
    const decision = json(`abort-${stamp}.json`);
    expect(decision).toMatchObject({ reason: 'consolidation failed three times', completed_tasks: ['E'], backup_ref: `refs/teamtop/backup/sla-${stamp}`, tag: `abort-sla-${stamp}`, base_ref: 'main', completed_work: 17, lost_work: 83 });
    expect(existsSync(join(root, `sla.ABORTED-${stamp}`, 'teammates.json'))).toBe(true);
    expect(existsSync(join(root, `sla.ABORTED-${stamp}`, `abort-${stamp}.json`))).toBe(true);
    expect(json('team.json').team_status).toBe('aborted');
    expect(mailbox()[4]).toMatchObject({ type: 'team_aborted', to: 'all' });
    // Rolled back to main: the branch's commit and every change are gone from the work tree...
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(git(repo, 'rev-parse', 'main'));
    expect(existsSync(join(repo, 'feature.js'))).toBe(false);
    expect(existsSync(join(repo, 'untracked.txt'))).toBe(false);
    expect(readFileSync(join(repo, 'app.js'), 'utf8')).toBe('console.log(1);\n');
    // ...but the state root inside the repo, and ignored files, are untouched.
    expect(existsSync(join(teamDir, 'mailbox.jsonl'))).toBe(true);
    expect(existsSync(join(repo, 'ignored.log'))).toBe(true);

    const undo = await run('undo-abort', {}, NOW + 60_000);
    expect(undo.result.error ?? undo.plan.refused ?? 'ok').toBe('ok');
    expect(snapshotTree(repo, ['.team-state'])).toEqual(tree);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(repo, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('team-work');
    expect(git(repo, 'status', '--porcelain=v1', '--untracked-files=all', '--', '.', ':!.team-state')).toBe(status);
    expect(json('team.json').team_status).toBe('active');
    expect(actions().map((a) => [a.action, a.result])).toEqual([['abort', 'ok'], ['undo-abort', 'ok']]);
  });

  it('refuses to roll back a state root that is tracked in the repo, before changing anything', async () => {
    git(repo, 'add', '-f', '.team-state');
    git(repo, 'commit', '-q', '-m', 'track the state by mistake');
    const head = git(repo, 'rev-parse', 'HEAD');
    const { result } = await run('abort', { reason: 'x' });
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/state root \(\.team-state\) is tracked in git/);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(existsSync(join(repo, 'feature.js'))).toBe(true);
  });

  it('refuses while a merge is in progress', async () => {
    writeFileSync(join(repo, '.git', 'MERGE_HEAD'), git(repo, 'rev-parse', 'main') + '\n');
    const { result } = await run('abort', { reason: 'x' });
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/merge/);
    expect(json('team.json').team_status).toBe('active');
  });

  it('refuses when index.lock exists', async () => {
    writeFileSync(join(repo, '.git', 'index.lock'), '');
    const { result } = await run('reassign', { target: 'T1', to: 'tm_backup' });
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/index\.lock/);
  });
});
