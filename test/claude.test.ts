// Claude Code agent teams, on a copy of demo-state/.claude (the exact on-disk format).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { prepareDemo } from '../src/demo/prepare.js';
import { ClaudeSource, looksLikeClaudeDir } from '../src/sources/claude/source.js';
import { planAction } from '../src/actions/plan.js';
import { type ActionArgs } from '../src/ports/effects.js';
import { applyPlan } from '../src/actions/apply.js';
import { describeEffect } from '../src/actions/describe.js';
import { detect } from '../src/alerts/index.js';
import { DEFAULT_THRESHOLDS } from '../src/model/thresholds.js';
import type { ActionName } from '../src/ports/effects.js';
import { runCli, BIN, PROJECT } from './helpers/cli.js';
import { removeDir } from './helpers/state.js';

const mkfifoSync = (path: string): void => { execFileSync('mkfifo', [path]); };

let demo: string;
let claude: string;
let source: ClaudeSource | null = null;
beforeEach(async () => {
  demo = await prepareDemo();
  claude = join(demo, '.claude');
});
afterEach(async () => {
  await source?.close();
  source = null;
  removeDir(demo);
});

async function load() {
  source = new ClaudeSource(claude);
  await source.load();
  return source.getSnapshot();
}

const inbox = (team: string, who: string): Array<Record<string, unknown>> =>
  JSON.parse(readFileSync(join(claude, 'teams', team, 'inboxes', `${who}.json`), 'utf8'));
const task = (team: string, id: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(claude, 'tasks', team, `${id}.json`), 'utf8'));

async function act(action: ActionName, args: ActionArgs = {}) {
  const snap = await load();
  const team = snap.teams.find((t) => t.id === 'proxy-analysis')!;
  const plan = planAction(team, action, args, { now: Date.now(), repo: null, lead: 'team-lead' });
  const result = await applyPlan(plan, source!.writer(team.id));
  return { plan, result };
}

describe('reading a Claude Code home', () => {
  it('lists the teams under teams/, not the task folders of other sessions', async () => {
    expect(await looksLikeClaudeDir(claude)).toBe(true);
    expect(await looksLikeClaudeDir(demo)).toBe(false);
    const snap = await load();
    expect(snap.teams.map((t) => t.id)).toEqual(['docs-sprint', 'proxy-analysis', 'session-0c0ffee1', 'session-1a2b3c4d', 'session-9f8e7d6c']);
  });

  it('maps members, task files and inboxes into the model', async () => {
    const t = (await load()).teams.find((x) => x.id === 'proxy-analysis')!;
    expect(t.source).toBe('claude');
    expect(t.info.lead.id).toBe('team-lead');
    expect(t.teammates.map((m) => m.id)).toEqual(['cc-writer', 'cc-tester', 'cc-reviewer']);
    // Tasks: .lock and .highwatermark are not tasks; the _internal task 6 is hidden.
    expect(t.tasks.map((x) => x.id)).toEqual(['1', '2', '3', '4', '5']);
    expect(t.tasks.find((x) => x.id === '3')).toMatchObject({ owner: 'cc-tester', status: 'pending', dependsOn: ['5'], blocks: ['4'] });
    // One mailbox, oldest first, stable sequences; cc-tester has no inbox yet and that is fine.
    const msgs = t.mailbox.recent;
    expect(msgs.map((m) => m.sequence)).toEqual(msgs.map((_, i) => i + 1));
    expect(msgs.every((m, i) => i === 0 || (m.timestamp ?? 0) >= (msgs[i - 1]!.timestamp ?? 0))).toBe(true);
    expect(existsSync(join(claude, 'teams', 'proxy-analysis', 'inboxes', 'cc-tester.json'))).toBe(false);
    expect(t.errors).toEqual([]);
    // Protocol messages are parsed and shown by type.
    expect(msgs.map((m) => m.type)).toEqual(expect.arrayContaining(['task_assignment', 'idle_notification', 'message']));
    const failed = msgs.find((m) => m.type === 'idle_notification' && m.from === 'cc-tester')!;
    expect(failed.protocol).toMatchObject({ idleReason: 'failed', failureReason: 'API error: 529 overloaded after 3 retries' });
    expect(failed.to).toEqual(['team-lead']);
  });

  it('derives liveness and says which signal it came from; no context figures without a transcript', async () => {
    const t = (await load()).teams.find((x) => x.id === 'proxy-analysis')!;
    const by = Object.fromEntries(t.teammates.map((m) => [m.id, m]));
    // isActive: true is its status, not proof of life: its age is that of its last idle notification.
    expect(by['cc-writer']).toMatchObject({ activeNow: false, status: 'active', activitySignal: 'idle_notification', contextUsed: null });
    expect(by['cc-tester']).toMatchObject({ activitySignal: 'idle_notification', status: 'idle (failed)' });
    expect(Date.now() - by['cc-tester']!.lastHeartbeat!).toBeGreaterThan(24 * 60_000);
    expect(by['cc-reviewer']).toMatchObject({ activitySignal: 'message' });
    expect(Object.values(by).every((m) => m.contextUsed === null && m.contextMax === null && m.transcript === null)).toBe(true);
  });

  it('raises the failed teammate, the blockedBy cycle and the unread message, and nothing on the healthy team', async () => {
    const snap = await load();
    const kinds = (id: string) => [...new Set(detect(snap.teams.find((t) => t.id === id)!, Date.now(), DEFAULT_THRESHOLDS).map((a) => a.kind))].sort();
    expect(kinds('proxy-analysis')).toEqual(['dependency-cycle', 'message-unacked', 'teammate-failed', 'teammate-idle', 'teammate-stale']);
    expect(kinds('docs-sprint')).toEqual([]);
    const alerts = detect(snap.teams.find((t) => t.id === 'proxy-analysis')!, Date.now(), DEFAULT_THRESHOLDS);
    expect(alerts.find((a) => a.kind === 'teammate-failed')).toMatchObject({ severity: 'critical', subject: ['cc-tester'], evidence: { failure_reason: 'API error: 529 overloaded after 3 retries' } });
    expect(alerts.find((a) => a.kind === 'dependency-cycle')!.subject).toEqual(['3', '5', '4']);
    // Unread is unacknowledged only after 5 minutes.
    expect(alerts.filter((a) => a.kind === 'message-unacked').map((a) => a.subject[0]).sort()).toEqual(['cc-reviewer', 'team-lead']);
  });

  it('follows an inbox rewritten whole', async () => {
    await load();
    await source!.watch();
    const file = join(claude, 'teams', 'docs-sprint', 'inboxes', 'team-lead.json');
    const cur = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify([...cur, { from: 'doc-writer', text: 'chapter two is drafted', timestamp: new Date().toISOString(), read: false }]));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no update')), 5000);
      const off = source!.subscribe(() => {
        const t = source!.getSnapshot().teams.find((x) => x.id === 'docs-sprint')!;
        if (t.mailbox.recent.some((m) => m.payload === 'chapter two is drafted')) { clearTimeout(timer); off(); resolve(); }
      });
    });
  });
});

describe('a task directory replaced by a link while watched', () => {
  it('is not read through (the tasks outside never show), and is read again once it is a directory', async () => {
    await load();
    await source!.watch();
    const tasksDir = join(claude, 'tasks', 'docs-sprint');
    const tasksOf = () => source!.getSnapshot().teams.find((x) => x.id === 'docs-sprint')!;
    const until = (pred: () => boolean): Promise<void> => new Promise<void>((resolve, reject) => {
      if (pred()) return resolve();
      const timer = setTimeout(() => reject(new Error('no update')), 5000);
      const off = source!.subscribe(() => { if (pred()) { clearTimeout(timer); off(); resolve(); } });
    });
    const own = tasksOf().tasks.map((t) => t.id).sort();
    expect(own.length).toBeGreaterThan(0);
    const outside = join(demo, 'outside-tasks');
    mkdirSync(outside);
    renameSync(tasksDir, join(demo, 'kept-tasks'));
    symlinkSync(outside, tasksDir);
    await until(() => tasksOf().errors.some((e) => /tasks\/docs-sprint: is a symbolic link: not read/.test(`${e.file}: ${e.message}`)));
    // A task file written there afterwards (the watcher follows the link) is not read either.
    writeFileSync(join(outside, '99.json'), JSON.stringify({ id: '99', subject: 'outside', status: 'pending', blocks: [], blockedBy: [] }));
    // …seen by then: a message written after it is on screen.
    const file = join(claude, 'teams', 'docs-sprint', 'inboxes', 'team-lead.json');
    writeFileSync(file, JSON.stringify([...JSON.parse(readFileSync(file, 'utf8')), { from: 'doc-writer', text: 'after the link', timestamp: new Date().toISOString(), read: false }]));
    await until(() => tasksOf().mailbox.recent.some((m) => m.payload === 'after the link'));
    expect(tasksOf().tasks.map((t) => t.id)).toEqual([]);
    rmSync(tasksDir);
    renameSync(join(demo, 'kept-tasks'), tasksDir);
    await until(() => tasksOf().tasks.length === own.length);
    expect(tasksOf().tasks.map((t) => t.id).sort()).toEqual(own);
    expect(tasksOf().errors.filter((e) => /symbolic link/.test(e.message))).toEqual([]);
  });
});

describe('acting on a Claude Code team', () => {
  it('wake appends to the inbox in Claude Code\'s shape, creating an inbox that does not exist yet', async () => {
    const { result } = await act('wake', { target: 'cc-tester' });
    expect(result.ok).toBe(true);
    const box = inbox('proxy-analysis', 'cc-tester');
    expect(box).toHaveLength(1);
    expect(box[0]).toEqual({ from: 'team-lead', text: expect.stringMatching(/^Status check: no activity|^Status check: no heartbeat/), summary: 'Wake-up: status check', timestamp: expect.any(String), read: false });
    // teamtop's records live in its own state directory: Claude Code deletes the team directory.
    expect(existsSync(join(claude, 'teams', 'proxy-analysis', 'teamtop'))).toBe(false);
    const records = source!.getSnapshot().teams.find((t) => t.id === 'proxy-analysis')!.recordsDir!;
    expect(records.startsWith(process.env.XDG_STATE_HOME!)).toBe(true);
    expect(existsSync(join(records, 'actions.jsonl'))).toBe(true);
  });

  it('break-cycle removes the dependency from both task files', async () => {
    const { plan, result } = await act('break-cycle', { edge: '3:5' });
    expect(result.ok, plan.refused).toBe(true);
    expect(task('proxy-analysis', '3')).toMatchObject({ blockedBy: [], blocks: ['4'] });
    expect(task('proxy-analysis', '5')).toMatchObject({ blocks: [], blockedBy: ['4'] });
    expect(plan.effects.some((e) => e.kind === 'update-task' && e.set && 'sequence' in e.set)).toBe(false);
    // The plan shown names both files it edits.
    const team = source!.getSnapshot().teams.find((t) => t.id === 'proxy-analysis')!;
    expect(plan.effects.map((e) => describeEffect(e, team.format))).toContain('task file 3.json: blockedBy without 5; task file 5.json: blocks without 3');
    const after = detect((await load()).teams.find((t) => t.id === 'proxy-analysis')!, Date.now(), DEFAULT_THRESHOLDS);
    expect(after.map((a) => a.kind)).not.toContain('dependency-cycle');
  });

  it('reassign sets the owner and sends a task_assignment protocol message', async () => {
    const { result } = await act('reassign', { target: '3', to: 'cc-writer' });
    expect(result.ok).toBe(true);
    expect(task('proxy-analysis', '3').owner).toBe('cc-writer');
    const last = inbox('proxy-analysis', 'cc-writer').at(-1)!;
    expect(JSON.parse(last.text as string)).toEqual({ type: 'task_assignment', taskId: '3', subject: expect.any(String), description: expect.any(String), assignedBy: 'team-lead', timestamp: expect.any(String) });
    expect(last.read).toBe(false);
  });

  it('teamtop\'s own writes are not activity: every age stays as it was after its task edits and messages', async () => {
    const ages = (snap: Awaited<ReturnType<typeof load>>): Record<string, number | null> => {
      const team = snap.teams.find((t) => t.id === 'proxy-analysis')!;
      return { ...Object.fromEntries(team.teammates.map((m) => [m.id, m.lastHeartbeat])), lead: team.info.lead.lastHeartbeat };
    };
    const before = ages(await load());
    await source!.close();
    expect((await act('break-cycle', { edge: '3:5' })).result.ok).toBe(true);
    await source!.close();
    expect((await act('reassign', { target: '3', to: 'cc-writer' })).result.ok).toBe(true);
    await source!.close();
    // A second write of teamtop's to the same file: the time before it is teamtop's own too.
    expect((await act('complete', { target: '3', reason: 'done elsewhere' })).result.ok).toBe(true);
    await source!.close();
    expect((await act('wake', { target: 'cc-tester' })).result.ok).toBe(true);
    await source!.close();
    const after = await load();
    expect(ages(after)).toEqual(before);
    const kinds = detect(after.teams.find((t) => t.id === 'proxy-analysis')!, Date.now(), DEFAULT_THRESHOLDS).map((a) => a.kind);
    expect(kinds).toContain('teammate-stale');
    // The owner writing its task file again is activity as before.
    await source!.close();
    const file = join(claude, 'tasks', 'proxy-analysis', '3.json');
    writeFileSync(file, readFileSync(file, 'utf8'));
    const touched = statSync(file).mtimeMs;
    expect(ages(await load())['cc-writer']).toBe(touched);
  });

  it('halt sends a shutdown_request to every teammate; resume is refused with the reason', async () => {
    const { result } = await act('halt', { reason: 'API outage' });
    expect(result.ok).toBe(true);
    for (const who of ['cc-writer', 'cc-tester', 'cc-reviewer']) {
      expect(JSON.parse(inbox('proxy-analysis', who).at(-1)!.text as string)).toMatchObject({ type: 'shutdown_request', reason: 'API outage', from: 'team-lead' });
    }
    expect((await act('resume')).plan.refused).toMatch(/no team status/);
    // A second halt says the first one's request is still unanswered.
    await source!.close();
    const again = await act('halt', { reason: 'still down' });
    expect(again.plan.notes.join('\n')).toMatch(/a shutdown request already went out at \d\d:\d\d UTC \(no answer yet from cc-reviewer, cc-tester, cc-writer\): this sends another/);
  });

  it('a message to everyone when config.json cannot be read is refused, never "applied" to nobody', () => {
    const cfg = join(claude, 'teams', 'proxy-analysis', 'config.json');
    rmSync(cfg);
    mkfifoSync(cfg);
    const r = runCli(['act', 'halt', '--team', 'proxy-analysis', '--claude-dir', claude]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^refused: .*no teammate to send to/m);
    expect(r.stdout).not.toContain('applied');
  });

  it('teamtop act and check take --source claude and --claude-dir', () => {
    const dry = runCli(['act', 'wake', 'cc-reviewer', '--team', 'proxy-analysis', '--claude-dir', claude, '--dry-run']);
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('mailbox: append wake_up (urgent) to cc-reviewer');
    const check = runCli(['check', '--source', 'claude', '--claude-dir', claude, '--only', 'teammate-failed', '--json']);
    expect(check.status).toBe(1);
    expect(JSON.parse(check.stdout).teams.find((t: { team_id: string }) => t.team_id === 'proxy-analysis').alerts[0].kind).toBe('teammate-failed');
    // A root that looks like a .claude directory is recognised without --source.
    expect(runCli(['check', claude, '--team', 'docs-sprint']).stdout).toContain('docs-sprint: no alerts');
  });
});

describe('interleaved writers', () => {
  it('another process appending with proper-lockfile while teamtop act wake runs: no message is lost', async () => {
    const file = join(claude, 'teams', 'proxy-analysis', 'inboxes', 'cc-reviewer.json');
    const before = JSON.parse(readFileSync(file, 'utf8')).length as number;
    // A stand-in for Claude Code: lock, re-read, append, rewrite — 150 times.
    const other = `
      import lockfile from 'proper-lockfile';
      import { readFileSync, writeFileSync, renameSync } from 'node:fs';
      const file = ${JSON.stringify(file)};
      for (let i = 0; i < 150; i++) {
        const release = await lockfile.lock(file, { realpath: false, retries: { retries: 200, minTimeout: 2, maxTimeout: 50 } });
        const cur = JSON.parse(readFileSync(file, 'utf8'));
        cur.push({ from: 'cc-writer', text: 'note ' + i, timestamp: new Date().toISOString(), read: false });
        writeFileSync(file + '.tmp', JSON.stringify(cur, null, 2));
        renameSync(file + '.tmp', file);
        await release();
        await new Promise((r) => setTimeout(r, 15 + (i % 7))); // spread over the wakes
      }`;
    const writer = new Promise<number>((resolve) => {
      const p = spawn(process.execPath, ['--input-type=module', '-e', other], { cwd: PROJECT, stdio: 'ignore' });
      p.on('exit', (code) => resolve(code ?? 1));
    });
    const wakes = new Promise<number>((resolve) => {
      const loop = `for i in $(seq 20); do "${process.execPath}" "${BIN}" act wake cc-reviewer --team proxy-analysis --claude-dir "${claude}" >/dev/null || exit 1; done`;
      const p = spawn('bash', ['-c', loop], { cwd: PROJECT, stdio: 'ignore' });
      p.on('exit', (code) => resolve(code ?? 1));
    });
    expect(await Promise.all([writer, wakes])).toEqual([0, 0]);
    const after = JSON.parse(readFileSync(file, 'utf8')) as Array<{ from: string; text: string }>;
    expect(after).toHaveLength(before + 150 + 20);
    expect(after.filter((m) => m.from === 'cc-writer' && m.text.startsWith('note ')).map((m) => m.text)).toEqual(Array.from({ length: 150 }, (_, i) => `note ${i}`));
    expect(after.filter((m) => m.from === 'team-lead' && m.text.startsWith('Status check'))).toHaveLength(20);
  }, 120_000);
});
