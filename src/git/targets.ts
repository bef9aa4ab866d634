// What a rollback writes (a commit's tree, a backup's saved tree) and what it must never touch
// (the protected directories), as both the snapshot and the ignored-file check see them.
import { listTree, type TreeEntry } from './objects.js';
import { ancestors, exactPattern, isUnder } from './paths.js';
import { firstLine, type GitContext } from './run.js';

/** Protected directories inside the work tree: `key` is the latin1 path, `rel` the JS string. */
export interface Protected {
  key: string;
  rel: string;
  /** A symlink on the way to a protected directory (left alone, never required untracked). */
  link?: boolean;
  /** How refusals name it ("the state root"). */
  name: string;
}

/** A tree a rollback writes: a commit's tree (reset) or a backup's saved work tree (restore). */
export interface Target {
  label: string;
  /** The tree's id, when it is a commit's tree. */
  treeSha?: string;
  files: Map<string, TreeEntry>;
  /** Every directory the target has (ancestors of its files, and its recorded empty directories). */
  dirs: Set<string>;
  /** The .gitignore files of the target (regular files only: git ignores symlinked ones). */
  ignoreFiles: Array<{ path: string; sha: string; size: number }>;
}

export function makeTarget(label: string, files: Map<string, TreeEntry>, emptyDirs: Iterable<string> = []): Target {
  const dirs = new Set<string>();
  const ignoreFiles: Target['ignoreFiles'] = [];
  for (const [p, e] of files) {
    for (const a of ancestors(p)) dirs.add(a);
    if ((p === '.gitignore' || p.endsWith('/.gitignore')) && (e.mode === '100644' || e.mode === '100755')) {
      ignoreFiles.push({ path: p, sha: e.sha, size: e.size });
    }
  }
  for (const d of emptyDirs) {
    dirs.add(d);
    for (const a of ancestors(d)) dirs.add(a);
  }
  return { label, files, dirs, ignoreFiles };
}

export async function commitTarget(g: GitContext, label: string, commit: string): Promise<Target> {
  const treeSha = firstLine(await g.run(['rev-parse', '--verify', '--end-of-options', `${commit}^{tree}`]));
  const t = makeTarget(label, await listTree(g, treeSha, label));
  t.treeSha = treeSha;
  return t;
}

/** A path is in (or is) a protected directory. */
export function isProtected(p: string, prot: readonly Protected[]): boolean {
  return prot.some((x) => isUnder(p, x.key));
}

export function excludeArgs(prot: readonly Protected[], flag: string): string[] {
  return prot.flatMap((x) => [flag, exactPattern(x.rel)]);
}
