// The git effects of a plan, the same for every source: the repo is found and checked (no merge,
// rebase or index.lock in progress) before each, and resets and restores leave the state
// directory alone when it lives inside the repo.
import { isAbsolute, relative } from 'node:path';
import { GitRepo } from '../safety/git.js';
import type { ApplyContext, Effect, EffectResult } from './types.js';

export type GitEffect = Extract<Effect, { kind: `git-${string}` }>;

export function isGitEffect(e: Effect): e is GitEffect {
  return e.kind.startsWith('git-');
}

/** Paths (relative to the repo) that resets and restores must leave alone: the state directory. */
function keepPaths(repo: GitRepo, stateDir: string): string[] {
  const rel = relative(repo.dir, stateDir);
  return rel === '' ? ['.'] : rel.startsWith('..') || isAbsolute(rel) ? [] : [rel];
}

async function openRepo(dir: string): Promise<GitRepo> {
  const repo = await GitRepo.find(dir);
  if (!repo) throw new Error(`${dir} is not in a git work tree`);
  await repo.assertSafeToAct();
  return repo;
}

export async function applyGitEffect(e: GitEffect, ctx: ApplyContext, stateDir: string): Promise<EffectResult> {
  const repo = await openRepo(e.repo);
  switch (e.kind) {
    case 'git-commit-wip': {
      const r = await repo.commitWorkInProgress(e.message);
      ctx.commit = r.sha;
      return { effect: e.kind, detail: { commit: r.sha, committed: r.committed } };
    }
    case 'git-tag': {
      const sha = await repo.tag(e.name, e.message);
      ctx.commit ??= sha;
      return { effect: e.kind, detail: { tag: e.name, commit: sha } };
    }
    case 'git-backup': {
      // A backup comes before a rollback: refuse now, before anything is written, if the
      // rollback would have to rewrite the state directory.
      await repo.keepPatterns(keepPaths(repo, stateDir));
      const r = await repo.backup(e.ref, e.message);
      return { effect: e.kind, detail: { ref: r.ref, commit: r.sha } };
    }
    case 'git-reset':
      await repo.resetHard(e.target, { keep: keepPaths(repo, stateDir) });
      return { effect: e.kind, detail: { target: e.target } };
    case 'git-restore':
      await repo.restoreBackup(e.ref, { keep: keepPaths(repo, stateDir) });
      return { effect: e.kind, detail: { ref: e.ref } };
  }
}
