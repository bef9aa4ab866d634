// The writes of keep.ts, all inside the keeper's own directory, each path checked by guardPath
// first (inside the base, no link at any component): a kept file is streamed into a temp file of
// teamtop's (created O_EXCL|O_NOFOLLOW by copyRegularFile), fsynced, then renamed over the copy;
// migrated records are published with link(2), which never replaces an existing file. These
// primitives have no home in src/files/ yet (no streamed atomic replace, no publish-if-absent):
// they could move there as they are.
import { randomBytes } from 'node:crypto';
import { constants, promises as fsp } from 'node:fs';
import { basename, join } from 'node:path';
import { guardPath, O_NOFOLLOW, UnsafePathError } from '../../../files/guard.js';
import { copyRegularFile } from '../../../files/copy.js';
import { claimTemp, releaseTemp } from '../../../files/write.js';

/** Copied; not copied with why (a link, a FIFO, too large…); or gone before it could be opened. */
export type CopyIn = { copied: true } | { copied: false; reason: string | null };

async function fsyncPath(path: string, flags: number): Promise<void> {
  const fh = await fsp.open(path, flags);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** fsync of a directory after renames in it (some file systems cannot: the renames stay atomic). */
export async function syncDir(dir: string): Promise<void> {
  await fsyncPath(dir, constants.O_RDONLY | (constants.O_DIRECTORY ?? 0)).catch(() => undefined);
}

/** A copy made beside its target, not yet in place. */
export interface Prepared { tmp: string; path: string }

/**
 * A fresh temp file in the directory of `target` (inside `base`) holding a streamed copy of the
 * live file `src` (never through a final link, never a FIFO), fsynced. Returns it, or why nothing
 * was copied (reason null: `src` is gone).
 */
export async function prepareCopy(base: string, target: string, src: string, maxBytes: number): Promise<Prepared | { reason: string | null }> {
  const path = await guardPath(base, target, { final: 'file' });
  const tmp = claimTemp(path);
  try {
    const r = await copyRegularFile(src, tmp);
    if (!r.copied) {
      await discard({ tmp, path });
      return { reason: r.reason };
    }
    // The live file may have grown between its lstat and the copy (copyRegularFile's own bound
    // is 1 GiB): the kept copy keeps the keeper's bound.
    const size = (await fsp.lstat(tmp)).size;
    if (size > maxBytes) {
      await discard({ tmp, path });
      return { reason: `${size} bytes, over the ${maxBytes}-byte limit: not kept` };
    }
    await fsyncPath(tmp, constants.O_RDONLY | O_NOFOLLOW);
    return { tmp, path };
  } catch (e) {
    await discard({ tmp, path });
    throw e;
  }
}

/** Replaces the kept file `target` (inside `base`) atomically with a copy of `src`. The caller syncs the directory. */
export async function copyInto(base: string, target: string, src: string, maxBytes: number, check?: (copy: string) => Promise<string | null>): Promise<CopyIn> {
  const t = await prepareCopy(base, target, src, maxBytes);
  if ('reason' in t) return { copied: false, reason: t.reason };
  // A copy that fails the check (a file caught half-written) never replaces the kept one.
  const problem = check ? await check(t.tmp).catch((e: Error) => e.message) : null;
  if (problem !== null) {
    await discard(t);
    return { copied: false, reason: problem };
  }
  try {
    await fsp.rename(t.tmp, t.path);
  } catch (e) {
    await discard(t);
    throw e;
  }
  releaseTemp(t.tmp);
  return { copied: true };
}

/**
 * Puts a prepared copy in place only if its name is free: link(2) fails when the name exists (a
 * writer of teamtop's records got there first), so nothing is ever replaced. False then.
 */
export async function publishNew(p: Prepared): Promise<boolean> {
  try {
    await fsp.link(p.tmp, p.path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    // The temp name goes, so the published file has one link (appendLine refuses more).
    await discard(p);
  }
}

export async function discard(p: Prepared): Promise<void> {
  await fsp.unlink(p.tmp).catch(() => undefined);
  releaseTemp(p.tmp);
}

/** Removes the kept file `target` (inside `base`; never through a link): absent is fine. */
export async function removeKeptFile(base: string, target: string): Promise<void> {
  const path = await guardPath(base, target, { final: 'file' });
  await fsp.unlink(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'ENOENT') throw e;
  });
}


const TRASH = /^\.trash-.+-[0-9a-f]{8}$/;

/**
 * Takes the directory `dir` (inside `base`, a real directory) out of its place with one rename
 * into `base` (so readers never see it half removed), then removes it. Returns the trash path.
 */
export async function moveToTrash(base: string, dir: string): Promise<string> {
  const path = await guardPath(base, dir, { final: 'dir' });
  const st = await fsp.lstat(path);
  if (!st.isDirectory()) throw new UnsafePathError(path, 'it is not a directory');
  const trash = join(base, `.trash-${basename(path)}-${randomBytes(4).toString('hex')}`);
  await fsp.rename(path, trash);
  return trash;
}

/** Removes the trash directories in `base` (fs.rm never follows a link inside them). */
export async function emptyTrash(base: string): Promise<void> {
  let names: string[];
  try {
    names = await fsp.readdir(base);
  } catch {
    return;
  }
  for (const n of names) {
    if (!TRASH.test(n)) continue;
    const p = join(base, n);
    const st = await fsp.lstat(p).catch(() => null);
    if (st?.isDirectory()) await fsp.rm(p, { recursive: true, force: true }).catch(() => undefined);
  }
}
