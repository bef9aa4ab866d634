import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync,
  realpathSync, rmSync, symlinkSync, unlinkSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitError, GitRepo, GitStateError } from '../src/git/repo.js';
import { stampOf } from '../src/model/time.js';

/** os.tmpdir() for the rest of the test: a directory of its own (TMPDIR; restored after each test). */
const savedTmp = process.env.TMPDIR;
const privateTmps: string[] = [];
afterEach(() => {
  if (savedTmp === undefined) delete process.env.TMPDIR; else process.env.TMPDIR = savedTmp;
  for (const d of privateTmps.splice(0)) rmSync(d, { recursive: true, force: true });
});
function privateTmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'teamtop-gittest-tmp-'));
  privateTmps.push(d);
  process.env.TMPDIR = d;
  expect(tmpdir()).toBe(d);
  return d;
}

// Every test works in its own repository under the temp dir, with the user's global and system git
// config out of the way (no signing, hooks path or identity leaking in).
const ENV_KEYS = ['GIT_CONFIG_GLOBAL', 'GIT_CONFIG_NOSYSTEM', 'GIT_CEILING_DIRECTORIES'] as const;
const savedEnv: Record<string, string | undefined> = {};
let tmpRoot: string;
const dirs: string[] = [];

beforeAll(() => {
  for (const k of ENV_KEYS) savedEnv[k] = process.env[k];
  tmpRoot = realpathSync(tmpdir());
  process.env.GIT_CONFIG_GLOBAL = '/dev/null';
  process.env.GIT_CONFIG_NOSYSTEM = '1';
  process.env.GIT_CEILING_DIRECTORIES = tmpRoot;
});
afterAll(() => {
  for (const k of ENV_KEYS) {
    if (savedEnv[k] === undefined) delete process.env[k];
    else process.env[k] = savedEnv[k];
  }
});
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpRoot, 'teamtop-git-test-'));
  dirs.push(d);
  return d;
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs git expecting it may fail (conflicts); returns the exit status. */
function gitStatus(dir: string, ...args: string[]): number | null {
  return spawnSync('git', args, { cwd: dir, encoding: 'utf8' }).status;
}

/** Any staged, unstaged or untracked (not ignored) change. */
function dirty(dir: string): boolean {
  return git(dir, 'status', '--porcelain=v1', '--untracked-files=all') !== '';
}

function newRepo(opts: { user?: boolean } = {}): string {
  const dir = tempDir();
  git(dir, 'init', '-q', '-b', 'main');
  if (opts.user !== false) {
    git(dir, 'config', 'user.name', 'Test User');
    git(dir, 'config', 'user.email', 'test@example.com');
  }
  return dir;
}

function write(dir: string, rel: string, content: string | Buffer, mode = 0o644): void {
  mkdirSync(join(dir, rel, '..'), { recursive: true });
  writeFileSync(join(dir, rel), content);
  chmodSync(join(dir, rel), mode);
}

function commitAll(dir: string, message: string): string {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
  return git(dir, 'rev-parse', 'HEAD').trim();
}

/** Every file, symlink and directory of the work tree (not .git): type, exec bit, bytes. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string): void => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const r = rel === '' ? e.name : `${rel}/${e.name}`;
      if (r === '.git') continue;
      const p = join(dir, r);
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out[r] = `link -> ${readlinkSync(p)}`;
      else if (st.isDirectory()) {
        out[r] = 'dir';
        walk(r);
      } else out[r] = `file ${st.mode & 0o111 ? 'x' : '-'} ${readFileSync(p).toString('base64')}`;
    }
  };
  walk('');
  return out;
}

/** Everything git reports about the state: status (both forms), index entries, HEAD, branch. */
function gitState(dir: string): { status: string; statusZ: string; index: string; head: string; branch: string } {
  return {
    status: git(dir, 'status', '--porcelain'),
    statusZ: git(dir, 'status', '--porcelain=v1', '-z', '--untracked-files=all'),
    index: git(dir, 'ls-files', '-s', '-z'),
    head: spawnSync('git', ['rev-parse', '--verify', '--quiet', 'HEAD'], { cwd: dir, encoding: 'utf8' }).stdout,
    branch: spawnSync('git', ['symbolic-ref', '--quiet', 'HEAD'], { cwd: dir, encoding: 'utf8' }).stdout,
  };
}

const BINARY = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0xc3, 0x28, 0x00, 0x0a, 0xed, 0xa0, 0x80, 0x00, 0x41]);

describe('GitRepo.backup / resetHard / restoreBackup', () => {
  it('restores committed history, index and work tree byte for byte; ignored files are untouched', async () => {
    const dir = newRepo();
    write(dir, '.gitignore', '*.log\nbuild/\n');
    write(dir, 'tracked.txt', 'tracked v1\n');
    write(dir, 'to-delete.txt', 'delete me\n');
    write(dir, 'staged.txt', 'staged v1\n');
    write(dir, 'both.txt', 'both v1\n');
    write(dir, 'exec.sh', '#!/bin/sh\necho hi\n', 0o755);
    write(dir, 'bin.dat', Buffer.from([1, 2, 3, 0, 4]));
    write(dir, '-dash.txt', 'dash\n');
    write(dir, 'with spaces.txt', 'spaces\n');
    write(dir, 'dir/nested.txt', 'nested\n');
    symlinkSync('tracked.txt', join(dir, 'link'));
    const first = commitAll(dir, 'first');
    write(dir, 'tracked.txt', 'tracked v2\n');
    write(dir, 'later.txt', 'added in the second commit\n');
    const second = commitAll(dir, 'second');

    // Work in progress of every kind.
    write(dir, 'staged.txt', 'staged v2\n');
    write(dir, 'staged-new.txt', 'new and staged\n');
    write(dir, 'both.txt', 'both v2 (staged)\n');
    git(dir, 'add', 'staged.txt', 'staged-new.txt', 'both.txt');
    write(dir, 'both.txt', 'both v3 (unstaged on top)\n');
    git(dir, 'rm', '-q', 'dir/nested.txt'); // staged deletion
    write(dir, 'tracked.txt', 'tracked v3, not staged\n');
    unlinkSync(join(dir, 'to-delete.txt')); // deleted in the work tree only
    write(dir, 'untracked.txt', 'untracked\n');
    write(dir, 'newdir/sub/deep.txt', 'untracked in a new directory\n');
    write(dir, 'new-exec.sh', '#!/bin/sh\nexit 0\n', 0o755);
    chmodSync(join(dir, '-dash.txt'), 0o755); // mode change, not staged
    write(dir, 'bin.dat', BINARY);
    write(dir, 'with spaces.txt', 'spaces, changed\n');
    write(dir, 'ünï cödé.txt', 'unicode name\n');
    unlinkSync(join(dir, 'link'));
    symlinkSync('staged.txt', join(dir, 'link')); // retargeted symlink
    write(dir, 'debug.log', 'ignored log\n');
    write(dir, 'build/out.bin', BINARY);
    write(dir, 'forced.log', 'staged despite .gitignore\n');
    git(dir, 'add', '-f', 'forced.log');
    write(dir, 'forced.log', 'and changed after staging\n');

    const files = snapshot(dir);
    const state = gitState(dir);
    // The setup really covers every case.
    expect(state.status).toContain('M  staged.txt');
    expect(state.status).toContain('A  staged-new.txt');
    expect(state.status).toContain('MM both.txt');
    expect(state.status).toContain('D  dir/nested.txt');
    expect(state.status).toContain(' D to-delete.txt');
    expect(state.status).toContain(' M -dash.txt');
    expect(state.status).toContain('?? newdir/');
    expect(state.status).not.toContain('debug.log');
    expect(state.status).toContain('AM forced.log');
    expect(state.head.trim()).toBe(second);

    const repo = new GitRepo(dir);
    const saved = await repo.backup('refs/teamtop/backup/agent1/20260228T145000Z', 'before abort');
    expect(saved.ref).toBe('refs/teamtop/backup/agent1/20260228T145000Z');
    expect(saved.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(snapshot(dir)).toEqual(files);
    expect(gitState(dir)).toEqual(state);

    await repo.resetHard(first);
    expect(await repo.head()).toBe(first);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(existsSync(join(dir, 'untracked.txt'))).toBe(false);
    expect(existsSync(join(dir, 'newdir'))).toBe(false);
    expect(existsSync(join(dir, 'later.txt'))).toBe(false);
    expect(readFileSync(join(dir, 'to-delete.txt'), 'utf8')).toBe('delete me\n');
    expect(readFileSync(join(dir, 'debug.log'), 'utf8')).toBe('ignored log\n');
    expect(readFileSync(join(dir, 'build/out.bin'))).toEqual(BINARY);

    // Wander off: another branch with a commit, junk, a new ignored file.
    git(dir, 'checkout', '-q', '-b', 'elsewhere');
    write(dir, 'other.txt', 'other\n');
    commitAll(dir, 'elsewhere');
    write(dir, 'junk.txt', 'junk\n');
    write(dir, 'tracked.txt', 'scribbled\n');
    write(dir, 'later.log', 'ignored, created after the backup\n');
    write(dir, 'forced.log', 'untracked and ignored now, scribbled\n');

    await repo.restoreBackup(saved.ref);
    const after = snapshot(dir);
    expect(after['later.log']).toBeDefined(); // ignored: left alone
    delete after['later.log'];
    expect(after).toEqual(files);
    expect(gitState(dir)).toEqual(state);
    expect(await repo.branch()).toBe('main');
    expect(git(dir, 'rev-parse', 'refs/heads/main').trim()).toBe(second);
    // A second restore from the same backup gives the same result.
    await repo.restoreBackup(saved.ref);
    const again = snapshot(dir);
    delete again['later.log'];
    expect(again).toEqual(files);
    expect(gitState(dir)).toEqual(state);
  });

  it('backup changes neither the work tree, the index, HEAD nor any other ref, and records where HEAD was', async () => {
    const dir = newRepo();
    write(dir, 'a.txt', 'a\n');
    const head = commitAll(dir, 'one');
    write(dir, 'a.txt', 'a staged\n');
    git(dir, 'add', 'a.txt');
    write(dir, 'a.txt', 'a unstaged\n');
    write(dir, 'u/new.txt', 'untracked\n');
    const files = snapshot(dir);
    const state = gitState(dir);
    const refsBefore = git(dir, 'for-each-ref', '--format=%(refname) %(objectname)');
    // Temporary indexes go to a directory of this test's own (other test files run at the same time).
    const tmp = privateTmp();
    const leftovers = (): string[] => readdirSync(tmp).filter((n) => n.startsWith('teamtop-index-'));
    const tmpBefore = leftovers();

    const repo = new GitRepo(dir);
    const { sha } = await repo.backup('refs/teamtop/backup/x', 'msg $(touch pwned)');
    expect(snapshot(dir)).toEqual(files);
    expect(gitState(dir)).toEqual(state);
    expect(git(dir, 'for-each-ref', '--format=%(refname) %(objectname)')).toBe(
      refsBefore + `refs/teamtop/backup/x ${sha}\n`,
    );
    expect(leftovers()).toEqual(tmpBefore);

    // W = [HEAD, I]; I holds the index, W the work tree including the untracked file.
    const [, parentHead, indexCommit] = git(dir, 'rev-list', '--parents', '-n', '1', sha).trim().split(' ');
    expect(parentHead).toBe(head);
    expect(git(dir, 'show', `${indexCommit}:a.txt`)).toBe('a staged\n');
    expect(git(dir, 'show', `${sha}:a.txt`)).toBe('a unstaged\n');
    expect(git(dir, 'show', `${sha}:u/new.txt`)).toBe('untracked\n');
    const body = git(dir, 'log', '-1', '--format=%B', sha);
    expect(body).toContain('msg $(touch pwned)');
    expect(body).toContain('teamtop-branch: main\n');
    expect(body).toContain(`teamtop-head: ${head}\n`);
    // Refuses to overwrite an existing backup.
    await expect(repo.backup('refs/teamtop/backup/x', 'again')).rejects.toThrow(/already exists/);
    expect(git(dir, 'rev-parse', 'refs/teamtop/backup/x').trim()).toBe(sha);
  });

  it('removes the temporary index and creates no ref when backup fails', async () => {
    const dir = newRepo();
    write(dir, 'a.txt', 'base\n');
    commitAll(dir, 'one');
    git(dir, 'checkout', '-q', '-b', 'other');
    write(dir, 'a.txt', 'other\n');
    commitAll(dir, 'other');
    git(dir, 'checkout', '-q', 'main');
    write(dir, 'a.txt', 'main\n');
    commitAll(dir, 'main');
    expect(gitStatus(dir, 'merge', '-q', 'other')).not.toBe(0);
    unlinkSync(join(dir, '.git', 'MERGE_HEAD')); // unresolved conflicts left in the index: no tree to save
    const tmp = privateTmp();
    const leftovers = (): string[] => readdirSync(tmp).filter((n) => n.startsWith('teamtop-index-'));
    const before = leftovers();
    const err = await new GitRepo(dir).backup('refs/teamtop/backup/fails', 'm').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitError);
    expect((err as GitError).message).toMatch(/^git write-tree failed: /);
    expect((err as GitError).message).not.toContain('\n');
    expect((err as GitError).args).toEqual(['write-tree']);
    expect(leftovers()).toEqual(before);
    expect(git(dir, 'for-each-ref', 'refs/teamtop/')).toBe('');
  });

  it('leaves a nested repository alone (git clean -d does too) and does not save it', async () => {
    const dir = newRepo();
    write(dir, 'a.txt', 'a\n');
    commitAll(dir, 'one');
    git(dir, 'init', '-q', 'embedded'); // a nested repository without commits
    write(dir, 'embedded/inner.txt', 'inner\n');
    const repo = new GitRepo(dir);
    const { ref } = await repo.backup('refs/teamtop/backup/nested', 'm');
    expect(git(dir, 'ls-tree', '-r', '--name-only', ref)).toBe('a.txt\n');
    await repo.resetHard('HEAD', { backupRef: ref });
    expect(readFileSync(join(dir, 'embedded/inner.txt'), 'utf8')).toBe('inner\n');
  });

  it('restores a detached HEAD, and a repository that had no commit yet', async () => {
    const dir = newRepo();
    write(dir, 'a.txt', 'a1\n');
    const one = commitAll(dir, 'one');
    write(dir, 'a.txt', 'a2\n');
    commitAll(dir, 'two');
    git(dir, 'checkout', '-q', '--detach', one);
    write(dir, 'a.txt', 'dirty\n');
    const repo = new GitRepo(dir);
    expect(await repo.branch()).toBeNull();
    const files = snapshot(dir);
    const state = gitState(dir);
    const { ref } = await repo.backup('refs/teamtop/backup/detached', 'm');
    expect(git(dir, 'log', '-1', '--format=%B', ref)).toContain('teamtop-branch: detached\n');
    git(dir, 'checkout', '-q', '-f', 'main');
    await repo.restoreBackup(ref);
    expect(snapshot(dir)).toEqual(files);
    expect(gitState(dir)).toEqual(state);
    expect(await repo.branch()).toBeNull();
    expect(await repo.head()).toBe(one);

    const empty = newRepo();
    write(empty, 'staged.txt', 'staged\n');
    git(empty, 'add', 'staged.txt');
    write(empty, 'loose.txt', 'untracked\n');
    const erepo = new GitRepo(empty);
    expect(await erepo.head()).toBeNull();
    const efiles = snapshot(empty);
    const estate = gitState(empty);
    const backup = await erepo.backup('refs/teamtop/backup/empty', 'm');
    expect(git(empty, 'log', '-1', '--format=%B', backup.ref)).toContain('teamtop-head: none\n');
    git(empty, 'rm', '-q', '--cached', 'staged.txt');
    rmSync(join(empty, 'loose.txt'));
    write(empty, 'other.txt', 'other\n');
    await erepo.restoreBackup(backup.ref);
    expect(snapshot(empty)).toEqual(efiles);
    expect(gitState(empty)).toEqual(estate);
    // Once the branch has commits, restoring the pre-commit backup would delete them: refused.
    commitAll(empty, 'first');
    await expect(erepo.restoreBackup(backup.ref)).rejects.toThrow(/has commits now/);
  });

  it('restores a tracked file replaced by a directory and a tracked directory replaced by a file', async () => {
    const dir = newRepo();
    write(dir, 'x', 'file x\n');
    write(dir, 'd/f.txt', 'in d\n');
    commitAll(dir, 'one');
    rmSync(join(dir, 'x'));
    write(dir, 'x/y.txt', 'x is a directory now\n');
    rmSync(join(dir, 'd'), { recursive: true });
    write(dir, 'd', 'd is a file now\n');
    const files = snapshot(dir);
    const state = gitState(dir);
    const repo = new GitRepo(dir);
    const { ref } = await repo.backup('refs/teamtop/backup/df', 'm');
    await repo.resetHard('HEAD');
    expect(readFileSync(join(dir, 'x'), 'utf8')).toBe('file x\n');
    await repo.restoreBackup(ref);
    expect(snapshot(dir)).toEqual(files);
    expect(gitState(dir)).toEqual(state);
  });

  it('restoreBackup refuses a missing backup and a ref that is not a teamtop backup', async () => {
    const dir = newRepo();
    write(dir, 'a.txt', 'a\n');
    const head = commitAll(dir, 'one');
    const repo = new GitRepo(dir);
    await expect(repo.restoreBackup('refs/teamtop/backup/missing')).rejects.toThrow(/does not exist/);
    git(dir, 'update-ref', 'refs/teamtop/backup/fake', head);
    await expect(repo.restoreBackup('refs/teamtop/backup/fake')).rejects.toThrow(/not a teamtop backup/);
    await expect(repo.restoreBackup('refs/heads/main')).rejects.toThrow(/not under refs\/teamtop\/backup\//);
  });
});

describe('GitRepo.resetHard', () => {
  it('removes later commits, modifications and untracked files, keeps ignored ones; refuses unknown refs', async () => {
    const dir = newRepo();
    write(dir, '.gitignore', 'secret.env\n');
    write(dir, 'a.txt', 'base\n');
    const base = commitAll(dir, 'base');
    git(dir, 'tag', 'checkpoint-base');
    write(dir, 'a.txt', 'later\n');
    write(dir, 'b.txt', 'later file\n');
    commitAll(dir, 'later');
    write(dir, 'a.txt', 'modified\n');
    write(dir, 'untracked/deep/u.txt', 'u\n');
    write(dir, 'u.txt', 'u\n');
    write(dir, 'secret.env', 'KEEP=1\n');
    const repo = new GitRepo(dir);
    await repo.resetHard('checkpoint-base');
    expect(await repo.head()).toBe(base);
    expect(await repo.branch()).toBe('main');
    expect(git(dir, 'rev-list', '--count', 'HEAD').trim()).toBe('1');
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('base\n');
    expect(snapshot(dir)).toEqual({
      '.gitignore': expect.any(String), 'a.txt': expect.any(String), 'secret.env': expect.any(String),
    });
    expect(readFileSync(join(dir, 'secret.env'), 'utf8')).toBe('KEEP=1\n');
    expect(dirty(repo.dir)).toBe(false);

    for (const bad of ['no-such-ref', '-x', '--hard', 'HEAD~5', `${base}:a.txt`]) {
      const err = await repo.resetHard(bad).catch((e: unknown) => e);
      expect(err, bad).toBeInstanceOf(GitError);
      expect((err as Error).message, bad).toBe(`git rev-parse failed: unknown revision or not a commit: ${JSON.stringify(bad)}`);
    }
    expect(await repo.head()).toBe(base);
  });
});

describe('GitRepo.assertSafeToAct', () => {
  function conflictRepo(): string {
    const dir = newRepo();
    write(dir, 'a.txt', 'base\n');
    commitAll(dir, 'base');
    git(dir, 'checkout', '-q', '-b', 'feature');
    write(dir, 'a.txt', 'feature\n');
    commitAll(dir, 'feature');
    git(dir, 'checkout', '-q', 'main');
    write(dir, 'a.txt', 'main\n');
    commitAll(dir, 'main');
    return dir;
  }

  it('passes on a clean repository and refuses during a merge, a rebase, a cherry-pick and with index.lock', async () => {
    const dir = conflictRepo();
    const repo = new GitRepo(dir);
    await expect(repo.assertSafeToAct()).resolves.toBeUndefined();

    expect(gitStatus(dir, 'merge', '-q', 'feature')).not.toBe(0);
    await expect(repo.assertSafeToAct()).rejects.toThrow(/merge is in progress.*git merge --abort/);
    await expect(repo.assertSafeToAct()).rejects.toBeInstanceOf(GitStateError);
    git(dir, 'merge', '--abort');
    await expect(repo.assertSafeToAct()).resolves.toBeUndefined();

    git(dir, 'checkout', '-q', 'feature');
    expect(gitStatus(dir, 'rebase', 'main')).not.toBe(0);
    await expect(repo.assertSafeToAct()).rejects.toThrow(/rebase is in progress/);
    git(dir, 'rebase', '--abort');
    await expect(repo.assertSafeToAct()).resolves.toBeUndefined();

    git(dir, 'checkout', '-q', 'main');
    expect(gitStatus(dir, 'cherry-pick', 'feature')).not.toBe(0);
    await expect(repo.assertSafeToAct()).rejects.toThrow(/cherry-pick is in progress/);
    git(dir, 'cherry-pick', '--abort');
    await expect(repo.assertSafeToAct()).resolves.toBeUndefined();

    writeFileSync(join(dir, '.git', 'index.lock'), '');
    await expect(repo.assertSafeToAct()).rejects.toThrow(/index is locked \(.*index\.lock exists\)/);
    unlinkSync(join(dir, '.git', 'index.lock'));
    await expect(repo.assertSafeToAct()).resolves.toBeUndefined();
  });

  it('looks in the right git dir for a linked worktree', async () => {
    const dir = conflictRepo();
    const wt = join(tempDir(), 'wt');
    git(dir, 'worktree', 'add', '-q', '-b', 'wt-branch', wt, 'main');
    const repo = new GitRepo(wt);
    await expect(repo.assertSafeToAct()).resolves.toBeUndefined();
    expect(gitStatus(wt, 'merge', '-q', 'feature')).not.toBe(0);
    await expect(repo.assertSafeToAct()).rejects.toThrow(/merge is in progress/);
    await expect(new GitRepo(dir).assertSafeToAct()).resolves.toBeUndefined(); // main worktree unaffected
  });
});

describe('unsafe names', () => {
  const BAD = ['../x', '-x', 'a b', 'x.lock', 'a\u0001b', 'a\nb', 'a\u007fb', '', '.hidden', 'x..y', 'a@{1}', 'a~1', 'a^', 'a:b', 'a/../b', 'a//b', 'x/'];

  it('tag and backup refuse unsafe names and create nothing', async () => {
    const dir = newRepo();
    write(dir, 'a.txt', 'a\n');
    commitAll(dir, 'one');
    const repo = new GitRepo(dir);
    for (const bad of BAD) {
      await expect(repo.tag(bad, 'm'), JSON.stringify(bad)).rejects.toThrow(/refusing|not a valid git ref/);
      await expect(repo.backup(`refs/teamtop/backup/${bad}`, 'm'), JSON.stringify(bad)).rejects.toThrow(/refusing|not a valid git ref/);
    }
    await expect(repo.backup('refs/heads/main', 'm')).rejects.toThrow(/not under refs\/teamtop\/backup\//);
    await expect(repo.backup('refs/teamtop/backup/', 'm')).rejects.toThrow(/is empty/);
    await expect(repo.backups('../x')).rejects.toThrow(/refusing/);
    expect(git(dir, 'for-each-ref', '--format=%(refname)')).toBe('refs/heads/main\n');
  });

  it('tag creates an annotated tag at the target, returns the commit, and refuses an existing tag', async () => {
    const dir = newRepo();
    write(dir, 'a.txt', 'a\n');
    const one = commitAll(dir, 'one');
    write(dir, 'a.txt', 'b\n');
    const two = commitAll(dir, 'two');
    const repo = new GitRepo(dir);
    const name = `checkpoint-tm_engine-${stampOf(Date.UTC(2026, 1, 28, 14, 50, 0))}`;
    expect(await repo.tag(name, 'checkpoint\nsecond line')).toBe(two);
    expect(git(dir, 'cat-file', '-t', `refs/tags/${name}`).trim()).toBe('tag');
    expect(git(dir, 'tag', '-l', '--format=%(contents)', name)).toBe('checkpoint\nsecond line\n\n');
    expect(await repo.tag('teamtop/abort-1', 'm', one)).toBe(one);
    expect(git(dir, 'rev-parse', 'refs/tags/teamtop/abort-1^{commit}').trim()).toBe(one);
    await expect(repo.tag(name, 'again', one)).rejects.toThrow(/already exists/);
    expect(git(dir, 'rev-parse', `refs/tags/${name}^{commit}`).trim()).toBe(two);
    await expect(repo.tag('fresh', 'm', 'nonexistent')).rejects.toThrow(/unknown revision/);
    expect(await repo.refExists('refs/tags/fresh')).toBe(false);
    expect(await repo.refExists(`refs/tags/${name}`)).toBe(true);
  });
});

describe('GitRepo.commitWorkInProgress', () => {
  it('returns committed:false and HEAD when there is nothing to commit', async () => {
    const dir = newRepo();
    write(dir, '.gitignore', '*.log\n');
    write(dir, 'a.txt', 'a\n');
    const head = commitAll(dir, 'one');
    write(dir, 'ignored.log', 'not work\n');
    const repo = new GitRepo(dir);
    expect(dirty(repo.dir)).toBe(false);
    expect(await repo.commitWorkInProgress('wip')).toEqual({ sha: head, committed: false });
    expect(git(dir, 'rev-list', '--count', 'HEAD').trim()).toBe('1');
  });

  it('commits every change including untracked files, skipping hooks, with the message as given', async () => {
    const dir = newRepo();
    write(dir, 'a.txt', 'a\n');
    const head = commitAll(dir, 'one');
    write(dir, '.git/hooks/pre-commit', '#!/bin/sh\nexit 1\n', 0o755);
    write(dir, 'a.txt', 'changed\n');
    write(dir, 'new/u.txt', 'untracked\n');
    const repo = new GitRepo(dir);
    expect(dirty(repo.dir)).toBe(true);
    const r = await repo.commitWorkInProgress('wip: agent tm_engine\n\nstopped');
    expect(r.committed).toBe(true);
    expect(r.sha).not.toBe(head);
    expect(await repo.head()).toBe(r.sha);
    expect(git(dir, 'rev-parse', `${r.sha}^`).trim()).toBe(head);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(git(dir, 'log', '-1', '--format=%B')).toBe('wip: agent tm_engine\n\nstopped\n\n'); // %B adds a newline
    expect(git(dir, 'log', '-1', '--format=%an <%ae>')).toBe('Test User <test@example.com>\n');
  });

  it('uses the teamtop identity only when the repository has no user configured', async () => {
    const dir = newRepo({ user: false });
    write(dir, 'a.txt', 'a\n');
    const repo = new GitRepo(dir);
    const r = await repo.commitWorkInProgress('first');
    expect(r.committed).toBe(true);
    expect(git(dir, 'log', '-1', '--format=%an <%ae>|%cn <%ce>')).toBe('teamtop <teamtop@localhost>|teamtop <teamtop@localhost>\n');
    await repo.tag('cp-1', 'm');
    expect(git(dir, 'tag', '-l', '--format=%(taggername) %(taggeremail)', 'cp-1')).toBe('teamtop <teamtop@localhost>\n');
  });
});

describe('shell metacharacters', () => {
  it('are refused in names and taken literally elsewhere, never executed', async () => {
    const dir = newRepo();
    write(dir, 'a.txt', 'a\n');
    const head = commitAll(dir, 'one');
    const repo = new GitRepo(dir);
    const evil = ['$(touch pwned)', ';rm -rf pwned', '`touch pwned`', '| touch pwned', '&& touch pwned', "'; touch pwned; '"];
    for (const s of evil) {
      await expect(repo.tag(s, 'm'), s).rejects.toThrow(/refusing/);
      await expect(repo.backup(`refs/teamtop/backup/${s}`, 'm'), s).rejects.toThrow(/refusing/);
      await expect(repo.resolve(s), s).rejects.toThrow(/unknown revision/);
      await expect(repo.resetHard(s), s).rejects.toThrow(/unknown revision/);
      expect(await repo.log(s), s).toContain(`commit ${head}`);
      expect(await GitRepo.find(join(dir, s)), s).toBeNull();
    }
    await expect(repo.refExists('refs/tags/$(touch pwned)')).resolves.toBe(false);
    write(dir, 'b.txt', 'b\n');
    const msg = '$(touch pwned); `touch pwned` ;rm -rf pwned | touch pwned';
    await repo.commitWorkInProgress(msg);
    expect(git(dir, 'log', '-1', '--format=%B')).toBe(msg + '\n\n');
    await repo.tag('ok-tag', msg);
    expect(git(dir, 'tag', '-l', '--format=%(contents)', 'ok-tag')).toBe(msg + '\n\n');
    const b = await repo.backup('refs/teamtop/backup/ok', msg);
    expect(git(dir, 'log', '-1', '--format=%B', b.sha)).toContain(msg);
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
    expect(existsSync(join(process.cwd(), 'pwned'))).toBe(false);
    expect(existsSync(join(tmpRoot, 'pwned'))).toBe(false);
  });
});

describe('GitRepo basics', () => {
  it('find returns the top level from a subdirectory and null outside a work tree', async () => {
    const dir = newRepo();
    mkdirSync(join(dir, 'sub', 'deeper'), { recursive: true });
    const found = await GitRepo.find(join(dir, 'sub', 'deeper'));
    expect(found?.dir).toBe(dir);
    expect(await GitRepo.find(tempDir())).toBeNull();
    expect(await GitRepo.find(join(dir, '.git'))).toBeNull();
    expect(await GitRepo.find(join(dir, 'missing'))).toBeNull();
  });

  it('works from a subdirectory, and reports git failures as one-line GitErrors', async () => {
    const dir = newRepo();
    write(dir, 'a.txt', 'a\n');
    commitAll(dir, 'one');
    write(dir, 'sub/x.txt', 'x\n');
    write(dir, 'top.txt', 'untracked at top\n');
    const repo = new GitRepo(join(dir, 'sub'));
    await repo.resetHard('HEAD');
    expect(existsSync(join(dir, 'top.txt'))).toBe(false); // clean ran at the top level

    const err = await new GitRepo(tempDir()).head().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitError);
    expect((err as GitError).message).toMatch(/^git rev-parse failed: fatal: not a git repository/);
    expect((err as GitError).message).not.toContain('\n');
    expect((err as GitError).stderr).toContain('not a git repository');
    expect((err as GitError).args).toEqual(['rev-parse', '--show-toplevel']);
  });

  it('head, branch, resolve and log', async () => {
    const dir = newRepo();
    const repo = new GitRepo(dir);
    expect(await repo.head()).toBeNull();
    expect(await repo.branch()).toBe('main');
    expect(dirty(repo.dir)).toBe(false);
    expect(await repo.log(null)).toBe('');
    write(dir, 'a.txt', 'a\n');
    expect(dirty(repo.dir)).toBe(true);
    const one = commitAll(dir, 'one');
    write(dir, 'a.txt', 'b\n');
    const two = commitAll(dir, 'two');
    expect(await repo.head()).toBe(two);
    expect(await repo.resolve('HEAD~1')).toBe(one);
    expect(await repo.resolve('main')).toBe(two);
    const all = await repo.log(null);
    expect(all).toContain(`commit ${one}`);
    expect(all).toContain(`commit ${two}`);
    expect(all).toMatch(/^CommitDate: /m);
    const since = await repo.log(one);
    expect(since).toContain(`commit ${two}`);
    expect(since).not.toContain(`commit ${one}`);
    expect(await repo.log('no-such-ref')).toBe(all);
    expect(await repo.log(two)).toBe('');
    git(dir, 'checkout', '-q', '--detach');
    expect(await repo.branch()).toBeNull();
    await expect(repo.refExists('main')).rejects.toThrow(/not a full ref name/);
    expect(await repo.refExists('refs/heads/main')).toBe(true);
  });

});
