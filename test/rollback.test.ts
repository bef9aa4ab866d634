// Abort and undo-abort through the real program, on real git repositories: undo-abort only for an
// aborted team and always undoable itself, exact backup matching between teams with similar
// names, branch names git accepts, and an abort killed (SIGKILL) half way — detected by the next
// command, completed by the next abort, or undone to the state from before its first attempt.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './helpers/cli.js';
import { git, initRepo, makeWork, snapshotTree } from './helpers/repo.js';
import { iso, removeDir, tempDir, writeTeam } from './helpers/state.js';

let root: string;
let repo: string;
const now = Date.now();

function team(id: string): string {
  return writeTeam(root, id, {
    team: { team_status: 'active', lead: { id: 'lead', last_heartbeat: iso(now) }, repo, base_ref: 'main' },
    teammates: [{ id: 'tm_a', status: 'active', last_heartbeat: iso(now) }],
    manifest: [{ id: 'T1', assigned_to: 'tm_a', status: 'in_progress' }],
    mailbox: [],
  });
}

beforeEach(() => {
  root = tempDir('teamtop-rb-root-');
  repo = tempDir('teamtop-rb-repo-');
  initRepo(repo);
  makeWork(repo);
});
afterEach(() => {
  removeDir(root);
  removeDir(repo);
});

const act = (...args: string[]) => runCli(['act', ...args, '--root', root, '--yes']);
const status = (id: string): string => (JSON.parse(readFileSync(join(root, id, 'team.json'), 'utf8')) as { team_status: string }).team_status;
/** The whole work tree (bytes and modes), HEAD, the branch and the index. */
function state(): unknown {
  return {
    tree: snapshotTree(repo),
    head: git(repo, 'rev-parse', 'HEAD'),
    branch: git(repo, 'symbolic-ref', '-q', 'HEAD'),
    index: git(repo, 'ls-files', '-s'),
  };
}
const journal = (id: string): Record<string, unknown> => JSON.parse(readFileSync(join(root, id, 'rollback.json'), 'utf8'));
const backups = (): string[] => git(repo, 'for-each-ref', '--format=%(refname)', 'refs/teamtop/backup/').split('\n').filter(Boolean);
const wait = (ms: number): void => { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); };

describe('undo-abort', () => {
  it('refuses a live team and changes nothing', () => {
    team('web');
    const before = state();
    const r = act('undo-abort', '--team', 'web');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/web is not aborted/);
    expect(state()).toEqual(before);
    expect(backups()).toEqual([]);
  });

  it('saves the current state before restoring, so the undo can be undone too', () => {
    team('web');
    const original = state();
    expect(act('abort', '--team', 'web', '--reason', 'x').status).toBe(0);
    // After the rollback the lead starts something new before deciding to undo.
    writeFileSync(join(repo, 'after-abort.txt'), 'new work on the rolled-back tree\n');
    const rolledBack = state();
    wait(1100);
    const undo = act('undo-abort', '--team', 'web');
    expect(undo.status, undo.stderr).toBe(0);
    expect(state()).toEqual(original);
    const pre = journal('web').backup_ref as string;
    expect(undo.stdout).toContain(`saved first under ${pre}`);
    // Undo the undo: abort again, then restore the backup made before the undo.
    wait(1100);
    expect(act('abort', '--team', 'web', '--reason', 'y').status).toBe(0);
    wait(1100);
    const again = act('undo-abort', '--team', 'web', '--backup', pre);
    expect(again.status, again.stderr).toBe(0);
    expect(state()).toEqual(rolledBack);
    // What everyone is told names the backup that came back, not "as before the abort".
    const told = readFileSync(join(root, 'web', 'mailbox.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { payload: { text: string } }).at(-1)!;
    expect(told.payload.text).toContain(`the work tree is back as saved in ${pre}`);
  });

  it('a team halted before its abort is halted again after the undo, and told to keep waiting', () => {
    team('web');
    expect(act('halt', '--team', 'web', '--reason', 'investigating').status).toBe(0);
    expect(status('web')).toBe('halted');
    const original = state();
    expect(act('abort', '--team', 'web', '--reason', 'x').status).toBe(0);
    wait(1100);
    const undo = act('undo-abort', '--team', 'web');
    expect(undo.status, undo.stderr).toBe(0);
    expect(state()).toEqual(original);
    expect(status('web')).toBe('halted');
    expect(undo.stdout).toMatch(/team_status goes back to halted/);
    const last = readFileSync(join(root, 'web', 'mailbox.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; payload: { text: string } }).at(-1)!;
    expect(last.type).toBe('team_halted');
    expect(last.payload.text).toMatch(/the team is halted again\. Keep waiting/);
  });

  it('a team named in any script is aborted and restored (the backup records its id exactly)', () => {
    for (const id of ['team👍🏽', 'uni\u1112\u1161\u11ab']) {
      team(id);
      const original = state();
      const abort = act('abort', '--team', id, '--reason', 'x');
      expect(abort.status, abort.stderr).toBe(0);
      expect(status(id)).toBe('aborted');
      wait(1100);
      const undo = act('undo-abort', '--team', id);
      expect(undo.status, undo.stderr).toBe(0);
      expect(state()).toEqual(original);
      expect(status(id)).toBe('active');
    }
  });

  it('restores its own team\'s backup, never one of a team whose name starts the same', () => {
    team('web');
    team('web-ui');
    const original = state();
    expect(act('abort', '--team', 'web', '--reason', 'x').status).toBe(0);
    wait(1100);
    expect(act('abort', '--team', 'web-ui', '--reason', 'x').status).toBe(0);
    // Without the journal, undo-abort falls back to the newest backup of exactly this team.
    rmSync(join(root, 'web', 'rollback.json'));
    wait(1100);
    const r = act('undo-abort', '--team', 'web');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/restores refs\/teamtop\/backup\/web-\d{8}T\d{6}Z/);
    expect(state()).toEqual(original);
  });

  it('round-trips a branch named -x', () => {
    git(repo, 'update-ref', 'refs/heads/-x', 'HEAD');
    git(repo, 'symbolic-ref', 'HEAD', 'refs/heads/-x');
    team('web');
    const original = state();
    expect(act('abort', '--team', 'web', '--reason', 'x').status).toBe(0);
    wait(1100);
    const r = act('undo-abort', '--team', 'web');
    expect(r.status, r.stderr).toBe(0);
    expect(state()).toEqual(original);
    expect(git(repo, 'symbolic-ref', 'HEAD')).toBe('refs/heads/-x');
  });
});

describe('an abort killed half way', () => {
  const killed = (step: string): ReturnType<typeof runCli> =>
    runCli(['act', 'abort', '--team', 'web', '--root', root, '--yes', '--reason', 'x'], { env: { TEAMTOP_FAULT: `kill-after:${step}` } });

  for (const step of ['git-backup', 'git-reset']) {
    it(`after ${step}: undo-abort restores the state from before the first attempt`, () => {
      team('web');
      const original = state();
      const r = killed(step);
      expect(r.signal).toBe('SIGKILL');
      expect(status('web')).toBe('active');
      expect(journal('web')).toMatchObject({ op: 'abort', state: 'in-progress' });
      // The next command says so.
      const check = runCli(['check', '--root', root, '--json']);
      expect(check.stdout).toMatch(/abort of web was interrupted/);
      wait(1100);
      const undo = act('undo-abort', '--team', 'web');
      expect(undo.status, undo.stderr).toBe(0);
      expect(undo.stdout).toMatch(/the abort of web was interrupted .*this restores the state from before it/);
      expect(state()).toEqual(original);
      expect(journal('web')).toMatchObject({ op: 'undo-abort', state: 'done' });
    });
  }

  it('a halted team whose abort was killed before it changed team_status stays halted after the undo', () => {
    team('web');
    expect(act('halt', '--team', 'web', '--reason', 'investigating').status).toBe(0);
    expect(killed('git-backup').signal).toBe('SIGKILL');
    expect(status('web')).toBe('halted');
    wait(1100);
    const undo = act('undo-abort', '--team', 'web');
    expect(undo.status, undo.stderr).toBe(0);
    expect(undo.stdout).toMatch(/the interrupted abort had not changed team_status: it stays halted/);
    expect(status('web')).toBe('halted');
  });

  it('the next abort completes it, and undo-abort still restores the state from before the first attempt', () => {
    team('web');
    const original = state();
    const first = journal;
    expect(killed('git-reset').signal).toBe('SIGKILL');
    const started = first('web').started_at;
    wait(1100);
    const again = act('abort', '--team', 'web', '--reason', 'x');
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/an earlier abort of web was interrupted .*this completes it/);
    expect(status('web')).toBe('aborted');
    expect(journal('web')).toMatchObject({ op: 'abort', state: 'done', started_at: started });
    wait(1100);
    const undo = act('undo-abort', '--team', 'web');
    expect(undo.status, undo.stderr).toBe(0);
    expect(state()).toEqual(original);
  });

  it('killed before its reset began: the retry backs up afresh (work done since is not lost), the first backup is kept', () => {
    team('web');
    expect(killed('git-tag').signal).toBe('SIGKILL');
    const firstBackup = journal('web').backup_ref as string;
    expect(backups()).toEqual([firstBackup]);
    // The tree was never reset: the team keeps working before the lead retries.
    writeFileSync(join(repo, 'later.txt'), 'work done after the first attempt\n');
    const beforeRetry = state();
    wait(1100);
    const again = act('abort', '--team', 'web', '--reason', 'x');
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/its reset had not begun, so the work tree is still the team's and is saved afresh/);
    const j = journal('web');
    expect(j.backup_ref).not.toBe(firstBackup);
    expect(j.backups).toEqual([j.backup_ref]);
    expect(backups()).toContain(firstBackup);
    wait(1100);
    const undo = act('undo-abort', '--team', 'web');
    expect(undo.status, undo.stderr).toBe(0);
    expect(state()).toEqual(beforeRetry);
  });

  it('a journal never names a backup that was not made; undo-abort then refuses with the reason', () => {
    team('web');
    // refs/teamtop cannot hold refs: the backup fails after the journal was started.
    writeFileSync(join(repo, '.git', 'refs', 'teamtop'), 'not a directory\n');
    const before = state();
    const r = act('abort', '--team', 'web', '--reason', 'x');
    expect(r.status).toBe(1);
    expect(journal('web')).toMatchObject({ op: 'abort', state: 'in-progress', backup_ref: null, backups: [], done: 0 });
    expect(state()).toEqual(before);
    const undo = act('undo-abort', '--team', 'web');
    expect(undo.status).toBe(1);
    expect(undo.stderr).toMatch(/had saved nothing yet/);
    expect(state()).toEqual(before);
  });

  it('undo-abort refuses, naming the backups there are, when the backup the journal names was deleted', () => {
    team('web');
    expect(act('abort', '--team', 'web', '--reason', 'x').status).toBe(0);
    const ref = journal('web').backup_ref as string;
    git(repo, 'update-ref', '-d', ref);
    const before = state();
    wait(1100);
    const undo = act('undo-abort', '--team', 'web');
    expect(undo.status).toBe(1);
    expect(undo.stderr).toContain(`${ref} (the state from before the abort) does not exist`);
    expect(state()).toEqual(before);
    expect(backups()).toEqual([]);
  });
});
