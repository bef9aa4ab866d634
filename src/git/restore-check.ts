// What a restore writes, and the checks that refuse it before anything is written: a protected
// directory the backup would replace, a branch checked out elsewhere, a missing HEAD commit, a
// nested repository where the backup has a file.
import { promises as fsp } from 'node:fs';
import type { Backup } from './backup.js';
import type { TreeEntry } from './objects.js';
import { ancestors, WorkTree } from './paths.js';
import type { GitContext } from './run.js';
import { show } from './safe-path.js';
import { isProtected, makeTarget, type Protected, type Target } from './targets.js';

export interface RestorePlan {
  /** The saved work tree without the protected directories. */
  rFiles: Map<string, TreeEntry>;
  rEmpty: Map<string, number>;
  target: Target;
  /** Submodules (gitlinks): directories whose contents are their own repository's, left alone. */
  gitlinks: string[];
  /** The current value of the backup's branch, or null. */
  branchNow: string | null;
}

/** The value of a branch (full ref name as bytes), or null when it does not exist. */
async function refValue(g: GitContext, ref: Buffer): Promise<string | null> {
  const out = (await g.run(['for-each-ref', '--format=%(objectname) %(refname)', 'refs/heads/'])).stdout.toString('latin1');
  const want = ref.toString('latin1');
  for (const line of out.split('\n')) {
    const sp = line.indexOf(' ');
    if (sp > 0 && line.slice(sp + 1) === want) return line.slice(0, sp);
  }
  return null;
}

/**
 * Refuses when a directory holding a git repository is where the backup has a file or symlink
 * (removing it would lose that repository). `skip`: paths known to be files now.
 */
export async function assertNoRepoInTheWay(
  g: GitContext, b: Backup, rFiles: ReadonlyMap<string, TreeEntry>, prot: readonly Protected[], skip?: ReadonlyMap<string, unknown>,
): Promise<void> {
  const wt = new WorkTree(g.top);
  for (const [p, e] of rFiles) {
    if (e.mode === '160000' || skip?.has(p)) continue;
    const st = wt.lstat(p);
    if (st?.isDirectory() && (await wt.walk(p, (q) => isProtected(q, prot))).nested.length > 0) {
      throw new Error(`cannot restore ${b.ref}: ${show(p)} is a directory holding a git repository where the backup has a file`);
    }
  }
}

/** What restoring `b` writes, after every check that can refuse it before anything is written. */
export async function restorePlan(g: GitContext, b: Backup, files: ReadonlyMap<string, TreeEntry>, prot: readonly Protected[]): Promise<RestorePlan> {
  const rFiles = new Map<string, TreeEntry>();
  for (const [p, e] of files) {
    if (isProtected(p, prot)) continue; // the live state, never rolled back (format 1 saved it)
    rFiles.set(p, e);
  }
  const rEmpty = new Map([...b.manifest.emptyDirs].filter(([d]) => !isProtected(d, prot)));
  const target = makeTarget(`backup ${b.ref}`, rFiles, rEmpty.keys());
  for (const x of prot) {
    if (!x.link && (rFiles.has(x.key) || ancestors(x.key).some((a) => rFiles.has(a)))) {
      throw new Error(`${b.ref} has a file where ${x.name} (${x.rel}) is: restoring it would replace ${x.name}`);
    }
  }
  const branchNow = b.headRef ? await refValue(g, b.headRef) : null;
  if (b.headRef) {
    // Moving a branch another worktree has checked out would pull the ground from under it.
    const here = Buffer.from(await fsp.realpath(g.top), 'utf8').toString('latin1');
    let at = '';
    for (const f of (await g.run(['worktree', 'list', '--porcelain', '-z'])).stdout.toString('latin1').split('\0')) {
      if (f.startsWith('worktree ')) at = f.slice('worktree '.length);
      else if (f === `branch ${b.headRef.toString('latin1')}` && at !== here) {
        throw new Error(`cannot restore ${b.ref}: its branch is checked out in the worktree ${at}; switch that worktree to another branch first`);
      }
    }
  }
  if (b.head === null) {
    if (branchNow !== null) {
      throw new Error(`cannot restore ${b.ref}: it was taken before the first commit on ${b.headRef!.toString('latin1')}, which has commits now; refusing to delete them`);
    }
  } else {
    const r = await g.run(['cat-file', '-e', `${b.head}^{commit}`], { okCodes: [0, 1, 128] });
    if (r.code !== 0) throw new Error(`cannot restore ${b.ref}: its HEAD commit ${b.head} is missing`);
  }
  await assertNoRepoInTheWay(g, b, rFiles, prot);
  const gitlinks = [...rFiles].filter(([, e]) => e.mode === '160000').map(([p]) => p);
  return { rFiles, rEmpty, target, gitlinks, branchNow };
}
