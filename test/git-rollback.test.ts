// Abort (git-backup + git-reset to the base) then undo-abort (git-backup + git-restore of the first
// backup), through applyGitEffect as the writers call it, in real repositories: the work tree comes
// back byte for byte (modes, symlinks, empty directories, ignored files the rollback touched), the
// index exactly, HEAD and its branch; the state root inside the repo is never touched.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyGitEffect } from '../src/git/effects.js';
import * as repos from '../src/git/team-repo.js';
import { git, gitView, isolateGit, put, realTempDir, snapshotTree } from './helpers/repo.js';

isolateGit({ beforeAll, afterAll });
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

interface Repo {
  dir: string;
  root: string;
  teamDir: string;
  protect: string[];
}

/** main: the base; team-work checked out. The state root is untracked and not ignored. */
function baseRepo(setupBase?: (dir: string) => void): Repo {
  const dir = realTempDir('teamtop-rb-');
  dirs.push(dir);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Test');
  git(dir, 'config', 'user.email', 'test@example.com');
  put(dir, '.gitignore', 'node_modules/\n*.log\n');
  put(dir, 'README.md', 'base\n');
  put(dir, 'app.js', 'console.log(1);\n');
  put(dir, 'gone.txt', 'tracked on main\n');
  setupBase?.(dir);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
  const root = join(dir, '.team-state');
  const teamDir = join(root, 'web');
  put(teamDir, 'team.json', '{"team_id":"web"}\n');
  put(teamDir, 'mailbox.jsonl', '{"sequence":1}\n');
  put(root, 'other/team.json', '{"team_id":"other"}\n', 0o600);
  put(dir, 'node_modules/pkg/index.js', 'module.exports = 1;\n');
  git(dir, 'checkout', '-q', '-b', 'team-work');
  return { dir, root, teamDir, protect: [root, teamDir] };
}

function commit(dir: string, message: string): string {
  git(dir, 'add', '-A', '--', '.', ':!.team-state');
  git(dir, 'commit', '-q', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}

const STAMP1 = '20260301T100000Z';
const STAMP2 = '20260301T101000Z';

async function abort(r: Repo, team = 'web', base = 'main'): Promise<string> {
  const ref = `refs/teamtop/backup/${team}-${STAMP1}`;
  await applyGitEffect({ kind: 'git-backup', repo: r.dir, ref, message: `teamtop: backup of ${team} before abort`, team, rollbackTo: [base] }, {}, r.protect);
  await applyGitEffect({ kind: 'git-reset', repo: r.dir, target: base, backupRef: ref }, {}, r.protect);
  return ref;
}

async function undo(r: Repo, ref: string, team = 'web'): Promise<string> {
  const pre = `refs/teamtop/backup/${team}-${STAMP2}`;
  await applyGitEffect({ kind: 'git-backup', repo: r.dir, ref: pre, message: `teamtop: backup of ${team} before undo-abort`, team, rollbackTo: [ref] }, {}, r.protect);
  await applyGitEffect({ kind: 'git-restore', repo: r.dir, ref, backupRef: pre }, {}, r.protect);
  return pre;
}

/** Abort then undo: everything comes back exactly; returns the abort's backup ref. */
async function roundTrip(r: Repo): Promise<{ ref: string; afterAbort: Record<string, { mode: number; bytes: string }> }> {
  const tree = snapshotTree(r.dir);
  const view = gitView(r.dir);
  const state = snapshotTree(r.root);
  const ref = await abort(r);
  const afterAbort = snapshotTree(r.dir);
  expect(git(r.dir, 'rev-parse', 'HEAD')).toBe(git(r.dir, 'rev-parse', 'main'));
  expect(snapshotTree(r.root)).toEqual(state);
  await undo(r, ref);
  expect(snapshotTree(r.dir)).toEqual(tree);
  expect(gitView(r.dir)).toEqual(view);
  expect(snapshotTree(r.root)).toEqual(state);
  return { ref, afterAbort };
}

const has = (dir: string, ref: string, path: string): boolean =>
  spawnSync('git', ['cat-file', '-e', `${ref}:${path}`], { cwd: dir }).status === 0;

describe('abort then undo-abort', () => {
  it('gives back committed, staged, unstaged, deleted and untracked work, the index, HEAD and the branch', async () => {
    const r = baseRepo();
    put(r.dir, 'feature.js', 'export const feature = 1;\n');
    const head = commit(r.dir, 'feature work');
    put(r.dir, 'staged.js', 'staged\n');
    git(r.dir, 'add', 'staged.js');
    put(r.dir, 'both.js', 'both v1\n');
    git(r.dir, 'add', 'both.js');
    put(r.dir, 'both.js', 'both v2, not staged\n');
    put(r.dir, 'app.js', 'console.log(2); // modified, not staged\n');
    git(r.dir, 'rm', '-q', '--cached', 'gone.txt');
    unlinkSync(join(r.dir, 'README.md')); // deleted in the work tree only
    put(r.dir, 'untracked.txt', 'untracked\n');
    put(r.dir, 'new-dir/binary.bin', Buffer.from([0, 1, 2, 255, 254, 0, 10]));
    put(r.dir, 'intent.txt', 'added with -N\n');
    git(r.dir, 'add', '-N', 'intent.txt');
    put(r.dir, 'debug.log', 'ignored on both sides: left alone\n');
    const { ref, afterAbort } = await roundTrip(r);
    // The abort itself: main's files, the ignored ones, the state root, nothing else.
    expect(Object.keys(afterAbort).filter((p) => !p.startsWith('.team-state/') && !p.startsWith('node_modules/')).sort())
      .toEqual(['.gitignore', 'README.md', 'app.js', 'debug.log', 'gone.txt']);
    expect(git(r.dir, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(r.dir, 'symbolic-ref', 'HEAD')).toBe('refs/heads/team-work');
    expect(has(r.dir, ref, 'debug.log')).toBe(false);
  });

  it('saves and brings back a file ignored only by a .gitignore that the reset removes', async () => {
    const r = baseRepo();
    put(r.dir, 'gen/.gitignore', 'out.txt\n');
    put(r.dir, 'gen/src.txt', 'source\n');
    commit(r.dir, 'generator');
    put(r.dir, 'gen/out.txt', 'generated, ignored by gen/.gitignore only\n');
    expect(git(r.dir, 'status', '--porcelain', '--', '.', ':!.team-state')).toBe('');
    const { ref, afterAbort } = await roundTrip(r);
    expect(afterAbort['gen/out.txt']).toBeUndefined(); // the clean removed it...
    expect(has(r.dir, ref, 'gen/out.txt')).toBe(true); // ...after it was saved
  });

  it('an untracked .gitignore goes, and so does what only it ignored (saved first)', async () => {
    const r = baseRepo();
    put(r.dir, 'sub/.gitignore', 'keep.me\n');
    put(r.dir, 'sub/keep.me', 'ignored only by an untracked .gitignore\n');
    const { ref, afterAbort } = await roundTrip(r);
    expect(Object.keys(afterAbort).filter((p) => p.startsWith('sub/'))).toEqual([]);
    expect(has(r.dir, ref, 'sub/keep.me')).toBe(true);
  });

  it('saves an ignored file that the reset overwrites with a tracked one', async () => {
    const r = baseRepo((d) => put(d, 'dist/bundle.js', 'base bundle\n'));
    git(r.dir, 'rm', '-q', '--cached', 'dist/bundle.js');
    put(r.dir, '.gitignore', 'node_modules/\n*.log\ndist/\n');
    commit(r.dir, 'stop tracking dist');
    put(r.dir, 'dist/bundle.js', 'the team\'s own build, ignored now\n');
    const { ref, afterAbort } = await roundTrip(r);
    expect(Buffer.from(afterAbort['dist/bundle.js']!.bytes, 'base64').toString()).toBe('base bundle\n');
    expect(has(r.dir, ref, 'dist/bundle.js')).toBe(true);
  });

  it('brings back exact modes: 600, 640, 700, executables', async () => {
    const r = baseRepo((d) => put(d, 'tracked-secret.txt', 'secret\n'));
    chmodSync(join(r.dir, 'tracked-secret.txt'), 0o600);
    put(r.dir, 'private.key', 'key\n', 0o600);
    put(r.dir, 'group.txt', 'group\n', 0o640);
    put(r.dir, 'run.sh', '#!/bin/sh\necho hi\n', 0o755);
    put(r.dir, 'own-exec.sh', '#!/bin/sh\n', 0o700);
    const { afterAbort } = await roundTrip(r);
    expect(afterAbort['private.key']).toBeUndefined();
    expect(statSync(join(r.dir, 'private.key')).mode & 0o7777).toBe(0o600);
    expect(statSync(join(r.dir, 'tracked-secret.txt')).mode & 0o7777).toBe(0o600);
    expect(statSync(join(r.dir, 'run.sh')).mode & 0o7777).toBe(0o755);
  });

  it('brings back CRLF files under `* text=auto` and eol=crlf byte for byte (stored without filters)', async () => {
    const r = baseRepo();
    expect(spawnSync('git', ['config', 'core.autocrlf'], { cwd: r.dir }).status).toBe(1); // unset
    put(r.dir, '.gitattributes', '* text=auto\n*.bat eol=crlf\n');
    put(r.dir, 'windows.txt', 'line one\r\nline two\r\n');
    commit(r.dir, 'crlf file (stored normalized)');
    put(r.dir, 'notes.txt', 'untracked\r\ncrlf\r\n');
    put(r.dir, 'build.bat', 'echo lf only\n'); // checkout would write CRLF
    put(r.dir, 'mixed.txt', 'a\r\nb\nc\r\n');
    git(r.dir, 'add', 'mixed.txt');
    expect(readFileSync(join(r.dir, 'windows.txt'), 'latin1')).toBe('line one\r\nline two\r\n');
    await roundTrip(r);
    expect(readFileSync(join(r.dir, 'windows.txt'), 'latin1')).toBe('line one\r\nline two\r\n');
    expect(readFileSync(join(r.dir, 'notes.txt'), 'latin1')).toBe('untracked\r\ncrlf\r\n');
    expect(readFileSync(join(r.dir, 'build.bat'), 'latin1')).toBe('echo lf only\n');
  });

  it('brings back empty directories, nested ones, and one inside a tracked directory', async () => {
    const r = baseRepo((d) => put(d, 'src/main.js', 'main\n'));
    mkdirSync(join(r.dir, 'empty'));
    mkdirSync(join(r.dir, 'nest/a/b'), { recursive: true });
    mkdirSync(join(r.dir, 'src/empty-too'));
    mkdirSync(join(r.dir, 'private-empty'), { mode: 0o700 });
    chmodSync(join(r.dir, 'private-empty'), 0o700);
    const { afterAbort } = await roundTrip(r);
    expect(afterAbort['empty/']).toBeUndefined();
    expect(existsSync(join(r.dir, 'nest/a/b'))).toBe(true);
    expect(statSync(join(r.dir, 'private-empty')).mode & 0o7777).toBe(0o700);
  });

  it('brings back symlinks as symlinks: new, retargeted, dangling, to a directory', async () => {
    const r = baseRepo((d) => symlinkSync('app.js', join(d, 'tracked-link')));
    unlinkSync(join(r.dir, 'tracked-link'));
    symlinkSync('README.md', join(r.dir, 'tracked-link'));
    symlinkSync('app.js', join(r.dir, 'new-link'));
    symlinkSync('does/not/exist', join(r.dir, 'dangling'));
    mkdirSync(join(r.dir, 'realdir'));
    put(r.dir, 'realdir/f.txt', 'f\n');
    symlinkSync('realdir', join(r.dir, 'dirlink'));
    await roundTrip(r);
    expect(lstatSync(join(r.dir, 'dirlink')).isSymbolicLink()).toBe(true);
    expect(lstatSync(join(r.dir, 'dangling')).isSymbolicLink()).toBe(true);
  });

  it('brings back the index exactly: staged and unstaged versions, intent-to-add, staged deletions, modes', async () => {
    const r = baseRepo((d) => put(d, 'mode.sh', '#!/bin/sh\n'));
    put(r.dir, 'app.js', 'staged version\n');
    git(r.dir, 'add', 'app.js');
    put(r.dir, 'app.js', 'work tree version\n');
    git(r.dir, 'update-index', '--chmod=+x', 'mode.sh'); // staged mode change, not in the work tree
    put(r.dir, 'ita.txt', 'intent to add\n');
    git(r.dir, 'add', '-N', 'ita.txt');
    git(r.dir, 'rm', '-q', '--cached', 'README.md');
    const before = gitView(r.dir);
    expect(before.cached).toContain('old mode 100644\nnew mode 100755');
    expect(before.diff).toContain('ita.txt');
    await roundTrip(r);
  });

  it('round-trips a branch named "-x" (and one whose name is not UTF-8)', async () => {
    const r = baseRepo();
    put(r.dir, 'on-dash.txt', 'work on -x\n');
    commit(r.dir, 'work');
    git(r.dir, 'update-ref', 'refs/heads/-x', 'HEAD');
    git(r.dir, 'symbolic-ref', 'HEAD', 'refs/heads/-x');
    put(r.dir, 'dirty.txt', 'dirty\n');
    await roundTrip(r);
    expect(git(r.dir, 'symbolic-ref', 'HEAD')).toBe('refs/heads/-x');

    const r2 = baseRepo();
    put(r2.dir, 'x.txt', 'x\n');
    const head = commit(r2.dir, 'work');
    const name = Buffer.from([0x72, 0x65, 0x66, 0x73, 0x2f, 0x68, 0x65, 0x61, 0x64, 0x73, 0x2f, 0x66, 0xff, 0xfe, 0x2d, 0x62]); // refs/heads/f\xff\xfe-b
    spawnSync('git', ['update-ref', '--stdin', '-z'], { cwd: r2.dir, input: Buffer.concat([Buffer.from('update '), name, Buffer.from(`\0${head}\0\0`)]) });
    writeFileSync(join(r2.dir, '.git', 'HEAD'), Buffer.concat([Buffer.from('ref: '), name, Buffer.from('\n')]));
    expect(spawnSync('git', ['symbolic-ref', 'HEAD'], { cwd: r2.dir }).stdout).toEqual(Buffer.concat([name, Buffer.from('\n')]));
    await roundTrip(r2);
    expect(spawnSync('git', ['symbolic-ref', 'HEAD'], { cwd: r2.dir }).stdout).toEqual(Buffer.concat([name, Buffer.from('\n')]));
  });

  it('leaves node_modules (ignored on both sides) untouched and out of every backup', async () => {
    const r = baseRepo();
    put(r.dir, 'node_modules/pkg/package.json', '{}\n');
    symlinkSync('../pkg', join(r.dir, 'node_modules/link'));
    put(r.dir, 'feature.js', 'f\n');
    const inode = lstatSync(join(r.dir, 'node_modules/pkg/index.js')).ino;
    const mtime = lstatSync(join(r.dir, 'node_modules/pkg/index.js')).mtimeMs;
    const { ref } = await roundTrip(r);
    const pre = `refs/teamtop/backup/web-${STAMP2}`;
    for (const b of [ref, pre]) {
      expect(git(r.dir, 'ls-tree', '-r', '--name-only', b).split('\n').filter((p) => p.startsWith('node_modules'))).toEqual([]);
    }
    expect(lstatSync(join(r.dir, 'node_modules/pkg/index.js')).ino).toBe(inode);
    expect(lstatSync(join(r.dir, 'node_modules/pkg/index.js')).mtimeMs).toBe(mtime);
  });

  it('records the format, the team, the branch and HEAD in the backup', async () => {
    const r = baseRepo();
    put(r.dir, 'x.txt', 'x\n');
    const head = commit(r.dir, 'x');
    const ref = await abort(r);
    expect(await repos.readBackupMeta(r.dir, ref)).toMatchObject({ ref, format: 2, team: 'web', branch: 'team-work', head });
    expect(git(r.dir, 'log', '-1', '--format=%B', ref)).toMatch(/^teamtop-format: 2$/m);
  });

  it('adds to the backup what appeared after it and the clean removes, before removing it', async () => {
    const r = baseRepo();
    put(r.dir, 'early.txt', 'before the backup\n');
    const tree = snapshotTree(r.dir);
    const ref = `refs/teamtop/backup/web-${STAMP1}`;
    await applyGitEffect({ kind: 'git-backup', repo: r.dir, ref, message: 'm', team: 'web', rollbackTo: ['main'] }, {}, r.protect);
    const first = git(r.dir, 'rev-parse', ref);
    put(r.dir, 'late.txt', 'written by an agent after the backup\n');
    put(r.dir, 'early.txt', 'changed after the backup\n');
    await applyGitEffect({ kind: 'git-reset', repo: r.dir, target: 'main', backupRef: ref }, {}, r.protect);
    const second = git(r.dir, 'rev-parse', ref);
    expect(second).not.toBe(first);
    expect(git(r.dir, 'rev-list', '--parents', '-n', '1', ref).split(' ')).toContain(first); // the old version stays reachable
    expect(git(r.dir, 'show', `${ref}:late.txt`)).toBe('written by an agent after the backup');
    expect(git(r.dir, 'show', `${ref}:early.txt`)).toBe('before the backup'); // the saved state is kept...
    const displaced = git(r.dir, 'ls-tree', '-r', '--name-only', `${ref}^3`);
    expect(displaced).toContain('displaced/1/early.txt'); // ...and the later bytes are kept too
    await undo(r, ref);
    expect(snapshotTree(r.dir)).toEqual({ ...tree, 'late.txt': expect.any(Object) });
  });
});

describe('undo-abort refuses', () => {
  it('when the branch it would move is checked out in another worktree, before changing anything', async () => {
    const r = baseRepo();
    put(r.dir, 'feature.js', 'f\n');
    commit(r.dir, 'work');
    const ref = await abort(r);
    git(r.dir, 'checkout', '-q', '-b', 'elsewhere');
    const wt = realTempDir('teamtop-wt-');
    dirs.push(wt);
    git(r.dir, 'worktree', 'add', '-q', join(wt, 'second'), 'team-work');
    const tree = snapshotTree(r.dir);
    const view = gitView(r.dir);
    const pre = `refs/teamtop/backup/web-${STAMP2}`;
    await applyGitEffect({ kind: 'git-backup', repo: r.dir, ref: pre, message: 'm', team: 'web', rollbackTo: [ref] }, {}, r.protect);
    await expect(applyGitEffect({ kind: 'git-restore', repo: r.dir, ref, backupRef: pre }, {}, r.protect)).rejects.toThrow(/checked out in the worktree/);
    expect(snapshotTree(r.dir)).toEqual(tree);
    expect(gitView(r.dir)).toEqual(view);
  });
});
