// The git effects of a plan, the same for every source: the repo is found and checked (no merge,
// rebase or index.lock in progress) before each. Rollbacks (backup, reset, restore) never touch
// the protected directories (teamtop's state root, team directories), decided on real paths;
// a protected directory that is the repository's top, contains it, or holds tracked files, is
// refused by the backup that starts every rollback plan, before anything is written.
// checkGitEffect runs every check an effect makes before its first write, writing nothing: a
// plan whose git step would fail at its start can be refused before anything is written.
import { GitRepo } from './repo.js';
import type { ApplyContext, Effect, EffectResult } from '../ports/effects.js';

export type GitEffect = Extract<Effect, { kind: `git-${string}` }>;

export function isGitEffect(e: Effect): e is GitEffect {
  return e.kind.startsWith('git-');
}

async function openRepo(dir: string): Promise<GitRepo> {
  const repo = await GitRepo.find(dir);
  if (!repo) throw new Error(`${dir} is not in a git work tree`);
  await repo.assertSafeToAct();
  return repo;
}

/**
 * Everything that can be checked before `e` runs, without writing anything (no object, ref,
 * index or file): the repo is found and safe to act on, and per kind — commit-wip: nothing more;
 * tag: a valid, absent tag name and a HEAD with a commit; backup: the protection layout, every
 * rollbackTo revision resolving to a tree (or backup) with safe paths, an absent valid ref;
 * reset: a target commit with safe paths and the protection layout; restore: a readable,
 * well-formed backup with safe paths, that can be restored as things are. The backupRef of a
 * reset or restore may not exist yet (the plan's backup step creates it). `earlier`: the effects
 * of the plan that run before `e` (a commit-wip before a tag gives an unborn branch its commit).
 * Throws the error the effect itself would throw.
 */
export async function checkGitEffect(e: GitEffect, protectedDirs: readonly string[], earlier: readonly Effect[] = []): Promise<void> {
  const repo = await openRepo(e.repo);
  const protect = [...protectedDirs];
  switch (e.kind) {
    case 'git-commit-wip':
      await repo.checkCommitWorkInProgress({ protect });
      return;
    case 'git-tag':
      await repo.checkTag(e.name, earlier.some((x) => x.kind === 'git-commit-wip' && x.repo === e.repo));
      return;
    case 'git-backup':
      await repo.checkBackup(e.ref, { team: e.team, rollbackTo: e.rollbackTo, protect });
      return;
    case 'git-reset':
      await repo.checkReset(e.target, { backupRef: e.backupRef, protect });
      return;
    case 'git-restore':
      await repo.checkRestore(e.ref, { backupRef: e.backupRef, protect });
      return;
  }
}

export async function applyGitEffect(e: GitEffect, ctx: ApplyContext, protectedDirs: readonly string[]): Promise<EffectResult> {
  const repo = await openRepo(e.repo);
  const protect = [...protectedDirs];
  switch (e.kind) {
    case 'git-commit-wip': {
      const r = await repo.commitWorkInProgress(e.message, { protect });
      ctx.commit = r.sha;
      return { effect: e.kind, detail: { commit: r.sha, committed: r.committed } };
    }
    case 'git-tag': {
      const sha = await repo.tag(e.name, e.message);
      ctx.commit ??= sha;
      return { effect: e.kind, detail: { tag: e.name, commit: sha } };
    }
    case 'git-backup': {
      const r = await repo.backup(e.ref, e.message, { team: e.team, rollbackTo: e.rollbackTo, protect });
      return { effect: e.kind, detail: { ref: r.ref, commit: r.sha } };
    }
    case 'git-reset':
      await repo.resetHard(e.target, { backupRef: e.backupRef, protect });
      return { effect: e.kind, detail: { target: e.target, backup: e.backupRef } };
    case 'git-restore':
      await repo.restoreBackup(e.ref, { backupRef: e.backupRef, protect });
      return { effect: e.kind, detail: { ref: e.ref, backup: e.backupRef } };
  }
}
