// The destructive half: a hard reset to a commit and an exact restore of a backup. Each first
// makes sure that what it is about to remove or overwrite is reachable from the backup ref of
// the operation (ensureSaved), removes only what it saved, and can be re-run after being killed
// at any point: every step is idempotent and the backup ref only ever gains content.
import {
  chmodSync, closeSync, constants as fsConstants, fchmodSync, lstatSync, openSync, promises as fsp, readFileSync, readlinkSync,
  rmSync, symlinkSync, unlinkSync, writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { backupFiles, defaultMode, type Backup } from './backup.js';
import { forEachBlobChunk } from './blob-chunks.js';
import { ensureSaved } from './augment.js';
import { cleanPhase, type RollbackOptions } from './clean.js';
import { readBlobs, withTempDir, type TreeEntry } from './objects.js';
import { ancestors, utf8Of, WorkTree } from './paths.js';
import { crashPoint, type GitContext } from './run.js';
import { readHead, readTracked, stampOf, takeSnapshot } from './snapshot.js';
import { isProtected, makeTarget, type Target } from './targets.js';

export type { RollbackOptions };

const ZERO = '0'.repeat(40);

function show(p: string): string {
  return JSON.stringify(utf8Of(p) ?? p);
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

/** Puts back the saved index: its raw bytes when git can read them, else its tree. */
async function installIndex(g: GitContext, b: Backup): Promise<void> {
  if (b.indexBlob) {
    const [raw] = await readBlobs(g, [{ sha: b.indexBlob }]);
    const readable = await withTempDir(async (dir) => {
      const p = join(dir, 'index');
      await fsp.writeFile(p, raw!);
      return (await g.run(['ls-files', '-s'], { env: { GIT_INDEX_FILE: p }, okCodes: [0, 128] })).code === 0;
    });
    if (readable) {
      await writeLocked(await g.gitPath('index'), raw!);
      return;
    }
  }
  await g.run(['read-tree', '--end-of-options', b.indexTree]);
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
 * Restores backup `b` exactly: HEAD and its branch, the index, the work tree byte for byte
 * (modes, symlinks, empty directories, the ignored files it saved). What the restore removes
 * or overwrites is saved to opts.backupRef first.
 */
export async function restoreFrom(g: GitContext, b: Backup, opts: RollbackOptions): Promise<void> {
  const prot = opts.prot;
  const wt = new WorkTree(g.top);
  const rFiles = new Map<string, TreeEntry>();
  for (const [p, e] of await backupFiles(g, b)) {
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
  // What is there now (hashed; unchanged files come from the cache of the backup just taken).
  const snap = await takeSnapshot(g, [target], prot);
  // A directory where the backup has a file is removed whole: refuse if it holds a repository.
  for (const p of rFiles.keys()) {
    if (snap.entries.has(p)) continue;
    const st = await wt.lstat(p);
    if (st?.isDirectory() && (await wt.walk(p, (q) => isProtected(q, prot))).nested.length > 0) {
      throw new Error(`cannot restore ${b.ref}: ${show(p)} is a directory holding a git repository where the backup has a file`);
    }
  }
  if (opts.backupRef) {
    await ensureSaved(g, opts.backupRef, {
      entries: snap.entries.values(), writes: rFiles,
      commits: [snap.head, branchNow].filter((c): c is string => c !== null),
      indexTree: snap.indexTree === b.indexTree ? null : snap.indexTree, env: opts.env, now: opts.now(),
    });
  }
  crashPoint('restore:before-write');

  // Tracked files the backup does not have.
  for (const [p, e] of await readTracked(g)) {
    if (rFiles.has(p) || e.mode === '160000' || isProtected(p, prot)) continue;
    const st = await wt.lstat(p);
    if (st && !st.isDirectory()) unlinkSync(wt.abs(p));
  }
  wt.forget();
  // Directories, shallowest first: whatever is in the way (a file, a symlink) goes.
  const depth = (p: string): number => p.split('/').length;
  for (const d of [...target.dirs].filter((x) => !isProtected(x, prot)).sort((a, b2) => depth(a) - depth(b2))) {
    const st = await fsp.lstat(wt.abs(d)).catch(() => null);
    if (st?.isDirectory()) continue;
    if (st) await fsp.unlink(wt.abs(d));
    await fsp.mkdir(wt.abs(d));
  }
  wt.forget();
  // Files: raw bytes (format 1 was saved through filters, so it goes back through them).
  // Synchronous file system calls: many small ones are far faster than through the thread pool.
  const writeEntry = (e: TreeEntry & { path: string }, blob: Buffer): void => {
    const abs = wt.abs(e.path);
    const st = lstatSync(abs, { bigint: true, throwIfNoEntry: false }) ?? null;
    const link = e.mode === '120000';
    const mode = b.manifest.modes.get(e.path) ?? defaultMode(e.mode);
    const fixMode = (): void => {
      if (!link && st && (Number(st.mode) & 0o7777) !== mode) chmodSync(abs, mode);
    };
    if (link) {
      if (st?.isSymbolicLink() && readlinkSync(abs, { encoding: 'buffer' }).equals(blob)) return;
      if (st) rmSync(abs, { recursive: true, force: true });
      symlinkSync(blob, abs);
      return;
    }
    if (st?.isFile() && Number(st.size) === blob.length && readFileSync(abs).equals(blob)) return fixMode();
    let fd: number | null = null;
    if (st?.isFile() && st.nlink === 1n) {
      // Rewritten in place (never through a symlink: O_NOFOLLOW); one we may not open is replaced.
      try {
        fd = openSync(abs, fsConstants.O_WRONLY | fsConstants.O_TRUNC | fsConstants.O_NOFOLLOW);
      } catch {
        fd = null;
      }
    }
    if (fd === null) {
      if (st) rmSync(abs, { recursive: true, force: true });
      fd = openSync(abs, 'wx', mode);
    }
    try {
      for (let off = 0; off < blob.length;) off += writeSync(fd, blob, off, blob.length - off);
      fchmodSync(fd, mode);
    } finally {
      closeSync(fd);
    }
  };

  // Unchanged since it was hashed, and already what the backup has: only the mode may differ
  // (and the blob need not be read).
  const list = [...rFiles].filter(([path, e]) => {
    if (e.mode === '160000') return false;
    const now = snap.entries.get(path);
    if (!now || now.sha !== e.sha || (now.gitMode === '120000') !== (e.mode === '120000')) return true;
    const abs = wt.abs(path);
    const st = lstatSync(abs, { bigint: true, throwIfNoEntry: false });
    if (!st || stampOf(st) !== now.stamp) return true;
    const mode = b.manifest.modes.get(path) ?? defaultMode(e.mode);
    if (e.mode !== '120000' && (Number(st.mode) & 0o7777) !== mode) chmodSync(abs, mode);
    return false;
  }).map(([path, e]) => ({ path, ...e }));
  await forEachBlobChunk(g, list, b.filtered ? b.tree : null, async (items, blobs) => {
    items.forEach((e, i) => writeEntry(e, blobs[i]!));
  });
  for (const d of rEmpty.keys()) await fsp.mkdir(wt.abs(d), { recursive: true });
  crashPoint('restore:after-write');

  // What is neither saved in the backup nor ignored by its rules goes, as `git clean -d` would.
  const keepDirs = new Set<string>();
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
  for (const [d, mode] of [...rEmpty, ...b.manifest.dirModes]) {
    if (isProtected(d, prot)) continue;
    await fsp.chmod(wt.abs(d), mode).catch(() => undefined);
  }
  await installIndex(g, b);
  await setHead(g, b, branchNow);
  // Refresh stat data so the next status is fast; exit 1 just means "there are changes".
  await g.run(['update-index', '-q', '--refresh'], { okCodes: [0, 1] });
}
