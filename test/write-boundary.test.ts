// The write boundary (docs/reliability.md): no write follows a symbolic link or lands in anything
// but a regular file, at any path component between the state root and the file; people's own
// files beside the state files are never removed; a FIFO named like a state file never hangs a
// read. Each case plants the link (or FIFO, or hard link) a hostile teammate could, runs the real
// program, and checks that the target outside the root is untouched and nothing in the team
// directory changed but the record of the refusal.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync, linkSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { BIN, PROJECT, runCli } from './helpers/cli.js';
import { iso, removeDir, tempDir, writeTeam } from './helpers/state.js';
import { fileTree } from './helpers/tree.js';
import { stampOf } from '../src/model/time.js';
import { claimTemp, releaseTemp, writeFileAtomic } from '../src/files/write.js';

let root: string;
let outside: string;
let dir: string;
const now = Date.now();

beforeEach(() => {
  root = tempDir('teamtop-boundary-');
  outside = tempDir('teamtop-outside-');
  writeFileSync(join(outside, 'rc'), '# a shell rc file\n');
  mkdirSync(join(outside, 'dir'));
  dir = writeTeam(root, 'crew', {
    team: { team_status: 'active', lead: { id: 'lead', last_heartbeat: iso(now) } },
    teammates: [
      { id: 'tm_a', status: 'active', last_heartbeat: iso(now - 20 * 60_000), task_current: 'T1' },
      { id: 'tm_b', status: 'active', last_heartbeat: iso(now) },
    ],
    manifest: [
      { id: 'T1', assigned_to: 'tm_a', status: 'in_progress', depends_on: ['T2'] },
      { id: 'T2', assigned_to: 'tm_b', status: 'pending', depends_on: ['T1'] },
    ],
    mailbox: [{ sequence: 1, timestamp: iso(now - 60_000), from: 'lead', to: 'tm_a', type: 'message', required_response: true }],
    checkpoints: { 'tm_a-latest.json': { teammate_id: 'tm_a', completion_percent: 40 } },
  });
  writeTeam(root, 'calm', { teammates: [{ id: 'tm_c', status: 'active', last_heartbeat: iso(now) }] });
});
afterEach(() => {
  removeDir(root);
  removeDir(outside);
});

const tree = (d: string): Record<string, string> => fileTree(d);

const without = (t: Record<string, string>, ...names: string[]): Record<string, string> =>
  Object.fromEntries(Object.entries(t).filter(([k]) => !names.includes(k)));

/** The names a record written during the next few seconds could take (their stamp is the time). */
const nextStamps = (): string[] => Array.from({ length: 20 }, (_, i) => stampOf(Date.now() + i * 1000));

interface Case {
  name: string;
  /** Plants the hazard. */
  plant: () => void;
  args: string[];
}

/** Replaces `rel` in the team directory with a link to the rc file (or the directory) outside. */
const link = (rel: string, to: 'file' | 'dir' = 'file') => (): void => {
  rmSync(join(dir, rel), { recursive: true, force: true });
  symlinkSync(join(outside, to === 'file' ? 'rc' : 'dir'), join(dir, rel));
};

const CASES: Case[] = [
  { name: 'mailbox.jsonl', plant: link('mailbox.jsonl'), args: ['wake', 'tm_a'] },
  { name: '.mailbox.seq', plant: link('.mailbox.seq'), args: ['wake', 'tm_a'] },
  { name: 'team.json', plant: link('team.json'), args: ['halt', '--reason', 'x'] },
  { name: 'checkpoints/ (a directory link)', plant: link('checkpoints', 'dir'), args: ['reassign', 'T1', '--to', 'tm_b'] },
  { name: 'checkpoints/tm_a-latest.json', plant: link('checkpoints/tm_a-latest.json'), args: ['reassign', 'T1', '--to', 'tm_b'] },
  { name: 'actions.jsonl', plant: link('actions.jsonl'), args: ['wake', 'tm_a'] },
  { name: 'mailbox.jsonl.lock (the lock)', plant: link('mailbox.jsonl.lock', 'dir'), args: ['wake', 'tm_a'] },
  {
    name: 'the reassignment brief', args: ['reassign', 'T1', '--to', 'tm_b'],
    plant: () => { for (const s of nextStamps()) symlinkSync(join(outside, 'rc'), join(dir, `reassign-tm_a-${s}.json`)); },
  },
  {
    name: 'the archive directory', args: ['abort', '--reason', 'x'],
    plant: () => { for (const s of nextStamps()) symlinkSync(join(outside, 'dir'), join(root, `crew.ABORTED-${s}`)); },
  },
];

describe('no write follows a symbolic link', () => {
  for (const c of CASES) {
    it(`${c.name} linked out of the root: refused with one line, nothing written`, () => {
      c.plant();
      const beforeOut = tree(outside);
      const beforeTeam = tree(dir);
      const beforeRoot = tree(root);
      const r = runCli(['act', ...c.args, '--team', 'crew', '--root', root, '--yes']);
      expect(r.status, r.stdout + r.stderr).toBe(1);
      expect(r.stderr).toMatch(/refus/);
      expect(tree(outside), 'the target outside the root changed').toEqual(beforeOut);
      // The team directory is as it was, but for the record of the refusal when actions.jsonl is safe.
      expect(without(tree(dir), 'actions.jsonl')).toEqual(without(beforeTeam, 'actions.jsonl'));
      if (c.name !== 'actions.jsonl') {
        const rec = JSON.parse(readFileSync(join(dir, 'actions.jsonl'), 'utf8').trim()) as { result: string; error: string };
        expect(rec.result).toBe('refused');
        expect(rec.error).toMatch(/refusing to write .*(symbolic link|not a directory|already exists)/);
      } else {
        expect(r.stderr).toMatch(/not recorded in actions\.jsonl/);
      }
      expect(Object.keys(tree(root)).filter((k) => !k.startsWith('crew/')).sort()).toEqual(Object.keys(beforeRoot).filter((k) => !k.startsWith('crew/')).sort());
    });
  }

  it('a hard link to a file outside the root is not appended to', () => {
    rmSync(join(dir, 'mailbox.jsonl'));
    linkSync(join(outside, 'rc'), join(dir, 'mailbox.jsonl'));
    const r = runCli(['act', 'wake', 'tm_a', '--team', 'crew', '--root', root]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/2 hard links/);
    expect(readFileSync(join(outside, 'rc'), 'utf8')).toBe('# a shell rc file\n');
  });

  it('--dry-run says the same refusal and writes nothing at all', () => {
    symlinkSync(join(outside, 'rc'), join(dir, '.mailbox.seq'));
    const r = runCli(['act', 'wake', 'tm_a', '--team', 'crew', '--root', root, '--dry-run']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/refused: refusing to write .*\.mailbox\.seq: it is a symbolic link/);
    expect(existsSync(join(dir, 'actions.jsonl'))).toBe(false);
  });

  it('a state file that is a link is reported, never read', () => {
    writeFileSync(join(outside, 'secret.json'), JSON.stringify([{ id: 'stolen' }]));
    rmSync(join(dir, 'teammates.json'));
    symlinkSync(join(outside, 'secret.json'), join(dir, 'teammates.json'));
    const r = runCli(['check', '--root', root, '--team', 'crew', '--json']);
    const alerts = (JSON.parse(r.stdout) as { teams: Array<{ alerts: Array<{ kind: string; summary: string }> }> }).teams[0]!.alerts;
    expect(alerts.find((a) => a.kind === 'invalid-state' && /teammates\.json: is a symbolic link: not read/.test(a.summary))).toBeTruthy();
    expect(r.stdout).not.toContain('stolen');
  });
});

/** The records directory of the kept team alpha under a teamtop state directory (one Claude Code home). */
function keptRecords(xdg: string): string {
  const homes = readdirSync(join(xdg, 'teamtop', 'claude'));
  expect(homes).toHaveLength(1);
  return join(xdg, 'teamtop', 'claude', homes[0]!, 'teams', 'alpha', 'records');
}

describe('Claude Code files', () => {
  let claude: string;
  beforeEach(() => {
    claude = join(root, '.claude');
    const team = join(claude, 'teams', 'alpha');
    mkdirSync(join(team, 'inboxes'), { recursive: true });
    mkdirSync(join(claude, 'tasks', 'alpha'), { recursive: true });
    writeFileSync(join(team, 'config.json'), JSON.stringify({
      name: 'alpha', leadAgentId: 'team-lead@alpha',
      members: [{ name: 'team-lead', agentId: 'team-lead@alpha' }, { name: 'cc-writer', agentId: 'cc-writer@alpha' }],
    }));
    writeFileSync(join(claude, 'tasks', 'alpha', '1.json'), JSON.stringify({ id: '1', subject: 's', status: 'in_progress', owner: 'cc-writer', blocks: [], blockedBy: [] }));
  });

  it('an inbox linked out of the directory is refused', () => {
    symlinkSync(join(outside, 'rc'), join(claude, 'teams', 'alpha', 'inboxes', 'cc-writer.json'));
    const r = runCli(['act', 'wake', 'cc-writer', '--team', 'alpha', '--claude-dir', claude]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/refusing to write .*cc-writer\.json: it is a symbolic link/);
    expect(readFileSync(join(outside, 'rc'), 'utf8')).toBe('# a shell rc file\n');
  });

  it('an inboxes/ directory linked elsewhere is refused, and no lock is made there', () => {
    rmSync(join(claude, 'teams', 'alpha', 'inboxes'), { recursive: true });
    symlinkSync(join(outside, 'dir'), join(claude, 'teams', 'alpha', 'inboxes'));
    const r = runCli(['act', 'wake', 'cc-writer', '--team', 'alpha', '--claude-dir', claude]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/inboxes: it is a symbolic link/);
    expect(readdirSync(join(outside, 'dir'))).toEqual([]);
  });

  it('the old records directory (teams/<t>/teamtop) linked elsewhere is neither read nor written', () => {
    writeFileSync(join(outside, 'dir', 'actions.jsonl'), '{"not":"ours"}\n');
    symlinkSync(join(outside, 'dir'), join(claude, 'teams', 'alpha', 'teamtop'));
    const env = { ...process.env, XDG_STATE_HOME: join(root, 'state') };
    const r = runCli(['act', 'wake', 'cc-writer', '--team', 'alpha', '--claude-dir', claude], { env });
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(join(outside, 'dir'))).toEqual(['actions.jsonl']);
    expect(readFileSync(join(outside, 'dir', 'actions.jsonl'), 'utf8')).toBe('{"not":"ours"}\n');
    const records = keptRecords(join(root, 'state'));
    expect(readFileSync(join(records, 'actions.jsonl'), 'utf8')).toMatch(/"action":"wake"/);
    expect(readFileSync(join(records, 'actions.jsonl'), 'utf8')).not.toContain('not');
  });

  it('teamtop\'s own records directory (in its state directory) linked elsewhere is refused', () => {
    const env = { ...process.env, XDG_STATE_HOME: join(root, 'state') };
    expect(runCli(['check', '--claude-dir', claude], { env }).status).not.toBe(2);
    const records = keptRecords(join(root, 'state'));
    rmSync(records, { recursive: true, force: true });
    symlinkSync(join(outside, 'dir'), records);
    const r = runCli(['act', 'wake', 'cc-writer', '--team', 'alpha', '--claude-dir', claude], { env });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/records: it is a symbolic link/);
    expect(readdirSync(join(outside, 'dir'))).toEqual([]);
    expect(readFileSync(join(claude, 'teams', 'alpha', 'config.json'), 'utf8')).toContain('cc-writer');
    expect(existsSync(join(claude, 'teams', 'alpha', 'inboxes', 'cc-writer.json'))).toBe(false);
  });

  it('a team directory whose name is not a safe id is a clean refusal, not an internal error', () => {
    const bad = join(claude, 'teams', 'bad name');
    mkdirSync(bad);
    writeFileSync(join(bad, 'config.json'), JSON.stringify({ name: 'x', leadAgentId: 'l@x', members: [{ name: 'l' }, { name: 'w' }] }));
    const r = runCli(['act', 'wake', 'w', '--team', 'bad name', '--claude-dir', claude]);
    expect(r.status).toBe(1);
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.stderr).toMatch(/team id "bad name" contains a character not allowed/);
  });
});

describe('files that are not teamtop\'s are never removed', () => {
  it('backups named <file>.<digits> survive every kind of write; teamtop\'s own dead temp files go', () => {
    const keep: Record<string, string> = {
      'teammates.json.1': 'my backup\n', 'team.json.20260101': 'older\n', 'team-manifest.json.7': 'x\n',
      '.mailbox.seq.3': '9\n', 'alert-acks.json.2': '{}\n', 'checkpoints/tm_a-latest.json.123': 'cp\n', 'mailbox.jsonl.1': 'old\n',
    };
    for (const [rel, text] of Object.entries(keep)) writeFileSync(join(dir, rel), text);
    // A temp file of a teamtop writer that was killed (pid 2^22+1 is above Linux's pid_max).
    const dead = `.team.json.teamtop-${2 ** 22 + 1}-0badf00d.tmp`;
    writeFileSync(join(dir, dead), 'half');
    for (const args of [['wake', 'tm_a'], ['halt', '--reason', 'x'], ['resume'], ['reassign', 'T1', '--to', 'tm_b'], ['complete', 'T2', '--reason', 'x'], ['break-cycle']]) {
      const r = runCli(['act', ...args, '--team', 'crew', '--root', root, '--yes']);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).not.toBe(2);
    }
    for (const [rel, text] of Object.entries(keep)) expect(readFileSync(join(dir, rel), 'utf8'), rel).toBe(text);
    expect(existsSync(join(dir, dead))).toBe(false);
  });

  it('a write in this process never removes a temp this process still uses, whichever lock (or none) it is under', async () => {
    // Two unlocked writes in one process (two keepers finding home.json missing at once): each
    // write's clean-up must leave the other's temp alone; a temp of this process no longer in use goes.
    const inFlight = claimTemp(join(dir, 'home.json'));
    writeFileSync(inFlight, 'being written');
    const left = join(dir, `.home.json.teamtop-${process.pid}-0badf00d.tmp`);
    writeFileSync(left, 'left by a failed step');
    await writeFileAtomic(dir, join(dir, 'other.json'), '{}\n');
    expect(existsSync(inFlight)).toBe(true);
    expect(existsSync(left)).toBe(false);
    releaseTemp(inFlight);
    // Concurrent unlocked writes of one file: every one completes (none loses its temp to another's clean-up).
    for (let round = 0; round < 20; round++) {
      await Promise.all([0, 1, 2, 3].map((i) => writeFileAtomic(dir, join(dir, 'home.json'), `{"n":${i}}\n`)));
    }
    expect(readFileSync(join(dir, 'home.json'), 'utf8')).toMatch(/^\{"n":[0-3]\}\n$/);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});

describe('reads never hang', () => {
  const mkfifo = (p: string): void => { execFileSync('mkfifo', [p]); };

  it('a FIFO named events.jsonl in one team and teammates.json in another: check reports both and the rest', () => {
    mkfifo(join(dir, 'events.jsonl'));
    rmSync(join(root, 'calm', 'teammates.json'));
    mkfifo(join(root, 'calm', 'teammates.json'));
    writeTeam(root, 'third', { teammates: [{ id: 'tm_d', status: 'active', last_heartbeat: iso(now - 2 * 3_600_000) }] });
    const r = spawnSync(process.execPath, [BIN, 'check', '--root', root, '--json'], { cwd: PROJECT, encoding: 'utf8', timeout: 20_000 });
    expect(r.signal, 'check hung on a FIFO').toBeNull();
    const teams = (JSON.parse(r.stdout) as { teams: Array<{ team_id: string; alerts: Array<{ kind: string; summary: string }> }> }).teams;
    const by = Object.fromEntries(teams.map((t) => [t.team_id, t.alerts]));
    expect(by.crew!.some((a) => a.kind === 'invalid-state' && /events\.jsonl: is a FIFO, not a regular file: not read/.test(a.summary))).toBe(true);
    expect(by.calm!.some((a) => a.kind === 'invalid-state' && /teammates\.json: is a FIFO/.test(a.summary))).toBe(true);
    expect(by.third!.some((a) => a.kind === 'teammate-dead')).toBe(true);
  });

  it('a FIFO named mailbox.jsonl: act refuses instead of blocking, and the other teams still act', () => {
    rmSync(join(dir, 'mailbox.jsonl'));
    mkfifo(join(dir, 'mailbox.jsonl'));
    const r = spawnSync(process.execPath, [BIN, 'act', 'wake', 'tm_a', '--team', 'crew', '--root', root], { cwd: PROJECT, encoding: 'utf8', timeout: 20_000 });
    expect(r.signal, 'act hung on a FIFO').toBeNull();
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/mailbox\.jsonl: it is a FIFO, not a regular file/);
    const ok = runCli(['act', 'wake', 'tm_c', '--team', 'calm', '--root', root]);
    expect(ok.status, ok.stderr).toBe(0);
  });
});

describe('lessons and post-mortems', () => {
  let repo: string;
  beforeEach(() => {
    repo = tempDir('teamtop-boundary-repo-');
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo });
    writeFileSync(join(dir, 'team.json'), JSON.stringify({ team_status: 'active', repo }));
  });
  afterEach(() => removeDir(repo));
  const lesson = () => runCli(['lessons', 'add', '--team', 'crew', '--root', root, '--type', 't', '--what', 'w', '--learned', 'l', '--next', 'n']);

  it('tasks/ linked out of the repository: the lesson is refused, nothing written outside', () => {
    symlinkSync(join(outside, 'dir'), join(repo, 'tasks'));
    const r = lesson();
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/refusing to write .*tasks: it is a symbolic link/);
    expect(readdirSync(join(outside, 'dir'))).toEqual([]);
  });

  it('tasks/lessons.md linked to a file outside: refused, the file untouched', () => {
    mkdirSync(join(repo, 'tasks'));
    symlinkSync(join(outside, 'rc'), join(repo, 'tasks', 'lessons.md'));
    const r = lesson();
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/lessons\.md: it is a symbolic link/);
    expect(readFileSync(join(outside, 'rc'), 'utf8')).toBe('# a shell rc file\n');
  });

  it('a post-mortem never copies a linked state file (no leak) nor writes through a link in its directory', () => {
    writeFileSync(join(outside, 'secret'), 'TOP SECRET\n');
    rmSync(join(dir, 'mailbox.jsonl'));
    symlinkSync(join(outside, 'secret'), join(dir, 'mailbox.jsonl'));
    const out = join(root, 'report');
    const r = runCli(['postmortem', '--team', 'crew', '--root', root, '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(out, 'mailbox.jsonl'))).toBe(false);
    for (const f of readdirSync(out)) expect(readFileSync(join(out, f), 'utf8')).not.toContain('TOP SECRET');
    // The directory holds a report now: a second report into it is refused, nothing replaced.
    rmSync(join(out, 'postmortem.md'));
    symlinkSync(join(outside, 'rc'), join(out, 'postmortem.md'));
    const again = runCli(['postmortem', '--team', 'crew', '--root', root, '--out', out]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/refusing to write .*report: it already exists and is not empty/);
    expect(readFileSync(join(outside, 'rc'), 'utf8')).toBe('# a shell rc file\n');
  });
});
