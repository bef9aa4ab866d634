// Writing files shared with other programs. Whole-file writes are atomic (a temp file of
// teamtop's own, fsync, rename, fsync of the directory); read-modify-write happens under
// proper-lockfile's `<file>.lock` directory (the convention of Claude Code's ecosystem); log
// appends are a single write(2) of one line. Every write goes through guardPath first (inside the
// base, no symbolic link at any component, a regular file at the end) and opens with O_NOFOLLOW.
//
// write-file-atomic is not used: it resolves the target's real path (so a symlinked state file is
// written through to wherever it points) and names its temp files `<file>.<number>`, which cannot
// be told apart from people's own backups (`team.json.1`) when cleaning up after a killed writer.
import { randomBytes } from 'node:crypto';
import { constants, promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import lockfile from 'proper-lockfile';
import { guardLockDir, guardPath, kindOf, O_NOFOLLOW, O_NONBLOCK, openError, UnsafePathError } from './guard.js';
import { readRegularTextOrNull } from './read.js';

const STALE_MS = 10_000;
const LOCK_OPTIONS = {
  realpath: false,
  // A lock whose holder died (SIGKILL, power loss) is taken over once its mtime is this old; a
  // live holder refreshes it every stale/2.
  stale: STALE_MS,
  // The waits add up to about 13 s (5 ms growing by 1.3 to 200 ms, randomized): longer than
  // `stale`, so a writer that finds a lock left by a killed process waits it out instead of
  // giving up just before the lock could be taken over.
  retries: { retries: 75, factor: 1.3, minTimeout: 5, maxTimeout: 200, randomize: true },
} as const;

/**
 * Runs `fn` holding the lock on `file` (inside `base`; it need not exist). The lock is the
 * directory `<file>.lock`, so the file's path is guarded first and the lock must be absent or a
 * real directory. If the lock is lost while `fn` runs (its directory removed
 * or taken over as stale by another process), that is reported as this call's error instead of
 * proper-lockfile's default, which throws from a timer and would crash the process.
 */
export async function withLock<T>(base: string, file: string, fn: () => Promise<T>): Promise<T> {
  await guardPath(base, file, { final: 'file' });
  await guardLockDir(file);
  let compromised: Error | null = null;
  const release = await lockfile.lock(file, {
    ...LOCK_OPTIONS,
    onCompromised: (err: Error) => { compromised = err; },
  });
  try {
    const result = await fn();
    if (compromised) throw new Error(`lost the lock on ${file} while writing: ${(compromised as Error).message}`);
    return result;
  } finally {
    await release().catch(() => undefined);
  }
}

const TEMP = /^\.(.+)\.teamtop-(\d+)-[0-9a-f]{8}\.tmp$/;

/**
 * This process's temp files that are still being written or waiting to be put in place. A temp of
 * this process is dead (left by a failed step) only when it is not here: two writes in one process
 * need not share a lock (home.json is written by whichever keeper first finds it missing), so the
 * pid alone cannot say whether a temp of ours is in use.
 */
const inUse = new Set<string>(); // by name: pid and random hex make it unique, whatever path led to it

/**
 * A fresh temp path beside `path` (`.<name>.teamtop-<pid>-<8 hex>.tmp`), marked in use until
 * releaseTemp: removeDeadTemps leaves it alone meanwhile.
 */
export function claimTemp(path: string): string {
  const name = `.${basename(path)}.teamtop-${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  inUse.add(name);
  return join(dirname(path), name);
}

/** The temp was renamed into place or removed: no longer in use. */
export function releaseTemp(tmp: string): void {
  inUse.delete(basename(tmp));
}

/** Whether `candidate` is any teamtop temp file (never read as state, never archived). */
export function isTeamtopTemp(candidate: string): boolean {
  return TEMP.test(candidate);
}

function inUseBy(pid: number, name: string): boolean {
  if (pid === process.pid) return inUse.has(name);
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes teamtop's own temp files in `dir` left by writers that were killed mid-write: only names
 * of teamtop's exact temp shape, and only when the process that made them is gone, or is this one
 * and no longer uses them (so none can still be in use, whichever file it was for).
 */
export async function removeDeadTemps(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return;
  }
  for (const n of names) {
    const m = TEMP.exec(n);
    if (!m || inUseBy(Number(m[2]), n)) continue;
    await fsp.unlink(join(dir, n)).catch(() => undefined);
  }
}

/**
 * Replaces `target` (inside `base`) atomically with `data`. The file keeps its mode. Callers that
 * read-modify-write hold the file's lock; the guard runs here, after that lock was taken.
 */
export async function writeFileAtomic(base: string, target: string, data: string | Buffer): Promise<void> {
  const path = await guardPath(base, target, { final: 'file' });
  await removeDeadTemps(dirname(path));
  let mode: number | null = null;
  try {
    const st = await fsp.lstat(path);
    if (st.isFile()) mode = st.mode & 0o7777;
  } catch {
    // a new file: the umask decides
  }
  const tmp = claimTemp(path);
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, mode ?? 0o666);
  } catch (e) {
    releaseTemp(tmp);
    throw openError(tmp, e);
  }
  try {
    try {
      await fh.writeFile(data);
      if (mode !== null) await fh.chmod(mode);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fsp.rename(tmp, path);
  } catch (e) {
    await fsp.unlink(tmp).catch(() => undefined);
    throw e;
  } finally {
    releaseTemp(tmp);
  }
  await syncDir(dirname(path));
}

export function writeJsonAtomic(base: string, target: string, value: unknown): Promise<void> {
  return writeFileAtomic(base, target, JSON.stringify(value, null, 2) + '\n');
}

async function syncDir(dir: string): Promise<void> {
  try {
    const fh = await fsp.open(dir, constants.O_RDONLY | (constants.O_DIRECTORY ?? 0));
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // some file systems cannot fsync a directory; the rename is still atomic
  }
}

/** Creates `dir` (inside `base`) and any missing parents, each a real directory. */
export async function mkdirGuarded(base: string, dir: string): Promise<string> {
  return guardPath(base, dir, { final: 'dir', create: true });
}

/** Reads a JSON file (a regular file, not through a link), or `fallback` when it does not exist. */
export async function readJsonOr<T>(file: string, fallback: T): Promise<T> {
  const r = await readRegularTextOrNull(file).catch((e: Error) => { throw new Error(`${file}: ${e.message}`); });
  if (r === null) return fallback;
  try {
    return JSON.parse(r.text) as T;
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * What to do, before appending, with an unterminated last line — the remains of a writer that
 * died in the middle of its write. Only meaningful while holding the file's lock (then no write
 * of a live writer can be in progress):
 * - 'cut': truncate the file after its last newline (for files only teamtop writes and no one
 *   tails, e.g. actions.jsonl: the torn record disappears);
 * - 'close': end it with a newline first, so the new line stays intact and the fragment is one
 *   malformed line (for files others follow incrementally, e.g. mailbox.jsonl: nothing a reader
 *   has already consumed is taken away).
 */
export type TornTail = 'cut' | 'close';

/**
 * Appends one line to `target` (inside `base`) with a single write(2) on an O_APPEND descriptor.
 * Refuses a file with more than one hard link: appending would change the other names too.
 */
export async function appendLine(base: string, target: string, line: string, torn?: TornTail): Promise<void> {
  const path = await guardPath(base, target, { final: 'file' });
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(path, constants.O_RDWR | constants.O_APPEND | constants.O_CREAT | O_NOFOLLOW | O_NONBLOCK, 0o666);
  } catch (e) {
    throw openError(path, e);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new UnsafePathError(path, `it is ${kindOf(st)}, not a regular file`);
    if (st.nlink > 1) throw new UnsafePathError(path, `it has ${st.nlink} hard links: appending would change the other names too`);
    let prefix = '';
    if (torn && st.size > 0) {
      const last = Buffer.alloc(1);
      await fh.read(last, 0, 1, st.size - 1);
      if (last[0] !== 0x0a) {
        if (torn === 'close') prefix = '\n';
        else await fh.truncate(await afterLastNewline(fh, st.size));
      }
    }
    const buf = Buffer.from(prefix + (line.endsWith('\n') ? line : line + '\n'));
    const { bytesWritten } = await fh.write(buf, 0, buf.length);
    if (bytesWritten !== buf.length) throw new Error(`short write to ${path}`);
  } finally {
    await fh.close();
  }
}

/** The offset just after the last newline before `size` (0 when there is none). */
async function afterLastNewline(fh: fsp.FileHandle, size: number): Promise<number> {
  const buf = Buffer.alloc(64 * 1024);
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - buf.length);
    const { bytesRead } = await fh.read(buf, 0, end - start, start);
    const nl = buf.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (nl !== -1) return start + nl + 1;
    end = start;
  }
  return 0;
}

/**
 * Writes `data` to the new file `path` (for report files in a directory teamtop just created):
 * never through a symbolic link, never over anything that already exists.
 */
export async function writeNewFile(path: string, data: string | Buffer): Promise<void> {
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, 0o666);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new UnsafePathError(path, 'it already exists');
    throw openError(path, e);
  }
  try {
    await fh.writeFile(data);
  } finally {
    await fh.close();
  }
}
