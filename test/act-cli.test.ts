// `teamtop act` as a script would run it: no TTY.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, existsSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { runCli, BIN, PROJECT } from './helpers/cli.js';
import { tempDir, removeDir, writeTeam, iso } from './helpers/state.js';
import { initRepo } from './helpers/repo.js';

let root: string;
let dir: string;
const now = Date.now();
beforeEach(() => {
  root = tempDir();
  dir = writeTeam(root, 'crew', {
    team: { team_status: 'active', lead: { id: 'lead', last_heartbeat: iso(now) }, base_ref: 'main' },
    teammates: [{ id: 'tm_a', last_heartbeat: iso(now - 15 * 60_000) }, { id: '../evil', last_heartbeat: iso(now) }],
    manifest: [{ id: 'T1', assigned_to: 'tm_a', status: 'in_progress' }],
    mailbox: [{ sequence: 1, timestamp: iso(now), from: 'lead', to: 'tm_a', type: 'message' }],
  });
  writeTeam(root, 'other', { teammates: [{ id: 'x' }] });
});
afterEach(() => removeDir(root));

const lines = (): string[] => readFileSync(join(dir, 'mailbox.jsonl'), 'utf8').trim().split('\n');

describe('teamtop act', () => {
  it('--dry-run prints the plan and changes nothing', () => {
    const r = runCli(['act', 'wake', 'tm_a', '--team', 'crew', '--root', root, '--dry-run']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^wake tm_a \(team crew\)\n {2}1\. mailbox: append wake_up \(urgent\) to tm_a required_response=true timeout="5min"\ndry run: nothing was changed\n$/);
    expect(lines()).toHaveLength(1);
    expect(existsSync(join(dir, 'actions.jsonl'))).toBe(false);
  });

  it('a refused --dry-run writes nothing either, not even the record of the refusal', () => {
    const r = runCli(['act', 'wake', 'nosuch', '--team', 'crew', '--root', root, '--dry-run']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/refused: no teammate "nosuch"/);
    expect(existsSync(join(dir, 'actions.jsonl'))).toBe(false);
  });

  it('applies, prints the sequence, and --json gives the plan and result', () => {
    const r = runCli(['act', 'wake', 'tm_a', '--team', 'crew', '--root', root]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('applied (message sequence 2)');
    const j = JSON.parse(runCli(['act', 'wake', 'tm_a', '--team', 'crew', '--root', root, '--json']).stdout);
    expect(j).toMatchObject({ action: 'wake', team: 'crew', result: { ok: true, results: [{ effect: 'append-message', detail: { sequence: 3 } }] } });
  });

  it('an action that changes the repo refuses without --yes when there is no terminal', () => {
    const repoDir = tempDir('teamtop-repo-');
    initRepo(repoDir);
    writeFileSync(join(dir, 'team.json'), JSON.stringify({ team_status: 'active', lead: { id: 'lead', last_heartbeat: iso(now) }, base_ref: 'main', repo: repoDir }));
    const r = runCli(['act', 'abort', '--team', 'crew', '--root', root, '--reason', 'x']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/abort changes the git repository .*: pass --yes/);
    expect(readFileSync(join(dir, 'team.json'), 'utf8')).toContain('"active"');
    const yes = runCli(['act', 'abort', '--team', 'crew', '--root', root, '--reason', 'x', '--yes']);
    expect(yes.status, yes.stderr).toBe(0);
    expect(readFileSync(join(dir, 'team.json'), 'utf8')).toContain('"aborted"');
    removeDir(repoDir);
  });

  it('refuses a rollback that would take the state root with it (the root is the top of the repo)', () => {
    initRepo(root);
    const r = runCli(['act', 'abort', '--team', 'crew', '--root', root, '--reason', 'x', '--yes']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/not its top/);
    expect(readFileSync(join(dir, 'team.json'), 'utf8')).toContain('"active"');
  });

  it('without a git repository, abort archives and marks the team but touches no repo', () => {
    const r = runCli(['act', 'abort', '--team', 'crew', '--root', root, '--reason', 'x', '--yes']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('note: the team has no git repository: nothing to roll back');
  });

  it('abort and undo-abort ask even without a git repository: with no terminal and no --yes they are refused, nothing changed', () => {
    const teamJson = readFileSync(join(dir, 'team.json'), 'utf8');
    const r = runCli(['act', 'abort', '--team', 'crew', '--root', root, '--reason', 'x']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^refused: abort stops the whole team: pass --yes to apply it without a terminal to confirm on$/m);
    expect(readFileSync(join(dir, 'team.json'), 'utf8')).toBe(teamJson);
    expect(lines()).toHaveLength(1);
    expect(readdirSync(root).filter((n) => n.includes('.ABORTED-'))).toEqual([]);
    // --dry-run still shows the plan.
    expect(runCli(['act', 'abort', '--team', 'crew', '--root', root, '--dry-run']).status).toBe(0);
    expect(runCli(['act', 'abort', '--team', 'crew', '--root', root, '--reason', 'x', '--yes']).status).toBe(0);
    const aborted = readFileSync(join(dir, 'team.json'), 'utf8');
    const u = runCli(['act', 'undo-abort', '--team', 'crew', '--root', root]);
    expect(u.status).toBe(1);
    expect(u.stderr).toMatch(/^refused: undo-abort changes the whole team's status: pass --yes/m);
    expect(readFileSync(join(dir, 'team.json'), 'utf8')).toBe(aborted);
    const yes = runCli(['act', 'undo-abort', '--team', 'crew', '--root', root, '--yes']);
    expect(yes.status, yes.stderr).toBe(0);
    expect(readFileSync(join(dir, 'team.json'), 'utf8')).toBe(teamJson);
  });

  it('refuses an unsafe id with a clear message and exit 1', () => {
    const r = runCli(['act', 'wake', '../evil', '--team', 'crew', '--root', root]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('teammate id "../evil" contains a path separator');
    expect(lines()).toHaveLength(1);
  });

  it('a plan refused by the checks before any write says "refused", like the record in actions.jsonl', () => {
    const outside = tempDir();
    try {
      writeFileSync(join(outside, 'f'), 'SECRET\n');
      symlinkSync(join(outside, 'f'), join(dir, '.mailbox.seq'));
      const r = runCli(['act', 'wake', 'tm_a', '--team', 'crew', '--root', root]);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^refused: refusing to write .*\.mailbox\.seq: it is a symbolic link/m);
      expect(r.stderr).not.toMatch(/^failed:/m);
      expect(JSON.parse(readFileSync(join(dir, 'actions.jsonl'), 'utf8').trim().split('\n').at(-1)!).result).toBe('refused');
      expect(readFileSync(join(outside, 'f'), 'utf8')).toBe('SECRET\n');
    } finally {
      removeDir(outside);
    }
  });

  it('usage errors exit 2', () => {
    for (const args of [['act'], ['act', 'dance', '--team', 'crew', '--root', root], ['act', 'wake', 'a', 'b', '--team', 'crew', '--root', root], ['act', 'wake', 'tm_a', '--root', root]]) {
      const r = runCli(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('a missing required argument is a usage error: exit 2, one line, nothing recorded', () => {
    for (const [args, says] of [
      [['act', 'wake'], /act wake needs TEAMMATE/],
      [['act', 'resend'], /act resend needs TEAMMATE/],
      [['act', 'complete', 'T1'], /act complete needs --reason TEXT/],
      [['act', 'complete', 'T1', '--reason', '  '], /act complete needs --reason TEXT/],
      [['act', 'reassign', 'T1'], /act reassign needs --to ID/],
      [['act', 'reassign', '--to', 'tm_a'], /act reassign needs TASK/],
    ] as const) {
      const r = runCli([...args, '--team', 'crew', '--root', root]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(says);
    }
    expect(existsSync(join(dir, 'actions.jsonl'))).toBe(false);
  });
});

describe('ids that are not ASCII', () => {
  it('abort, undo-abort and reassign work for a team and teammates named in any script (their files are named after them)', () => {
    const now = Date.now();
    for (const id of ['café', 'uni한글', 'team👍', 'flag🇫🇷']) {
      const d = writeTeam(root, id, {
        team: { team_status: 'active', lead: { id: 'lead', last_heartbeat: iso(now) } },
        teammates: [{ id: 'tâche-1', status: 'active', last_heartbeat: iso(now - 20 * 60_000), task_current: 'T任务' }, { id: 'tm_b', status: 'active', last_heartbeat: iso(now) }],
        manifest: [{ id: 'T任务', assigned_to: 'tâche-1', status: 'in_progress' }],
      });
      const reassign = runCli(['act', 'reassign', 'T任务', '--to', 'tm_b', '--team', id, '--root', root, '--yes']);
      expect(reassign.status, `${id}: ${reassign.stderr}`).toBe(0);
      expect(readdirSync(d).some((n) => n.startsWith('reassign-tâche-1-'))).toBe(true);
      const abort = runCli(['act', 'abort', '--team', id, '--root', root, '--reason', 'x', '--yes']);
      expect(abort.status, `${id}: ${abort.stderr}`).toBe(0);
      expect(readdirSync(root).some((n) => n.startsWith(`${id}.ABORTED-`))).toBe(true);
      const undo = runCli(['act', 'undo-abort', '--team', id, '--root', root, '--yes']);
      expect(undo.status, `${id}: ${undo.stderr}`).toBe(0);
    }
  });
});

describe('ids in a plan', () => {
  it('are named as id cells name them: a skin tone shows, so two ids never read the same', () => {
    const now = Date.now();
    writeTeam(root, 'team👍🏽', {
      team: { team_status: 'active', lead: { id: 'lead', last_heartbeat: iso(now) } },
      teammates: ['tm👍🏽', 'tm👍'].map((id) => ({ id, status: 'active', last_heartbeat: iso(now - 20 * 60_000) })),
    });
    const a = runCli(['act', 'wake', 'tm👍🏽', '--team', 'team👍🏽', '--root', root, '--dry-run']);
    const b = runCli(['act', 'wake', 'tm👍', '--team', 'team👍🏽', '--root', root, '--dry-run']);
    expect(a.status, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/^wake tm👍<U\+1F3FD> \(team team👍<U\+1F3FD>\)/);
    expect(a.stdout).toMatch(/to tm👍<U\+1F3FD>/);
    expect(b.stdout).toMatch(/^wake tm👍 \(team team👍<U\+1F3FD>\)/);
    expect(a.stdout).not.toBe(b.stdout);
  });
});

describe('two writers at once', () => {
  it('two processes each running act wake 30 times leave 60 new lines with 60 distinct sequences', async () => {
    const loop = `for i in $(seq 30); do "${process.execPath}" "${BIN}" act wake tm_a --team crew --root "${root}" >/dev/null || exit 1; done`;
    const runLoop = () => new Promise<number>((resolve) => {
      const p = spawn('bash', ['-c', loop], { cwd: PROJECT, stdio: ['ignore', 'ignore', 'inherit'] });
      p.on('exit', (code) => resolve(code ?? 1));
    });
    const codes = await Promise.all([runLoop(), runLoop()]);
    expect(codes).toEqual([0, 0]);
    const all = lines().map((l) => JSON.parse(l) as { sequence: number; type: string });
    expect(all).toHaveLength(61);
    const added = all.slice(1);
    expect(added.every((m) => m.type === 'wake_up')).toBe(true);
    expect(new Set(added.map((m) => m.sequence)).size).toBe(60);
    expect(Math.min(...added.map((m) => m.sequence))).toBe(2);
    expect(Math.max(...added.map((m) => m.sequence))).toBe(61);
  }, 240_000);
});
