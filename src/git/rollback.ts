// The destructive half: a hard reset to a commit and an exact restore of a backup. Each first
// makes sure that what it is about to remove or overwrite is reachable from the backup ref of
// the operation (ensureSaved), removes only what it saved, and can be re-run after being killed
// at any point: every step is idempotent and the backup ref only ever gains content.
import { closeSync, fchmodSync, promises as fsp, readSync } from 'node:fs';
import { join } from 'node:path';
import { defaultMode, type Backup } from './backup.js';
import { savedIndex } from './backup-check.js';
import { forEachBlobChunk, writeData, type BlobData } from './blob-chunks.js';
import { ensureSaved } from './augment.js';
import { cleanPhase, RERUN_NOTE, type RollbackOptions } from './clean.js';
import { withTempDir, type TreeEntry } from './objects.js';
import { ancestors, utf8Of } from './paths.js';
import { assertNoRepoInTheWay, type RestorePlan } from './restore-check.js';
import { crashPoint, type GitContext } from './run.js';
import { SafeTree, UnsafeWriteError } from './safe-fs.js';
import { show } from './safe-path.js';
import { readHead, readTracked, stampOf, takeSnapshot, type Snapshot } from './snapshot.js';
import { isProtected, type Target } from './targets.js';

export type { RollbackOptions };

const ZERO = '0'.repeat(40);

/** The whole content of an open file of `size` bytes (null when it holds something else). */
export function readAllFd(fd: number, size: number): Buffer | null {
  const buf = Buffer.alloc(size + 1);
  let n = 0;
  for (;;) {
    const r = readSync(fd, buf, n, buf.length - n, null);
    if (r === 0) break;
    n += r;
    if (n > size) return null;
  }
  return n === size ? buf.subarray(0, n) : null;
}

/** Moves HEAD (and its branch) to `commit`, the index and work tree to its tree, then cleans. */
export async function resetTo(g: GitContext, commit: string, target: Target, opts: RollbackOptions): Promise<void> {
  if (opts.backupRef) {
    const snap = await takeSnapshot(g, [target], opts.prot);
    await ensureSaved(g, opts.backupRef, {
      entries: snap.entries.values(), writes: target.files, commits: snap.head ? [snap.head] : [],
      indexTree: snap.indexTree === target.treeSha ? null : snap.indexTree, env: opts.env, now: opts.now(),
    });
  }
  crashPoint('reset:before-reset');
  // `git reset` in git 2.39 mishandles --end-of-options; the resolved sha cannot be an option.
  await g.run(['reset', '--hard', '--quiet', commit, '--']);
  crashPoint('reset:after-reset');
  await cleanPhase(g, opts, 'reset:during-clean');
}

async function writeLocked(path: string, data: Buffer): Promise<void> {
  const lock = `${path}.lock`;
  let fh;
  try {
    fh = await fsp.open(lock, 'wx', 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`${lock} exists: another git process is running; if none is, remove the lock file`, { cause: e });
    throw e;
  }
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (e) {
    await fh.close().catch(() => undefined);
    await fsp.rm(lock, { force: true });
    throw e;
  }
  await fh.close();
  await fsp.rename(lock, path);
}

/** Puts back the saved index: its raw bytes when git can read them (savedIndex), else its tree. */
async function installIndex(g: GitContext, b: Backup, raw: Buffer | null): Promise<void> {
  if (raw) await writeLocked(await g.gitPath('index'), raw);
  else await g.run(['read-tree', '--end-of-options', b.indexTree]);
}

async function setHead(g: GitContext, b: Backup, branchNow: string | null): Promise<void> {
  if (!b.headRef) {
    await g.run(['update-ref', '--no-deref', 'HEAD', b.head!]);
    return;
  }
  if (b.head !== null && branchNow !== b.head) {
    const input = Buffer.concat([Buffer.from('update '), b.headRef, Buffer.from(`\0${b.head}\0${branchNow ?? ZERO}\0`)]);
    await g.run(['update-ref', '--stdin', '-z'], { input });
  }
  const cur = (await readHead(g)).headRef;
  if (cur && cur.equals(b.headRef)) return;
  const name = utf8Of(b.headRef.toString('latin1'));
  if (name !== null) await g.run(['symbolic-ref', 'HEAD', name]);
  // A name that is not UTF-8 cannot go through an argument: HEAD is written as git would.
  else await writeLocked(await g.gitPath('HEAD'), Buffer.concat([Buffer.from('ref: '), b.headRef, Buffer.from('\n')]));
}

/**
 * Restores backup `b` exactly (`plan`: restorePlan, every check that can refuse it done): HEAD
 * and its branch, the index, the work tree byte for byte (modes, symlinks, empty directories, the
 * ignored files it saved); submodule directories are left as they are. What the restore removes
 * or overwrites is saved to opts.backupRef first. Every write in the work tree goes through a
 * SafeTree: never through a symbolic link, never outside.
 */
export async function restoreFrom(g: GitContext, b: Backup, plan: RestorePlan, opts: RollbackOptions): Promise<void> {
  const prot = opts.prot;
  const { rFiles, rEmpty, target, gitlinks, branchNow } = plan;
  // The saved index file, when git can read it, with every path it lists checked.
  const index = await savedIndex(g, b);
  // What is there now (hashed; unchanged files come from the cache of the backup just taken).
  const snap = await takeSnapshot(g, [target], prot);
  await assertNoRepoInTheWay(g, b, rFiles, prot, snap.entries);
  if (opts.backupRef) {
    await ensureSaved(g, opts.backupRef, {
      entries: snap.entries.values(), writes: rFiles,
      commits: [snap.head, branchNow].filter((c): c is string => c !== null),
      indexTree: snap.indexTree === b.indexTree ? null : snap.indexTree, env: opts.env, now: opts.now(),
    });
  }
  crashPoint('restore:before-write');

  const out = new SafeTree(g.top, RERUN_NOTE);
  try {
    await writeWorkTree(g, b, plan, snap, out, prot);
  } finally {
    out.close();
  }
  crashPoint('restore:after-write');

  // What is neither saved in the backup nor ignored by its rules goes, as `git clean -d` would.
  const keepDirs = new Set<string>(gitlinks);
  for (const d of rEmpty.keys()) {
    keepDirs.add(d);
    for (const a of ancestors(d)) keepDirs.add(a);
  }
  await withTempDir(async (dir) => {
    const env = { GIT_INDEX_FILE: join(dir, 'index') };
    await g.run(['read-tree', '--end-of-options', b.tree], { env });
    await cleanPhase(g, opts, 'restore:during-clean', env, keepDirs);
  });

  // Modes of directories last (a read-only one must not stop the writes above).
  const modes = new SafeTree(g.top, RERUN_NOTE);
  try {
    for (const [d, mode] of [...rEmpty, ...b.manifest.dirModes]) {
      if (isProtected(d, prot) || !modes.lstat(d)?.isDirectory()) continue;
      try {
        modes.chmod(d, mode);
      } catch (e) {
        if (e instanceof UnsafeWriteError) throw e; // (a mode git cannot set, as before, is not an error)
      }
    }
  } finally {
    modes.close();
  }
  await installIndex(g, b, index);
  await setHead(g, b, branchNow);
  // Refresh stat data so the next status is fast; exit 1 just means "there are changes".
  await g.run(['update-index', '-q', '--refresh'], { okCodes: [0, 1] });
}

/** The work tree half of a restore: removals, directories, files, modes, empty directories. */
async function writeWorkTree(g: GitContext, b: Backup, plan: RestorePlan, snap: Snapshot, out: SafeTree, prot: RollbackOptions['prot']): Promise<void> {
  const { rFiles, rEmpty, target, gitlinks } = plan;
  // Tracked files the backup does not have.
  for (const [p, e] of await readTracked(g)) {
    if (rFiles.has(p) || e.mode === '160000' || isProtected(p, prot)) continue;
    const st = out.lstat(p);
    if (st && !st.isDirectory()) out.unlink(p);
  }
  // Directories (a submodule's too: its contents are its own), shallowest first: whatever is in
  // the way (a file, a symlink) goes.
  const depth = (p: string): number => p.split('/').length;
  for (const d of [...target.dirs, ...gitlinks].filter((x) => !isProtected(x, prot)).sort((a, b2) => depth(a) - depth(b2))) {
    const st = out.lstat(d);
    if (st?.isDirectory()) continue;
    if (st) out.unlink(d);
    out.mkdir(d);
  }
  // Files: raw bytes (format 1 was saved through filters, so it goes back through them).
  // Synchronous file system calls: many small ones are far faster than through the thread pool.
  const writeEntry = async (e: TreeEntry & { path: string }, data: BlobData): Promise<void> => {
    const st = out.lstat(e.path);
    const mode = b.manifest.modes.get(e.path) ?? defaultMode(e.mode);
    if (e.mode === '120000') {
      const target = 'bytes' in data ? data.bytes : null;
      if (!target) throw new Error(`cannot restore ${b.ref}: the symbolic link ${show(e.path)} could not be read`);
      if (st?.isSymbolicLink() && out.readlink(e.path)?.equals(target)) return;
      if (st) out.removeTree(e.path);
      out.symlink(target, e.path);
      return;
    }
    if ('bytes' in data && st?.isFile() && Number(st.size) === data.bytes.length) {
      const rfd = out.openRead(e.path);
      if (rfd !== null) {
        let same: boolean;
        try {
          same = readAllFd(rfd, data.bytes.length)?.equals(data.bytes) ?? false;
        } finally {
          closeSync(rfd);
        }
        if (same && out.chmod(e.path, mode)) return;
      }
    }
    // Rewritten in place when it is a file with no other link; anything else is replaced.
    let fd = st?.isFile() && st.nlink === 1n ? out.openRewrite(e.path, st.ino) : null;
    if (fd === null) {
      if (st) out.removeTree(e.path);
      fd = out.openNew(e.path, mode);
    }
    try {
      await writeData(fd, data);
      fchmodSync(fd, mode);
    } finally {
      closeSync(fd);
    }
  };

  // Unchanged since it was hashed, and already what the backup has: only the mode may differ
  // (and the blob need not be read; one that cannot be chmod'ed safely is rewritten).
  const list = [...rFiles].filter(([path, e]) => {
    if (e.mode === '160000') return false;
    const now = snap.entries.get(path);
    if (!now || now.sha !== e.sha || (now.gitMode === '120000') !== (e.mode === '120000')) return true;
    const st = out.lstat(path);
    if (!st || stampOf(st) !== now.stamp) return true;
    const mode = b.manifest.modes.get(path) ?? defaultMode(e.mode);
    if (e.mode === '120000' || (Number(st.mode) & 0o7777) === mode) return false;
    return !out.chmod(path, mode);
  }).map(([path, e]) => ({ path, ...e }));
  await forEachBlobChunk(g, list, b.filtered ? b.tree : null, async (items, data) => {
    for (const [i, e] of items.entries()) await writeEntry(e, data[i]!);
  });
  for (const d of rEmpty.keys()) out.mkdirs(d);
}
