// checkGitEffect: everything a git effect checks before its first write, checked without writing
// anything, so that a plan that would fail at its first git step is refused before the journal or
// any file is written. Each condition makes it reject with the effect's own error, and leaves the
// work tree, git's view, every ref and every file under .git/ byte-identical; a good plan passes.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyGitEffect, checkGitEffect, type GitEffect } from '../src/git/effects.js';
import type { Effect } from '../src/ports/effects.js';
import { addPathToCommit, git, gitTree, isolateGit, nestedEntry, put, realTempDir, repoState, teamRepo, treeEntries } from './helpers/repo.js';

isolateGit({ beforeAll, afterAll });
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const REF = 'refs/teamtop/backup/web-20260301T100000Z';
const PRE = 'refs/teamtop/backup/web-20260301T101000Z';

interface World {
  base: string;
  repo: string;
  root: string;
  protect: string[];
}

function world(): World {
  const base = realTempDir('teamtop-pre-');
  dirs.push(base);
  const repo = join(base, 'repo');
  teamRepo(repo, { '.gitignore': '*.log\n', 'README.md': 'base\n' });
  put(repo, 'feature.js', 'feature\n');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'work');
  put(repo, 'untracked.txt', 'untracked\n');
  const root = join(base, 'state');
  put(root, 'web/team.json', '{}\n');
  return { base, repo, root, protect: [root, join(root, 'web')] };
}

const abortPlan = (repo: string): GitEffect[] => [
  { kind: 'git-backup', repo, ref: REF, message: 'm', team: 'web', rollbackTo: ['main'] },
  { kind: 'git-tag', repo, name: 'abort-web-20260301T100000Z', message: 'm' },
  { kind: 'git-reset', repo, target: 'main', backupRef: REF },
];
const undoPlan = (repo: string): GitEffect[] => [
  { kind: 'git-backup', repo, ref: PRE, message: 'm', team: 'web', rollbackTo: [REF] },
  { kind: 'git-restore', repo, ref: REF, backupRef: PRE },
];

async function aborted(w: World): Promise<void> {
  for (const e of abortPlan(w.repo)) await applyGitEffect(e, {}, w.protect);
}

/** checkGitEffect rejects `e` with `why`, and nothing in the repository changed. */
async function refuses(w: World, e: GitEffect, why: RegExp, protect = w.protect, earlier: Effect[] = []): Promise<void> {
  const before = repoState(w.repo);
  await expect(checkGitEffect(e, protect, earlier), `${e.kind} ${JSON.stringify(e)}`).rejects.toThrow(why);
  expect(repoState(w.repo)).toEqual(before);
}

async function passes(w: World, e: GitEffect, protect = w.protect, earlier: Effect[] = []): Promise<void> {
  const before = repoState(w.repo);
  await checkGitEffect(e, protect, earlier);
  expect(repoState(w.repo)).toEqual(before);
}

describe('checkGitEffect', () => {
  it('passes a good abort plan and a good undo plan, writing nothing; both then apply', async () => {
    const w = world();
    for (const e of abortPlan(w.repo)) await passes(w, e);
    await passes(w, { kind: 'git-commit-wip', repo: w.repo, message: 'wip' });
    await aborted(w);
    for (const e of undoPlan(w.repo)) await passes(w, e);
    for (const e of undoPlan(w.repo)) await applyGitEffect(e, {}, w.protect);
  });

  it('no repository; a merge, rebase or locked index in progress (every kind)', async () => {
    const w = world();
    await refuses(w, { kind: 'git-commit-wip', repo: join(w.base, 'state'), message: 'm' }, /is not in a git work tree/);
    await aborted(w);
    const all: GitEffect[] = [{ kind: 'git-commit-wip', repo: w.repo, message: 'm' }, ...abortPlan(w.repo), ...undoPlan(w.repo)];
    for (const [file, why] of [['MERGE_HEAD', /a merge is in progress/], ['index.lock', /the index is locked/], ['rebase-merge', /a rebase is in progress/]] as const) {
      if (file === 'rebase-merge') mkdirSync(join(w.repo, '.git', file));
      else writeFileSync(join(w.repo, '.git', file), file === 'MERGE_HEAD' ? `${git(w.repo, 'rev-parse', 'main')}\n` : '');
      for (const e of all) await refuses(w, e, why);
      rmSync(join(w.repo, '.git', file), { recursive: true });
    }
  });

  it('git-backup: the protection layout', async () => {
    const w = world();
    const backup = abortPlan(w.repo)[0]!;
    // A protected directory that is the top, or contains it.
    await refuses(w, backup, /is the top of that git work tree itself/, [w.root, w.repo]);
    await refuses(w, backup, /the repository .* is inside the state root/, [w.base]);
    // A protected directory with tracked files; one the target would replace with a file.
    put(w.repo, 'st/tracked.json', '{}\n');
    git(w.repo, 'add', 'st');
    git(w.repo, 'commit', '-q', '-m', 'tracked state');
    await refuses(w, backup, /the state root \(st\) is tracked in git/, [join(w.repo, 'st')]);
    const evil = git(w.repo, 'commit-tree', gitTree(w.repo, [...treeEntries(w.repo, 'main^{tree}'), nestedEntry(w.repo, 'state-here', 'a file\n')]), '-p', 'main', '-m', 'x');
    git(w.repo, 'update-ref', 'refs/heads/file-at-state', evil);
    await refuses(w, { ...abortPlan(w.repo)[0]!, rollbackTo: ['file-at-state'] } as GitEffect, /has a file where the state root \(state-here\) is/, [join(w.repo, 'state-here')]);
  });

  it('git-backup: the rollback targets and the ref', async () => {
    const w = world();
    const b = abortPlan(w.repo)[0] as Extract<GitEffect, { kind: 'git-backup' }>;
    await refuses(w, { ...b, rollbackTo: ['no-such-branch'] }, /unknown revision or not a commit: "no-such-branch"/);
    git(w.repo, 'branch', 'evil', 'main');
    addPathToCommit(w.repo, 'refs/heads/evil', '../outside/x');
    await refuses(w, { ...b, rollbackTo: ['evil'] }, /the rollback target "evil" has an unsafe path "\.\.\/outside\/x"/);
    await refuses(w, { ...b, ref: 'refs/teamtop/backup/web..x' }, /backup ref id "web\.\.x" contains/);
    await refuses(w, { ...b, ref: 'refs/heads/web-20260301T100000Z' }, /is not under refs\/teamtop\/backup\//);
    await refuses(w, { ...b, team: 'we b' }, /team id/);
    await aborted(w);
    await refuses(w, b, /backup ref refs\/teamtop\/backup\/web-20260301T100000Z already exists/);
    // A backup as the target (undo-abort's first step) is checked whole.
    addPathToCommit(w.repo, REF, '.git/hooks/post-checkout');
    await refuses(w, undoPlan(w.repo)[0]!, /backup refs\/teamtop\/backup\/web-20260301T100000Z has an unsafe path "\.git\/hooks\/post-checkout"/);
  });

  it('git-tag: the name, an existing tag, a HEAD without a commit', async () => {
    const w = world();
    const t = abortPlan(w.repo)[1] as Extract<GitEffect, { kind: 'git-tag' }>;
    await refuses(w, { ...t, name: 'bad name' }, /tag name/);
    await refuses(w, { ...t, name: 'a..b' }, /not a valid git ref name|tag name/);
    git(w.repo, 'tag', t.name);
    await refuses(w, t, /already exists/);
    git(w.repo, 'tag', '-d', t.name);
    git(w.repo, 'checkout', '-q', '--orphan', 'fresh');
    await refuses(w, t, /HEAD has no commit/);
    // ...unless a commit-wip before it in the plan makes that commit.
    await passes(w, t, w.protect, [{ kind: 'git-commit-wip', repo: w.repo, message: 'm' }]);
  });

  it('git-reset: the target and its paths', async () => {
    const w = world();
    const r = abortPlan(w.repo)[2] as Extract<GitEffect, { kind: 'git-reset' }>;
    await refuses(w, { ...r, target: 'nope' }, /unknown revision or not a commit: "nope"/);
    git(w.repo, 'branch', 'evil', 'main');
    addPathToCommit(w.repo, 'refs/heads/evil', 'a/.GIT/config');
    await refuses(w, { ...r, target: 'evil' }, /the reset target "evil" has an unsafe path "a\/\.GIT\/config"/);
    await refuses(w, { ...r, backupRef: 'refs/heads/main' }, /is not under refs\/teamtop\/backup\//);
    // A backup to save into that exists must be a backup.
    git(w.repo, 'update-ref', REF, 'main');
    await refuses(w, r, /is not a teamtop backup/);
  });

  it('git-restore: a missing, malformed, unsafe or unrestorable backup', async () => {
    const w = world();
    const r = undoPlan(w.repo)[1] as Extract<GitEffect, { kind: 'git-restore' }>;
    await refuses(w, r, /backup refs\/teamtop\/backup\/web-20260301T100000Z does not exist/);
    git(w.repo, 'update-ref', REF, 'main');
    await refuses(w, r, /is not a teamtop backup/);
    git(w.repo, 'update-ref', '-d', REF);
    await aborted(w);
    await passes(w, r);
    await refuses(w, { ...r, backupRef: REF }, /cannot save into .* the state that restoring it replaces/);
    // Its branch checked out in another worktree.
    git(w.repo, 'worktree', 'add', '-q', '-f', join(w.base, 'wt'), 'team-work');
    await refuses(w, r, /its branch is checked out in the worktree/);
    git(w.repo, 'worktree', 'remove', '-f', join(w.base, 'wt'));
    // A nested repository where the backup has a file.
    put(w.repo, 'feature.js/inner/x', 'x\n');
    git(join(w.repo, 'feature.js', 'inner'), 'init', '-q');
    await refuses(w, r, /"feature\.js" is a directory holding a git repository where the backup has a file/);
    rmSync(join(w.repo, 'feature.js'), { recursive: true });
    // Unsafe paths.
    addPathToCommit(w.repo, REF, '../x');
    await refuses(w, r, /has an unsafe path "\.\.\/x"/);
  });
});
