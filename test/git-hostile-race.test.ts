// A teammate swapping a directory for a symbolic link while a restore writes into it
// (`rm -rf dK && ln -s $OUTSIDE dK` in a loop) must never get a file written, chmod'ed, created or
// removed outside the work tree: every write goes through a directory opened without following
// links, the immediate parent is checked right before each write, and a change stops the restore
// with an error (the backup ref still holds everything, so running it again completes it).
// Deterministic: a test hook (testHooks in src/git/run.ts) swaps the directory at a named point
// between the check and the write; then the concurrent loop, for a bounded time.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { applyGitEffect } from '../src/git/effects.js';
import { testHooks } from '../src/git/run.js';
import { git, gitView, isolateGit, put, realTempDir, snapshotTree, teamRepo } from './helpers/repo.js';

isolateGit({ beforeAll, afterAll });
const dirs: string[] = [];
afterEach(() => {
  delete testHooks.at;
  delete testHooks.noPinning;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const REF = 'refs/teamtop/backup/web-20260301T100000Z';
const PRE = 'refs/teamtop/backup/web-20260301T101000Z';

interface World {
  repo: string;
  outside: string;
  protect: string[];
  tree: ReturnType<typeof snapshotTree>;
  view: ReturnType<typeof gitView>;
}

/** Team work with directories dK/ (files, a subdirectory, a symlink), aborted (rolled back to main). */
async function aborted(files = 20): Promise<World> {
  const base = realTempDir('teamtop-race-');
  dirs.push(base);
  const repo = join(base, 'repo');
  teamRepo(repo, { 'README.md': 'base\n' });
  for (let k = 0; k < 3; k++) {
    for (let i = 0; i < files; i++) put(repo, `d${k}/f${i}.txt`, `file ${k}/${i}\n`, i % 3 === 0 ? 0o600 : 0o644);
    put(repo, `d${k}/sub/deep.txt`, 'deep\n', 0o755);
  }
  symlinkSync('f1.txt', join(repo, 'd1', 'link'));
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'work');
  put(repo, 'd2/untracked.txt', 'untracked\n');
  mkdirSync(join(repo, 'd2', 'empty'));
  const outside = join(base, 'outside');
  mkdirSync(outside);
  const root = join(base, 'state');
  put(root, 'web/team.json', '{}\n');
  const protect = [root, join(root, 'web')];
  const tree = snapshotTree(repo);
  const view = gitView(repo);
  await applyGitEffect({ kind: 'git-backup', repo, ref: REF, message: 'm', team: 'web', rollbackTo: ['main'] }, {}, protect);
  await applyGitEffect({ kind: 'git-reset', repo, target: 'main', backupRef: REF }, {}, protect);
  await applyGitEffect({ kind: 'git-backup', repo, ref: PRE, message: 'm', team: 'web', rollbackTo: [REF] }, {}, protect);
  return { repo, outside, protect, tree, view };
}

const restore = (w: World): Promise<unknown> => applyGitEffect({ kind: 'git-restore', repo: w.repo, ref: REF, backupRef: PRE }, {}, w.protect);

function swap(w: World, dir: string): void {
  rmSync(join(w.repo, dir), { recursive: true, force: true });
  symlinkSync(w.outside, join(w.repo, dir));
}

/** Swaps `dir` for a link to the outside the first time `point` is reached for a path under `dir`. */
function swapAt(w: World, point: string, dir: string, match: (p: string) => boolean): void {
  let done = false;
  testHooks.at = (name, p) => {
    if (done || name !== point || !match(p)) return;
    done = true;
    swap(w, dir);
  };
}

async function expectStoppedThenRerun(w: World, why: RegExp): Promise<void> {
  await expect(restore(w)).rejects.toThrow(why);
  expect(readdirSync(w.outside)).toEqual([]);
  await rerun(w);
}

/** Nothing was lost: running the restore again (no more swaps) completes it exactly. */
async function rerun(w: World): Promise<void> {
  delete testHooks.at;
  await restore(w);
  expect(readdirSync(w.outside)).toEqual([]);
  expect(snapshotTree(w.repo)).toEqual(w.tree);
  expect(gitView(w.repo)).toEqual(w.view);
}

describe('a directory swapped for a symbolic link while the restore writes', () => {
  for (const pinned of [true, false]) {
    const mode = pinned ? 'through directory descriptors' : 'with plain paths (where /proc/self/fd is missing)';
    it(`${mode}: swapped after the parent was opened and cached, before the check of the write`, async () => {
      const w = await aborted();
      testHooks.noPinning = !pinned;
      swapAt(w, 'safe-fs:before-check', 'd0', (p) => p === 'd0/f5.txt');
      await expectStoppedThenRerun(w, /stopped before writing "d0\/f5\.txt": "d0" changed while it was written \(a symbolic link or another directory took its place\); nothing was lost/);
    });

    it(`${mode}: an ancestor swapped before a write two levels down`, async () => {
      const w = await aborted();
      testHooks.noPinning = !pinned;
      mkdirSync(join(w.outside, 'sub')); // the link's target even has the subdirectory
      swapAt(w, 'safe-fs:before-check', 'd1', (p) => p === 'd1/sub/deep.txt');
      await expect(restore(w)).rejects.toThrow(/stopped before writing "d1\/sub\/deep\.txt": "d1\/sub" changed/);
      expect(readdirSync(w.outside)).toEqual(['sub']);
      expect(readdirSync(join(w.outside, 'sub'))).toEqual([]);
      rmSync(join(w.outside, 'sub'), { recursive: true });
      await rerun(w);
    });
  }

  it('through directory descriptors: swapped between the check and the write itself (the write cannot follow it)', async () => {
    const w = await aborted();
    swapAt(w, 'safe-fs:before-write', 'd0', (p) => p === 'd0/f7.txt');
    await expectStoppedThenRerun(w, /stopped before writing "d0\/f7\.txt": "d0" changed while it was written/);
  });

  it('the clean and the removals: a directory swapped before a removal in it', async () => {
    const w = await aborted();
    // Files the backup does not have, in a directory that the restore's clean empties.
    put(w.repo, 'd0/new-1.txt', 'new\n');
    put(w.repo, 'd0/new-2.txt', 'new\n');
    put(w.outside, 'new-2.txt', 'a file outside with the same name\n');
    testHooks.at = (name, p) => {
      if (name === 'safe-fs:before-write' && p === 'd0/new-2.txt') {
        rmSync(join(w.repo, 'd0'), { recursive: true, force: true });
        symlinkSync(w.outside, join(w.repo, 'd0'));
        delete testHooks.at;
      }
    };
    await expect(restore(w)).rejects.toThrow(/stopped before writing "d0\/new-2\.txt"/);
    expect(readdirSync(w.outside)).toEqual(['new-2.txt']); // (still there: not removed through the link)
    rmSync(join(w.outside, 'new-2.txt'));
    await rerun(w);
  });

  it('a concurrent loop (rm -rf dK && ln -s $OUTSIDE dK) never gets anything written outside (stress, bounded time)', async () => {
    const w = await aborted(200);
    const loop = spawn('bash', ['-c', `cd "$0" || exit 1; while :; do for d in d0 d1 d2; do rm -rf "$d" && ln -s "$1" "$d"; done; done`, w.repo, w.outside], { stdio: 'ignore' });
    const exited = new Promise((resolve) => loop.on('exit', resolve));
    let refused = 0;
    let done = 0;
    try {
      const until = Date.now() + 6000;
      while (Date.now() < until) {
        await restore(w).then(() => done++, () => refused++);
        expect(readdirSync(w.outside)).toEqual([]);
      }
    } finally {
      loop.kill('SIGKILL');
      await exited;
    }
    expect(refused + done).toBeGreaterThan(0);
    await rerun(w);
  });
});
