// Whether a repository is in a state where acting on it would lose or corrupt work.
import { promises as fsp } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { text, type GitContext } from './run.js';

/** The repository is in a state where acting on it would lose or corrupt work. */
export class GitStateError extends Error {
  constructor(
    readonly dir: string,
    readonly problems: readonly string[],
  ) {
    super(`git repository ${dir} is not safe to act on: ${problems.join('; ')}`);
    this.name = 'GitStateError';
  }
}

/** Throws GitStateError when a merge, rebase, cherry-pick, revert or bisect is in progress, or
 *  the index is locked (another git process is running, or one crashed). */
export async function assertSafeToAct(g: GitContext): Promise<void> {
  const checks: [name: string, problem: string, hint: string][] = [
    ['MERGE_HEAD', 'a merge is in progress', 'finish it or run "git merge --abort"'],
    ['rebase-merge', 'a rebase is in progress', 'finish it or run "git rebase --abort"'],
    ['rebase-apply', 'a rebase or "git am" is in progress', 'finish it or run "git rebase --abort" / "git am --abort"'],
    ['CHERRY_PICK_HEAD', 'a cherry-pick is in progress', 'finish it or run "git cherry-pick --abort"'],
    ['REVERT_HEAD', 'a revert is in progress', 'finish it or run "git revert --abort"'],
    ['BISECT_LOG', 'a bisect is in progress', 'finish it with "git bisect reset"'],
    ['index.lock', 'the index is locked', 'another git process is running; if none is, remove the lock file'],
  ];
  const top = g.top;
  const r = await g.run(['rev-parse', ...checks.flatMap(([name]) => ['--git-path', name])]);
  const paths = text(r).split('\n').slice(0, checks.length);
  const problems: string[] = [];
  for (let i = 0; i < checks.length; i++) {
    const [, problem, hint] = checks[i]!;
    const p = resolvePath(top, paths[i] ?? '');
    if (await fsp.lstat(p).then(() => true, () => false)) problems.push(`${problem} (${p} exists): ${hint}`);
  }
  if (problems.length > 0) throw new GitStateError(top, problems);
}

