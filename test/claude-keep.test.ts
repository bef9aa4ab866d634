// The keeper of ended Claude Code teams (src/sources/claude/keep.ts), on real directories: what it
// copies, what it leaves out (links, FIFOs, hard links, files over the bounds), what it removes and
// when (never once the team directory is gone), records moved out of Claude Code's reach, two
// keepers saving at once, and retention. Clocks are injected; nothing depends on timing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import {
  existsSync, linkSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { homeKey, KEEP_DELETE_GRACE_MS, KEEP_RETENTION_MS, teamtopStateDir, TeamKeeper } from '../src/sources/claude/keep/index.js';
import { ClaudeTeam } from '../src/sources/claude/team.js';
import { removeDir, tempDir } from './helpers/state.js';
import { fileTree } from './helpers/tree.js';

const TEAM = 'session-1a2b3c4d';
const mkfifo = (p: string): void => { execFileSync('mkfifo', [p]); };

let claude: string;
let state: string;
let outside: string;
let clock: number;
const now = (): number => clock;

beforeEach(() => {
  claude = tempDir('teamtop-keep-claude-');
  state = tempDir('teamtop-keep-state-');
  outside = tempDir('teamtop-keep-outside-');
  clock = Date.parse('2026-03-01T12:00:00.000Z');
  writeFileSync(join(outside, 'secret.json'), '["SECRET-OUTSIDE"]\n');
});
afterEach(() => {
  for (const d of [claude, state, outside]) removeDir(d);
});

const teamDir = (id = TEAM): string => join(claude, 'teams', id);
const tasksDir = (id = TEAM): string => join(claude, 'tasks', id);
const keeper = (opts: ConstructorParameters<typeof TeamKeeper>[2] = {}): TeamKeeper => new TeamKeeper(claude, state, { now, ...opts });
const input = (id = TEAM, pointers?: unknown) => ({ teamDir: teamDir(id), tasksDir: tasksDir(id), ...(pointers === undefined ? {} : { pointers }) });

/** A live team as Claude Code writes it, with the lock and high-water mark beside the tasks. */
function writeLiveTeam(id = TEAM): void {
  mkdirSync(join(teamDir(id), 'inboxes'), { recursive: true });
  mkdirSync(tasksDir(id), { recursive: true });
  const member = (name: string) => ({ agentId: `${name}@${id}`, name, agentType: 'general-purpose', joinedAt: 1772288100000, cwd: '/home/dev/app' });
  writeFileSync(join(teamDir(id), 'config.json'), JSON.stringify({ name: id, createdAt: 1772288100000, leadAgentId: `team-lead@${id}`, members: [member('team-lead'), member('writer')] }, null, 2));
  const msg = (from: string, text: string, read: boolean) => ({ from, text, summary: text.slice(0, 20), timestamp: '2026-03-01T11:00:00.000Z', read });
  writeFileSync(join(teamDir(id), 'inboxes', 'team-lead.json'), JSON.stringify([msg('writer', 'First draft is done', true)], null, 2));
  writeFileSync(join(teamDir(id), 'inboxes', 'writer.json'), JSON.stringify([msg('team-lead', 'Please start on the docs', false)], null, 2));
  writeFileSync(join(tasksDir(id), '1.json'), JSON.stringify({ id: '1', subject: 'Write the docs', description: 'The user guide', status: 'in_progress', owner: 'writer', blocks: ['2'], blockedBy: [] }));
  writeFileSync(join(tasksDir(id), '2.json'), JSON.stringify({ id: '2', subject: 'Review', description: 'Read it through', status: 'pending', blocks: [], blockedBy: ['1'] }));
  mkdirSync(join(tasksDir(id), '.lock'));
  writeFileSync(join(tasksDir(id), '.highwatermark'), '2');
}

const tree = (d: string): Record<string, string> => fileTree(d, 'latin1');

/** The kept copy's files (team/… and tasks/…) with their bytes. */
function keptFiles(k: TeamKeeper, id = TEAM): Record<string, string> {
  const t = tree(k.keptDir(id));
  return Object.fromEntries(Object.entries(t).filter(([rel, v]) => /^(team|tasks)\//.test(rel) && v !== 'dir'));
}

/** The live files the kept copy should hold, under their kept names. */
function liveFiles(id = TEAM): Record<string, string> {
  const out: Record<string, string> = { 'team/config.json': readFileSync(join(teamDir(id), 'config.json'), 'latin1') };
  for (const n of readdirSync(join(teamDir(id), 'inboxes'))) out[`team/inboxes/${n}`] = readFileSync(join(teamDir(id), 'inboxes', n), 'latin1');
  for (const n of readdirSync(tasksDir(id))) if (n.endsWith('.json')) out[`tasks/${n}`] = readFileSync(join(tasksDir(id), n), 'latin1');
  return out;
}

describe('where teamtop keeps its copies', () => {
  it('uses $XDG_STATE_HOME/teamtop when it is absolute, else ~/.local/state/teamtop', () => {
    expect(teamtopStateDir({ XDG_STATE_HOME: '/var/xdg' })).toBe('/var/xdg/teamtop');
    expect(teamtopStateDir({ XDG_STATE_HOME: 'relative/dir' })).toMatch(/\/\.local\/state\/teamtop$/);
    expect(teamtopStateDir({})).toMatch(/\/\.local\/state\/teamtop$/);
  });

  it('gives each Claude Code home its own directory, and a link to a home the same one', () => {
    const a = join(claude, 'a', '.claude');
    const b = join(claude, 'b', '.claude');
    mkdirSync(a, { recursive: true });
    mkdirSync(b, { recursive: true });
    symlinkSync(a, join(claude, 'link'));
    expect(homeKey('/home/a/.claude')).toMatch(/^claude-[0-9a-f]{12}$/);
    expect(new TeamKeeper(a, state).base).not.toBe(new TeamKeeper(b, state).base);
    expect(new TeamKeeper(join(claude, 'link'), state).base).toBe(new TeamKeeper(a, state).base);
    expect(new TeamKeeper(a, state).base.startsWith(join(state, 'claude') + '/')).toBe(true);
  });
});

describe('keeping a team', () => {
  it('keeps a byte-identical copy that outlives the team and reads like a live team', async () => {
    writeLiveTeam();
    writeFileSync(join(tasksDir(), '3.json'), '{"id": "3", "subject": "torn'); // caught mid-write: not kept
    const k = keeper();
    const live = new ClaudeTeam(TEAM, teamDir(), tasksDir());
    await live.loadAll();
    const r = await k.save(TEAM, input(TEAM, { transcript: '/t/abc.jsonl', offset: 42 }));
    expect(r.status).toBe('saved');
    expect(r.skipped).toEqual([{ path: join(tasksDir(), '3.json'), reason: 'not whole JSON now (Claude Code may be writing it): the kept copy stays as it was' }]);
    const { 'tasks/3.json': torn, ...before } = liveFiles();
    expect(torn).toBeDefined();
    expect(Object.keys(before).sort()).toEqual(['tasks/1.json', 'tasks/2.json', 'team/config.json', 'team/inboxes/team-lead.json', 'team/inboxes/writer.json']);
    expect(await k.ended(new Set([TEAM]))).toEqual([]);

    rmSync(teamDir(), { recursive: true });
    expect((await k.save(TEAM, input())).status).toBe('ended');
    const [e, ...more] = await k.ended(new Set());
    expect(more).toEqual([]);
    expect(e).toMatchObject({ id: TEAM, lastSeen: new Date(clock).toISOString(), liveDir: teamDir(), liveTasksDir: tasksDir(), pointers: { transcript: '/t/abc.jsonl', offset: 42 }, problems: [] });
    expect(e!.dir).toBe(join(k.keptDir(TEAM), 'team'));
    expect(keptFiles(k)).toEqual(before); // neither .lock nor .highwatermark
    const kept = new ClaudeTeam(TEAM, e!.dir, e!.tasksDir);
    await kept.loadAll();
    const a = live.snapshot();
    const b = kept.snapshot();
    expect(b.tasks.map((t) => [t.id, t.status, t.owner])).toEqual(a.tasks.map((t) => [t.id, t.status, t.owner]));
    expect(b.teammates.map((t) => t.id)).toEqual(a.teammates.map((t) => t.id));
    const msgs = (t: typeof a) => t.mailbox.recent.map((m) => [m.from, m.to, m.timestamp, m.payload]);
    expect(msgs(b)).toEqual(msgs(a));
    expect(b.mailbox.recent).toHaveLength(2);
    // The torn task was an error live; the copy has no torn file.
    expect(a.errors.map((x) => x.file)).toEqual([`tasks/${TEAM}/3.json`]);
    expect(b.errors).toEqual([]);
  });

  it('never replaces a good copy with a file caught half-written; the next save takes the finished file', async () => {
    writeLiveTeam();
    const k = keeper();
    await k.save(TEAM, input());
    const inbox = join(teamDir(), 'inboxes', 'writer.json');
    const good = readFileSync(inbox, 'utf8');
    for (const [file, whole] of [[inbox, good], [join(teamDir(), 'config.json'), readFileSync(join(teamDir(), 'config.json'), 'utf8')]] as const) {
      writeFileSync(file, whole.slice(0, 30));
      clock += 1000;
      const r = await k.save(TEAM, input());
      expect(r.skipped.map((s) => s.path)).toEqual([file]);
      expect(keptFiles(k)[file === inbox ? 'team/inboxes/writer.json' : 'team/config.json']).toBe(whole);
      writeFileSync(file, `${whole}\n`);
      clock += 1000;
      expect((await k.save(TEAM, input())).skipped).toEqual([]);
      expect(keptFiles(k)[file === inbox ? 'team/inboxes/writer.json' : 'team/config.json']).toBe(`${whole}\n`);
    }
  });

  it('copies only what changed, and a save with nothing new writes nothing', async () => {
    writeLiveTeam();
    const k = keeper();
    await k.save(TEAM, input());
    const stamp = (rel: string) => { const st = statSync(join(k.keptDir(TEAM), rel)); return [st.ino, st.mtimeMs]; };
    const rels = ['team/config.json', 'team/inboxes/team-lead.json', 'team/inboxes/writer.json', 'tasks/1.json', 'tasks/2.json', 'manifest.json', 'seen.json'];
    const first = Object.fromEntries(rels.map((r) => [r, stamp(r)]));

    const again = await k.save(TEAM, input());
    expect(again).toEqual({ status: 'unchanged', copied: [], removed: [], skipped: [] });
    expect(Object.fromEntries(rels.map((r) => [r, stamp(r)]))).toEqual(first);
    // A second keeper (another process) sees the same: nothing to do.
    expect((await keeper().save(TEAM, input())).status).toBe('unchanged');

    writeFileSync(join(teamDir(), 'inboxes', 'writer.json'), JSON.stringify([{ from: 'team-lead', text: 'now longer', read: true }]));
    writeFileSync(join(tasksDir(), '4.json'), JSON.stringify({ id: '4', subject: 'New', status: 'pending' }));
    const r = await k.save(TEAM, input());
    expect(r.copied.sort()).toEqual(['tasks/4.json', 'team/inboxes/writer.json']);
    for (const rel of ['team/config.json', 'team/inboxes/team-lead.json', 'tasks/1.json', 'tasks/2.json']) expect(stamp(rel)).toEqual(first[rel]);
    expect(stamp('team/inboxes/writer.json')).not.toEqual(first['team/inboxes/writer.json']);
    expect(keptFiles(k)).toEqual(liveFiles());
  });

  it('removes the copy of a file deleted while the team lives (after the grace), never once the team is gone', async () => {
    writeLiveTeam();
    const k = keeper();
    await k.save(TEAM, input());
    rmSync(join(tasksDir(), '2.json'));
    const first = await k.save(TEAM, input());
    expect(first.removed).toEqual([]); // only marked: a team being removed looks like this
    expect(existsSync(join(k.keptDir(TEAM), 'tasks', '2.json'))).toBe(true);
    clock += KEEP_DELETE_GRACE_MS;
    expect((await k.save(TEAM, input())).removed).toEqual(['tasks/2.json']);
    expect(keptFiles(k)).toEqual(liveFiles());

    // A save in the middle of Claude Code's removal of the team, then the team gone: all kept.
    const whole = keptFiles(k);
    rmSync(join(teamDir(), 'inboxes', 'writer.json'));
    rmSync(join(tasksDir(), '1.json'));
    await k.save(TEAM, input());
    rmSync(teamDir(), { recursive: true });
    rmSync(tasksDir(), { recursive: true });
    clock += 10 * KEEP_DELETE_GRACE_MS;
    expect(await k.save(TEAM, input())).toEqual({ status: 'ended', copied: [], removed: [], skipped: [] });
    expect(keptFiles(k)).toEqual(whole);
  });

  it('brings a file back that reappears before its copy was removed', async () => {
    writeLiveTeam();
    const k = keeper();
    await k.save(TEAM, input());
    const text = readFileSync(join(tasksDir(), '1.json'));
    rmSync(join(tasksDir(), '1.json'));
    await k.save(TEAM, input());
    writeFileSync(join(tasksDir(), '1.json'), text);
    clock += KEEP_DELETE_GRACE_MS;
    const r = await k.save(TEAM, input());
    expect(r.removed).toEqual([]);
    expect(keptFiles(k)).toEqual(liveFiles());
  });
});

describe('what is not kept', () => {
  it('never follows a link in the live team, nor copies a hard link, and says so', async () => {
    writeLiveTeam();
    symlinkSync(join(outside, 'secret.json'), join(teamDir(), 'inboxes', 'evil.json'));
    linkSync(join(outside, 'secret.json'), join(tasksDir(), '9.json'));
    const k = keeper();
    const r = await k.save(TEAM, input());
    expect(r.skipped).toEqual(expect.arrayContaining([
      { path: join(teamDir(), 'inboxes', 'evil.json'), reason: expect.stringContaining('symbolic link') },
      { path: join(tasksDir(), '9.json'), reason: expect.stringContaining('hard link') },
    ]));
    expect(JSON.stringify(tree(state))).not.toContain('SECRET-OUTSIDE');
    expect(keptFiles(k)).not.toHaveProperty('team/inboxes/evil.json');
  });

  it('does not follow an inboxes folder that is a link, and keeps what it had copied from it', async () => {
    writeLiveTeam();
    const k = keeper();
    await k.save(TEAM, input());
    const whole = keptFiles(k);
    rmSync(join(teamDir(), 'inboxes'), { recursive: true });
    symlinkSync(outside, join(teamDir(), 'inboxes'));
    clock += 10 * KEEP_DELETE_GRACE_MS;
    await k.save(TEAM, input());
    clock += 10 * KEEP_DELETE_GRACE_MS;
    const r = await k.save(TEAM, input());
    expect(r.skipped).toEqual([{ path: join(teamDir(), 'inboxes'), reason: expect.stringContaining('symbolic link') }]);
    expect(keptFiles(k)).toEqual(whole);
    expect(JSON.stringify(tree(state))).not.toContain('SECRET-OUTSIDE');
  });

  it('does not hang on a FIFO named like an inbox or a task', async () => {
    writeLiveTeam();
    mkfifo(join(teamDir(), 'inboxes', 'ghost.json'));
    mkfifo(join(tasksDir(), '7.json'));
    const k = keeper();
    const r = await k.save(TEAM, input());
    expect(r.status).toBe('saved');
    expect(r.skipped.map((s) => [s.path, s.reason])).toEqual([
      [join(teamDir(), 'inboxes', 'ghost.json'), 'a FIFO: not kept'],
      [join(tasksDir(), '7.json'), 'a FIFO: not kept'],
    ]);
    expect(Object.keys(keptFiles(k))).not.toContain('team/inboxes/ghost.json');
  });

  it('bounds the work: files over the size limit and past the file limit are left out, their old copies kept', async () => {
    writeLiveTeam();
    const k = keeper({ maxFiles: 4, maxFileBytes: 1000 });
    await keeper().save(TEAM, input()); // everything, by a keeper without those bounds
    const old = keptFiles(k);
    writeFileSync(join(teamDir(), 'inboxes', 'team-lead.json'), JSON.stringify([{ from: 'writer', text: 'x'.repeat(2000) }]));
    writeFileSync(join(tasksDir(), '1.json'), JSON.stringify({ id: '1', subject: 'Changed', status: 'completed' }));
    writeFileSync(join(tasksDir(), '2.json'), JSON.stringify({ id: '2', subject: 'Changed too', status: 'completed' }));
    clock += 10 * KEEP_DELETE_GRACE_MS;
    const r = await k.save(TEAM, input());
    // In order: config.json, the inboxes, the tasks (each folder sorted): tasks/2.json is the fifth.
    expect(r.skipped).toEqual([
      { path: teamDir(), reason: '1 more files over the 4-file limit of a team: not kept' },
      { path: join(teamDir(), 'inboxes', 'team-lead.json'), reason: expect.stringMatching(/^\d+ bytes, over the 1000-byte limit/) },
    ]);
    expect(r.copied).toEqual(['tasks/1.json']);
    expect(r.removed).toEqual([]);
    const kept = keptFiles(k);
    expect(kept['tasks/1.json']).toBe(readFileSync(join(tasksDir(), '1.json'), 'latin1'));
    expect(kept['tasks/2.json']).toBe(old['tasks/2.json']);
    expect(kept['team/inboxes/team-lead.json']).toBe(old['team/inboxes/team-lead.json']);
  });
});

describe('teamtop\'s records', () => {
  const oldDir = (): string => join(teamDir(), 'teamtop');

  it('are copied from the old place once, never over a record, never through a link; the old files stay', async () => {
    writeLiveTeam();
    mkdirSync(oldDir());
    writeFileSync(join(oldDir(), 'actions.jsonl'), '{"action":"wake"}\n');
    writeFileSync(join(oldDir(), 'alert-acks.json'), '{"acks":{}}\n');
    symlinkSync(join(outside, 'secret.json'), join(oldDir(), 'rollback.json'));
    const k = keeper();
    const r = await k.migrateRecords(TEAM, oldDir());
    expect(r.status).toBe('migrated');
    expect(r.copied).toEqual(['actions.jsonl', 'alert-acks.json']);
    expect(r.skipped).toEqual([{ path: join(oldDir(), 'rollback.json'), reason: expect.stringContaining('symbolic link') }]);
    const dir = k.recordsDir(TEAM);
    expect(tree(dir)).toEqual({ 'actions.jsonl': '{"action":"wake"}\n', 'alert-acks.json': '{"acks":{}}\n' });
    expect(statSync(join(dir, 'actions.jsonl')).nlink).toBe(1); // appendLine refuses more
    expect(readFileSync(join(oldDir(), 'actions.jsonl'), 'utf8')).toBe('{"action":"wake"}\n');

    writeFileSync(join(oldDir(), 'actions.jsonl'), '{"action":"changed"}\n');
    writeFileSync(join(dir, 'actions.jsonl'), '{"action":"new"}\n');
    expect(await k.migrateRecords(TEAM, oldDir())).toEqual({ status: 'already', copied: [], skipped: [] });
    expect(readFileSync(join(dir, 'actions.jsonl'), 'utf8')).toBe('{"action":"new"}\n');
  });

  it('are not copied over a record a writer made first, nor from a linked old folder', async () => {
    writeLiveTeam();
    const k = keeper();
    const dir = await k.ensureRecordsDir(TEAM);
    writeFileSync(join(dir, 'rollback.json'), '{"mine":true}\n');
    mkdirSync(oldDir());
    writeFileSync(join(oldDir(), 'rollback.json'), '{"old":true}\n');
    writeFileSync(join(oldDir(), 'actions.jsonl'), '{"old":true}\n');
    expect((await k.migrateRecords(TEAM, oldDir())).status).toBe('already');
    expect(tree(dir)).toEqual({ 'rollback.json': '{"mine":true}\n' });

    const other = 'session-99999999';
    writeLiveTeam(other);
    writeFileSync(join(outside, 'actions.jsonl'), 'OUTSIDE\n');
    symlinkSync(outside, join(teamDir(other), 'teamtop'));
    const r = await k.migrateRecords(other, join(teamDir(other), 'teamtop'));
    expect(r).toEqual({ status: 'nothing', copied: [], skipped: [{ path: join(teamDir(other), 'teamtop'), reason: expect.stringContaining('symbolic link') }] });
    expect(existsSync(k.recordsDir(other))).toBe(false);
  });
});

describe('concurrency and safety', () => {
  it('two keepers (two processes) saving at once leave one consistent copy', async () => {
    writeLiveTeam();
    const a = keeper();
    const b = keeper();
    for (let round = 0; round < 5; round++) {
      writeFileSync(join(teamDir(), 'inboxes', 'writer.json'), JSON.stringify([{ from: 'team-lead', text: `round ${round}`.repeat(round + 1) }]));
      writeFileSync(join(tasksDir(), `${10 + round}.json`), JSON.stringify({ id: String(10 + round), status: 'pending' }));
      const results = await Promise.all([a.save(TEAM, input()), b.save(TEAM, input()), a.save(TEAM, input()), b.save(TEAM, input())]);
      // One of them saved; the others, listing again under the lock, found nothing left to do.
      expect(results.map((r) => r.status).sort()).toEqual(['saved', 'unchanged', 'unchanged', 'unchanged']);
      expect(results.flatMap((r) => r.copied).sort()).toEqual(round === 0
        ? ['tasks/1.json', 'tasks/10.json', 'tasks/2.json', 'team/config.json', 'team/inboxes/team-lead.json', 'team/inboxes/writer.json']
        : [`tasks/${10 + round}.json`, 'team/inboxes/writer.json']);
      clock += 1000;
    }
    expect(keptFiles(a)).toEqual(liveFiles());
    const left = Object.keys(tree(a.keptDir(TEAM)));
    expect(left.filter((n) => /\.tmp$|\.lock$/.test(n))).toEqual([]);
    // Both agree nothing is left to do.
    expect((await a.save(TEAM, input())).status).toBe('unchanged');
    expect((await b.save(TEAM, input())).status).toBe('unchanged');
  });

  it('removes temp files of killed saves from the copy, not those of a running process', async () => {
    writeLiveTeam();
    const k = keeper();
    await k.save(TEAM, input());
    const tasks = join(k.keptDir(TEAM), 'tasks');
    const dead = `.1.json.teamtop-${process.pid}-0badf00d.tmp`; // this process holds the lock: none of its temps is in use
    const running = `.2.json.teamtop-${process.ppid}-0badf00d.tmp`;
    for (const n of [dead, running]) writeFileSync(join(tasks, n), 'partial');
    writeFileSync(join(tasksDir(), '1.json'), '{"id":"1","status":"completed"}');
    await k.save(TEAM, input());
    expect(readdirSync(tasks).filter((n) => n.startsWith('.'))).toEqual([running]);
  });

  it('refuses team ids that are not safe path components, and writes nothing for them', async () => {
    const k = keeper();
    for (const bad of ['..', '../escape', 'a/b', '.hidden', '', 'x.lock', 'tab\there']) {
      expect(() => k.recordsDir(bad)).toThrow(/team id/);
      await expect(k.save(bad, { teamDir: claude, tasksDir: claude })).rejects.toThrow(/team id/);
      await expect(k.migrateRecords(bad, claude)).rejects.toThrow(/team id/);
      await expect(k.forget(bad)).rejects.toThrow(/team id/);
    }
    expect(readdirSync(state)).toEqual([]);
  });

  it('prunes only the copies of teams that ended more than 30 days ago, and nothing else', async () => {
    for (const id of ['old-ended', 'recent-ended', 'old-live']) writeLiveTeam(id);
    const k = keeper();
    for (const id of ['old-ended', 'old-live']) await k.save(id, input(id));
    await k.ensureRecordsDir('old-ended');
    writeFileSync(join(k.recordsDir('old-ended'), 'actions.jsonl'), '{}\n');
    clock += KEEP_RETENTION_MS - 5 * 24 * 60 * 60_000;
    await k.save('recent-ended', input('recent-ended'));
    for (const id of ['old-ended', 'recent-ended']) rmSync(teamDir(id), { recursive: true });
    // Things in teams/ that are not the keeper's: left alone, whatever their age.
    const teams = join(k.base, 'teams');
    writeFileSync(join(teams, 'notes.txt'), 'mine');
    symlinkSync(outside, join(teams, 'linked'));
    mkdirSync(join(teams, '.not-an-id'));
    clock += 6 * 24 * 60 * 60_000;

    expect(await k.prune(clock)).toEqual(['old-ended']);
    expect(readdirSync(teams).sort()).toEqual(['.not-an-id', 'linked', 'notes.txt', 'old-live', 'recent-ended']);
    expect(readdirSync(k.base).filter((n) => n.startsWith('.trash'))).toEqual([]);
    expect(readFileSync(join(outside, 'secret.json'), 'utf8')).toBe('["SECRET-OUTSIDE"]\n');
    expect((await k.ended(new Set(['old-live']))).map((e) => e.id)).toEqual(['recent-ended']);
    expect(await k.prune(clock)).toEqual([]);
  });

  it('lists as ended only teams with a kept copy, not records alone, nor the live ones', async () => {
    writeLiveTeam();
    const k = keeper();
    await k.ensureRecordsDir('records-only');
    await k.save(TEAM, input());
    expect(await k.ended(new Set([TEAM]))).toEqual([]);
    expect((await k.ended(new Set())).map((e) => e.id)).toEqual([TEAM]);
    expect(await k.forget(TEAM)).toBe(true);
    expect(await k.forget(TEAM)).toBe(false);
    expect(await k.ended(new Set())).toEqual([]);
  });
});
