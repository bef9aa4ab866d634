// Directories a rollback must never touch (teamtop's state root, team directories), decided on
// real paths: both the work tree's top and each directory are resolved through symlinks first.
import { promises as fsp } from 'node:fs';
import { basename, dirname, join, resolve as resolvePath, sep } from 'node:path';
import { ancestors, isUnder, latin1Of, realpathLoose, relativeInside } from './paths.js';
import type { Protected, Target } from './targets.js';

/**
 * Each protected directory inside the work tree (as a path from its top), plus the untracked
 * symlinks inside the work tree that the given path goes through. Throws, before anything is
 * written, when a protected directory is the top of the work tree itself (a rollback rewrites
 * the whole tree, so it cannot be left alone), or contains it (unless `allowTop`: nothing is
 * removed then).
 */
export async function resolveProtection(
  top: string, dirs: readonly string[], names?: readonly string[], opts: { allowTop?: boolean } = {},
): Promise<Protected[]> {
  const realTop = await fsp.realpath(top);
  const out: Protected[] = [];
  const add = (p: Protected): void => {
    if (!out.some((x) => x.key === p.key)) out.push(p);
  };
  const nameOf = (i: number): string => names?.[i] ?? (i === 0 ? 'the state root' : 'the team directory');
  const reals = await Promise.all(dirs.map((d) => realpathLoose(d)));
  const atTop = reals.indexOf(realTop);
  if (atTop >= 0 && !opts.allowTop) {
    throw new Error(
      `refusing to roll back ${realTop}: ${nameOf(atTop)} ${dirs[atTop]!} is the top of that git work tree itself (it can be kept out of a rollback inside the work tree, not its top), so a reset would rewrite it; give the team a repository of its own (team.json "repo") instead`,
    );
  }
  // A repository inside the state root or a team directory (another team's directory, say): its
  // rollback would rewrite and clean team state.
  const around = reals.findIndex((r) => r !== realTop && relativeInside(r, realTop) !== null);
  if (around >= 0 && !opts.allowTop) {
    throw new Error(
      `the repository ${realTop} is inside ${nameOf(around)} ${reals[around]!}: a rollback there could remove team state; keep repositories outside the state root`,
    );
  }
  for (const [i, d] of dirs.entries()) {
    const name = nameOf(i);
    const real = reals[i]!;
    if (real === realTop) continue; // (allowTop: nothing can be excluded, the caller goes on without)
    const rel = relativeInside(realTop, real);
    if (rel !== null) add({ key: latin1Of(rel), rel, name });
    // Symlinks inside the work tree on the way to it: removing one would cut the path.
    const parts = resolvePath(d).split(sep).filter((x) => x !== '');
    for (let k = 1; k < parts.length; k++) {
      const prefix = sep + parts.slice(0, k).join(sep);
      const st = await fsp.lstat(prefix).catch(() => null);
      if (!st?.isSymbolicLink()) continue;
      const at = join(await fsp.realpath(dirname(prefix)).catch(() => dirname(prefix)), basename(prefix));
      const lrel = relativeInside(realTop, at);
      if (lrel !== null && lrel !== '') add({ key: latin1Of(lrel), rel: lrel, name: `the symlink to ${name}`, link: true });
    }
  }
  return out;
}

/**
 * Refuses (throws) when a protected directory holds tracked files (the rollback would rewrite it),
 * or when a target has a file at it or above it, or (for commit targets) tracks files in it.
 * Symlinks on the way that are tracked are git's business: they stop being protected.
 */
export function checkProtection(
  prot: readonly Protected[], tracked: ReadonlyMap<string, unknown>, targets: ReadonlyArray<{ target: Target; strict: boolean }>,
): Protected[] {
  const kept: Protected[] = [];
  const trackedPaths = [...tracked.keys()];
  for (const x of prot) {
    const inIndex = trackedPaths.some((p) => isUnder(p, x.key));
    if (x.link) {
      if (!inIndex && !targets.some(({ target }) => target.files.has(x.key) || target.dirs.has(x.key))) kept.push(x);
      continue;
    }
    if (inIndex) {
      throw new Error(
        `${x.name} (${x.rel}) is tracked in git, so a rollback would rewrite it too: untrack it (git rm -r --cached) or give the team its own repo in team.json`,
      );
    }
    for (const { target, strict } of targets) {
      if (target.files.has(x.key) || ancestors(x.key).some((a) => target.files.has(a))) {
        throw new Error(`${target.label} has a file where ${x.name} (${x.rel}) is: rolling back to it would replace ${x.name}`);
      }
      if (strict && target.dirs.has(x.key)) {
        throw new Error(`${target.label} tracks files in ${x.name} (${x.rel}), so a rollback would rewrite it too: give the team its own repo in team.json`);
      }
    }
    kept.push(x);
  }
  return kept;
}
