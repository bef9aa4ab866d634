// A submodule added after base_ref: abort leaves its checkout alone (it is its own repository),
// and undo-abort must bring back .gitmodules and the gitlink in the index, leaving the submodule
// directory's contents untouched. (It used to fail: `"sm" is a directory holding a git
// repository where the backup has a file`.)
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { applyGitEffect, checkGitEffect } from '../src/git/effects.js';
import { git, gitBlob, gitView, isolateGit, put, realTempDir, snapshotTree } from './helpers/repo.js';

isolateGit({ beforeAll, afterAll });
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const REF = 'refs/teamtop/backup/web-20260301T100000Z';
const PRE = 'refs/teamtop/backup/web-20260301T101000Z';

function init(dir: string): void {
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Test');
  git(dir, 'config', 'user.email', 'test@example.com');
}

describe('a submodule added after base_ref', () => {
  it('survives abort untouched, and undo-abort restores .gitmodules and the gitlink without touching its checkout', async () => {
    const base = realTempDir('teamtop-sm-');
    dirs.push(base);
    const repo = join(base, 'repo');
    put(repo, 'README.md', 'base\n');
    init(repo);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'base');
    git(repo, 'checkout', '-q', '-b', 'team-work');
    // The submodule: a repository of its own in sm/, with its own untracked and ignored files.
    const sm = join(repo, 'sm');
    put(sm, 'lib.js', 'lib\n');
    put(sm, '.gitignore', 'build/\n');
    init(sm);
    git(sm, 'add', '-A');
    git(sm, 'commit', '-q', '-m', 'lib');
    put(sm, 'scratch.txt', 'the submodule\'s own untracked file\n');
    put(sm, 'build/out.o', 'ignored in the submodule\n');
    put(repo, '.gitmodules', '[submodule "sm"]\n\tpath = sm\n\turl = ./sm\n');
    git(repo, 'add', '.gitmodules', 'sm');
    git(repo, 'commit', '-q', '-m', 'add submodule');
    put(repo, 'work.txt', 'work\n');
    const root = join(base, 'state');
    put(root, 'web/team.json', '{}\n');
    const protect = [root, join(root, 'web')];
    const smTree = snapshotTree(sm);
    const tree = snapshotTree(repo);
    const view = gitView(repo);

    await applyGitEffect({ kind: 'git-backup', repo, ref: REF, message: 'm', team: 'web', rollbackTo: ['main'] }, {}, protect);
    await applyGitEffect({ kind: 'git-reset', repo, target: 'main', backupRef: REF }, {}, protect);
    expect(existsSync(join(repo, '.gitmodules'))).toBe(false);
    expect(snapshotTree(sm)).toEqual(smTree);

    const backup = { kind: 'git-backup', repo, ref: PRE, message: 'm', team: 'web', rollbackTo: [REF] } as const;
    const restore = { kind: 'git-restore', repo, ref: REF, backupRef: PRE } as const;
    await applyGitEffect(backup, {}, protect);
    await applyGitEffect(restore, {}, protect);
    expect(git(repo, 'ls-files', '-s', 'sm')).toMatch(/^160000 [0-9a-f]{40} 0\tsm$/);
    expect(snapshotTree(sm)).toEqual(smTree);
    expect(snapshotTree(repo)).toEqual(tree);
    expect(gitView(repo)).toEqual(view);
    // (and the preflight of that restore, run again now, accepts it too)
    await checkGitEffect(restore, protect);
  });

  it('a submodule directory that is gone, or has a file in its place, comes back as an (empty) directory', async () => {
    const base = realTempDir('teamtop-sm-');
    dirs.push(base);
    const repo = join(base, 'repo');
    put(repo, 'README.md', 'base\n');
    init(repo);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'base');
    git(repo, 'checkout', '-q', '-b', 'team-work');
    const sm = join(repo, 'sm');
    put(sm, 'lib.js', 'lib\n');
    init(sm);
    git(sm, 'add', '-A');
    git(sm, 'commit', '-q', '-m', 'lib');
    put(repo, '.gitmodules', '[submodule "sm"]\n\tpath = sm\n\turl = ./sm\n');
    git(repo, 'add', '.gitmodules', 'sm');
    git(repo, 'commit', '-q', '-m', 'add submodule');
    const protect = [join(base, 'state')];
    await applyGitEffect({ kind: 'git-backup', repo, ref: REF, message: 'm', team: 'web', rollbackTo: ['main'] }, {}, protect);
    await applyGitEffect({ kind: 'git-reset', repo, target: 'main', backupRef: REF }, {}, protect);
    rmSync(sm, { recursive: true, force: true });
    put(repo, 'sm', 'a file where the submodule was\n');
    const inTheWay = gitBlob(repo, 'a file where the submodule was\n');
    await applyGitEffect({ kind: 'git-backup', repo, ref: PRE, message: 'm', team: 'web', rollbackTo: [REF] }, {}, protect);
    await applyGitEffect({ kind: 'git-restore', repo, ref: REF, backupRef: PRE }, {}, protect);
    expect(snapshotTree(sm)).toEqual({});
    expect(git(repo, 'ls-files', '-s', 'sm')).toMatch(/^160000 /);
    // The file that was in the way is saved in the backup taken before the restore.
    expect(git(repo, 'rev-list', '--objects', PRE).split('\n').map((l) => l.split(' ')[0])).toContain(inTheWay);
  });
});
