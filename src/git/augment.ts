// Completing a backup while a rollback runs: whatever the rollback is about to remove or
// overwrite that the backup does not hold yet is added to it first, as a new commit that replaces
// it (update-ref checks the old value), so the ref only ever gains content.
import {
  buildTree, commitTree, isAncestor, listTree, makeTree, type TreeEntry,
} from './objects.js';
import { ancestors } from './paths.js';
import type { GitContext } from './run.js';
import type { FileEntry } from './snapshot.js';
import {
  backupFiles, defaultMode, identityTrailers, readBackup, trailerBlock, treeCommit, writeMeta, type Manifest,
} from './backup.js';

const isLink = (mode: string): boolean => mode === '120000';

export interface SaveRequest {
  /** What is about to be removed or overwritten, hashed. */
  entries: Iterable<FileEntry>;
  /** Empty directories about to be removed. */
  emptyDirs?: ReadonlyMap<string, number>;
  dirModes?: ReadonlyMap<string, number>;
  /** What the rollback writes at a path: content equal to it is not lost. */
  writes?: ReadonlyMap<string, TreeEntry>;
  /** Commits that must stay reachable (HEAD, a branch about to move). */
  commits?: readonly string[];
  /** An index tree to keep reachable (the current index, when the rollback replaces it). */
  indexTree?: string | null;
  env: Record<string, string>;
  now: Date;
}

/**
 * Makes sure everything in `req` is reachable from the backup `full`: a path the backup does not
 * have (and that was not tracked) joins the saved state, anything else that differs from what is
 * saved is kept as displaced content, and commits are added as parents. The ref is moved only
 * forward (a new commit whose parent is the old one, update-ref checking the old value), so it
 * always holds a complete state and never a worse one.
 */
export async function ensureSaved(g: GitContext, full: string, req: SaveRequest): Promise<{ sha: string; changed: boolean }> {
  const b = await readBackup(g, full);
  const files = new Map(await backupFiles(g, b)); // (a copy: it grows below)
  const displacedOld = b.displaced ? await listTree(g, b.displaced, `the displaced content of ${full}`) : new Map<string, TreeEntry>();
  const alreadyDisplaced = new Set<string>();
  const generations = new Set<string>();
  for (const [p, e] of displacedOld) {
    const slash = p.indexOf('/');
    generations.add(p.slice(0, slash));
    alreadyDisplaced.add(`${p.slice(slash + 1)}\0${e.sha}`);
  }
  const dirs = new Set<string>();
  for (const p of files.keys()) for (const a of ancestors(p)) dirs.add(a);
  const manifest: Manifest = {
    modes: new Map(b.manifest.modes), emptyDirs: new Map(b.manifest.emptyDirs), dirModes: new Map(b.manifest.dirModes), ignored: new Set(b.manifest.ignored),
  };
  const adds: FileEntry[] = [];
  const displaced: FileEntry[] = [];
  const seenDisplaced = new Set<string>();
  for (const e of req.entries) {
    if (e.gitMode === '160000') continue;
    const cur = files.get(e.path);
    if (cur && cur.sha === e.sha && isLink(cur.mode) === isLink(e.gitMode)) continue;
    const w = req.writes?.get(e.path);
    if (w && w.sha === e.sha && isLink(w.mode) === isLink(e.gitMode)) continue;
    if (alreadyDisplaced.has(`${e.path}\0${e.sha}`)) continue;
    // A path the backup does not have joins the saved state, unless it was tracked (the index
    // saved says what was tracked) or it would need a file where the saved state has a directory.
    const fits = !cur && e.kind !== 'tracked' && !dirs.has(e.path) && !manifest.emptyDirs.has(e.path) && !ancestors(e.path).some((a) => files.has(a));
    if (fits) {
      adds.push(e);
      files.set(e.path, { mode: e.gitMode, sha: e.sha, size: 0 });
      for (const a of ancestors(e.path)) {
        dirs.add(a);
        manifest.emptyDirs.delete(a);
        const dm = req.dirModes?.get(a);
        if (dm !== undefined && !manifest.dirModes.has(a)) manifest.dirModes.set(a, dm);
      }
      if (e.gitMode !== '120000' && e.mode !== defaultMode(e.gitMode)) manifest.modes.set(e.path, e.mode);
      if (e.kind === 'ignored') manifest.ignored.add(e.path);
    } else if (!seenDisplaced.has(e.path)) {
      seenDisplaced.add(e.path);
      displaced.push(e);
    }
  }
  let manifestChanged = adds.length > 0;
  for (const [d, mode] of req.emptyDirs ?? []) {
    if (manifest.emptyDirs.has(d) || dirs.has(d) || files.has(d) || ancestors(d).some((a) => files.has(a))) continue;
    manifest.emptyDirs.set(d, mode);
    for (const a of ancestors(d)) {
      manifest.emptyDirs.delete(a);
      const dm = req.dirModes?.get(a);
      if (dm !== undefined && !manifest.dirModes.has(a)) manifest.dirModes.set(a, dm);
    }
    manifestChanged = true;
  }
  const keep: string[] = [];
  for (const c of req.commits ?? []) {
    if (!keep.includes(c) && !(await isAncestor(g, c, b.sha))) keep.push(c);
  }
  if (req.indexTree && req.indexTree !== b.indexTree) {
    const c = await treeCommit(g, req.indexTree, 'the index as it was when a rollback replaced it');
    if (!keep.includes(c) && !(await isAncestor(g, c, b.sha))) keep.push(c);
  }
  if (!manifestChanged && displaced.length === 0 && keep.length === 0) return { sha: b.sha, changed: false };

  const tree = adds.length > 0 ? await buildTree(g, adds.map((e) => ({ mode: e.gitMode, sha: e.sha, path: e.path })), b.tree) : b.tree;
  let displacedTree = b.displaced;
  if (displaced.length > 0) {
    const gen = await buildTree(g, displaced.map((e) => ({ mode: e.gitMode, sha: e.sha, path: e.path })));
    let n = 1;
    while (generations.has(String(n))) n++;
    const old = b.displaced
      ? (await g.run(['ls-tree', '-z', '--end-of-options', b.displaced])).stdout.toString('latin1').split('\0').filter((r) => r !== '')
        .map((r) => {
          const m = /^(\d+) (\w+) ([0-9a-f]+)\t(.*)$/.exec(r)!;
          return { mode: m[1]!, type: m[2] as 'tree', sha: m[3]!, name: m[4]! };
        })
      : [];
    displacedTree = await makeTree(g, [...old, { mode: '040000', type: 'tree', sha: gen, name: String(n) }]);
  }
  const meta = await writeMeta(g, manifest, b.indexBlob, displacedTree, req.env);
  const headParents = b.head ? [b.head] : [];
  const trailers = identityTrailers({ team: b.team, headRef: b.headRef, head: b.head, index: b.indexCommit, meta, time: b.time ?? req.now.toISOString(), filtered: b.filtered });
  trailers.push(['previous', b.sha]);
  for (const c of keep) trailers.push(['saved', c]);
  trailers.push(['updated', req.now.toISOString()]);
  const message = Buffer.concat([Buffer.from(`${b.body}\n\n`, 'latin1'), Buffer.from(trailerBlock(trailers), 'latin1')]);
  const w = await commitTree(g, tree, [...headParents, b.indexCommit, meta, b.sha, ...keep], message, req.env);
  await g.run(['update-ref', '--end-of-options', full, w, b.sha]);
  return { sha: w, changed: true };
}

