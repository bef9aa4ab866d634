// Finding a team's backups (exact names, newest first), what a backup records, backups written by
// older teamtop (format 1) still restoring, and batching: the number of git processes does not
// grow with the number of files.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyGitEffect } from '../src/git/effects.js';
import * as repos from '../src/git/team-repo.js';
import { GitRepo } from '../src/git/repo.js';
import { git, gitView, isolateGit, put, realTempDir, snapshotTree } from './helpers/repo.js';

isolateGit({ beforeAll, afterAll });
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function newRepo(): string {
  const dir = realTempDir('teamtop-bk-');
  dirs.push(dir);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Test');
  git(dir, 'config', 'user.email', 'test@example.com');
  put(dir, '.gitignore', '*.log\n');
  put(dir, 'a.txt', 'a\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  return dir;
}

describe('finding a team\'s backups', () => {
  it('"web" never picks the backup of "web-ui", however recent', async () => {
    const dir = newRepo();
    const repo = new GitRepo(dir);
    await repo.backup('refs/teamtop/backup/web-20260301T100000Z', 'web, older', { team: 'web' });
    await repo.backup('refs/teamtop/backup/web-ui-20260302T100000Z', 'web-ui, newer', { team: 'web-ui' });
    await repo.backup('refs/teamtop/backup/web-20260301T090000Z', 'web, oldest', { team: 'web' });
    expect(await repos.latestBackupOf(dir, 'web')).toBe('refs/teamtop/backup/web-20260301T100000Z');
    expect(await repos.latestBackupOf(dir, 'web-ui')).toBe('refs/teamtop/backup/web-ui-20260302T100000Z');
    expect(await repos.backupsOf(dir, 'web')).toEqual(['refs/teamtop/backup/web-20260301T100000Z', 'refs/teamtop/backup/web-20260301T090000Z']);
    expect(await repos.latestBackupOf(dir, 'we')).toBeNull();
    expect(await repos.latestBackupOf(null, 'web')).toBeNull();
  });

  it('ignores refs that are not <team>-<stamp> and backups that record another team', async () => {
    const dir = newRepo();
    const repo = new GitRepo(dir);
    await repo.backup('refs/teamtop/backup/web-20260301T100000Z-extra', 'm', { team: 'web' });
    await repo.backup('refs/teamtop/backup/web-2026', 'm', { team: 'web' });
    await repo.backup('refs/teamtop/backup/web/20260301T100000Z', 'm', { team: 'web' });
    await repo.backup('refs/teamtop/backup/web-20260305T100000Z', 'm', { team: 'other' });
    await repo.backup('refs/teamtop/backup/web-20260301T100000Z', 'm', { team: 'web' });
    expect(await repos.backupsOf(dir, 'web')).toEqual(['refs/teamtop/backup/web-20260301T100000Z']);
    await expect(repos.backupsOf(dir, '../x')).rejects.toThrow(/refusing|not/);
  });

  it('readBackupMeta tells the team, time, branch and HEAD', async () => {
    const dir = newRepo();
    const head = git(dir, 'rev-parse', 'HEAD');
    await new GitRepo(dir).backup('refs/teamtop/backup/web-20260301T100000Z', 'm', { team: 'web' });
    const meta = await repos.readBackupMeta(dir, 'refs/teamtop/backup/web-20260301T100000Z');
    expect(meta).toMatchObject({ format: 2, team: 'web', branch: 'main', head });
    expect(Date.parse(meta!.time!)).toBeGreaterThan(Date.now() - 60_000);
    expect(await repos.readBackupMeta(dir, 'refs/teamtop/backup/missing')).toBeNull();
  });
});

describe('format 1 meta', () => {
  it('readBackupMeta reads a format 1 backup too', async () => {
    const dir = newRepo();
    const head = git(dir, 'rev-parse', 'HEAD');
    const i = execFileSync('git', ['commit-tree', '-p', head, '-m', 'teamtop backup: index', `${head}^{tree}`], { cwd: dir, encoding: 'utf8' }).trim();
    const w = execFileSync('git', ['commit-tree', '-p', head, '-p', i, '-m', 'm\n\nteamtop-branch: main\nteamtop-head: ' + head + '\nteamtop-time: 2026-03-01T10:00:00.000Z', `${head}^{tree}`], { cwd: dir, encoding: 'utf8' }).trim();
    git(dir, 'update-ref', 'refs/teamtop/backup/web-20260301T100000Z', w);
    expect(await repos.readBackupMeta(dir, 'refs/teamtop/backup/web-20260301T100000Z'))
      .toMatchObject({ format: 1, team: null, branch: 'main', head, time: '2026-03-01T10:00:00.000Z' });
  });
});

describe('format 1 backups (older teamtop)', () => {
  /** The backup exactly as the first format wrote it: W = [HEAD, I], the work tree via `add -A`. */
  function formatOneBackup(dir: string, ref: string): void {
    const head = git(dir, 'rev-parse', 'HEAD');
    const indexTree = git(dir, 'write-tree');
    const env = { ...process.env, GIT_INDEX_FILE: join(dir, '.git', 'tmp-index') };
    const run = (args: string[], input?: string): string => execFileSync('git', args, { cwd: dir, env, input, encoding: 'utf8' }).trim();
    const i = run(['commit-tree', '-p', head, '-m', 'teamtop backup: index', indexTree]);
    run(['read-tree', indexTree]);
    run(['add', '-A']);
    const workTree = run(['write-tree']);
    rmSync(join(dir, '.git', 'tmp-index'));
    const w = run(['commit-tree', '-p', head, '-p', i, '-F', '-', workTree], `before abort\n\nteamtop-branch: main\nteamtop-head: ${head}\nteamtop-time: 2026-03-01T10:00:00.000Z\n`);
    git(dir, 'update-ref', ref, w);
  }

  it('restores HEAD, the branch, the index and the work tree from a format 1 backup', async () => {
    const dir = newRepo();
    put(dir, 'b.txt', 'b\n');
    put(dir, '.gitattributes', '*.bat eol=crlf\n');
    put(dir, 'run.bat', 'echo one\r\necho two\r\n'); // stored LF, checked out CRLF
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'two');
    put(dir, 'run.bat', 'echo one\r\necho changed\r\n');
    put(dir, 'a.txt', 'a staged\n');
    git(dir, 'add', 'a.txt');
    put(dir, 'a.txt', 'a unstaged\n');
    put(dir, 'u/new.txt', 'untracked\n');
    put(dir, 'run.sh', '#!/bin/sh\n', 0o755);
    symlinkSync('a.txt', join(dir, 'link'));
    const tree = snapshotTree(dir);
    const view = gitView(dir);
    const ref = 'refs/teamtop/backup/web-20260301T100000Z';
    formatOneBackup(dir, ref);
    const protect = [join(dir, '.team-state')];
    await applyGitEffect({ kind: 'git-reset', repo: dir, target: 'HEAD~1', backupRef: ref }, {}, protect);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('a\n');
    const pre = 'refs/teamtop/backup/web-20260301T101000Z';
    await applyGitEffect({ kind: 'git-backup', repo: dir, ref: pre, message: 'm', team: 'web', rollbackTo: [ref] }, {}, protect);
    await applyGitEffect({ kind: 'git-restore', repo: dir, ref, backupRef: pre }, {}, protect);
    expect(snapshotTree(dir)).toEqual(tree);
    expect(gitView(dir)).toEqual(view);
  });
});

describe('batching', () => {
  /** Counts git processes through a wrapper first on PATH. */
  async function countGit(files: number): Promise<number> {
    const dir = newRepo();
    const bin = realTempDir('teamtop-bin-');
    dirs.push(bin);
    const counter = join(bin, 'count');
    writeFileSync(counter, '');
    const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    writeFileSync(join(bin, 'git'), `#!/bin/sh\necho x >> '${counter}'\nexec '${real}' "$@"\n`);
    chmodSync(join(bin, 'git'), 0o755);
    git(dir, 'checkout', '-q', '-b', 'team-work');
    for (let i = 0; i < files; i++) put(dir, `src/d${i % 7}/f${i}.txt`, `tracked ${i}\n`);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'work');
    for (let i = 0; i < files; i++) put(dir, `src/d${i % 7}/f${i}.txt`, `modified ${i}\n`, i % 3 === 0 ? 0o600 : 0o644);
    for (let i = 0; i < files; i++) put(dir, `new/d${i % 5}/u${i}.txt`, `untracked ${i}\n`);
    mkdirSync(join(dir, 'empty'));
    const tree = snapshotTree(dir);
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    try {
      const ref = 'refs/teamtop/backup/web-20260301T100000Z';
      const pre = 'refs/teamtop/backup/web-20260301T101000Z';
      const protect = [join(dir, '.team-state')];
      await applyGitEffect({ kind: 'git-backup', repo: dir, ref, message: 'm', team: 'web', rollbackTo: ['main'] }, {}, protect);
      await applyGitEffect({ kind: 'git-reset', repo: dir, target: 'main', backupRef: ref }, {}, protect);
      await applyGitEffect({ kind: 'git-backup', repo: dir, ref: pre, message: 'm', team: 'web', rollbackTo: [ref] }, {}, protect);
      await applyGitEffect({ kind: 'git-restore', repo: dir, ref, backupRef: pre }, {}, protect);
    } finally {
      process.env.PATH = path;
    }
    expect(snapshotTree(dir)).toEqual(tree);
    return readFileSync(counter, 'utf8').split('\n').filter((l) => l !== '').length;
  }

  it('runs the same number of git processes for 10 files and for 400', async () => {
    const few = await countGit(10);
    const many = await countGit(400);
    // (In-process caches of trees and hashes can save a command or two either way.)
    expect(Math.abs(many - few)).toBeLessThanOrEqual(4);
    expect(few).toBeLessThan(200);
  });
});
