// File writes shared with other programs: whole-file writes are atomic (temp file, fsync,
// rename), read-modify-write happens under proper-lockfile's `<file>.lock` directory (the
// convention of Claude Code's ecosystem), and log appends are a single write of one line.
import { promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';

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
 * Runs `fn` holding the lock on `file` (which need not exist). If the lock is lost while `fn`
 * runs (its directory removed or taken over as stale by another process), that is reported as
 * this call's error instead of proper-lockfile's default, which throws from a timer and would
 * crash the process.
 */
export async function withLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
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

/**
 * write-file-atomic's temp file for `<name>` is `<name>.<uint32 in decimal>` in the same
 * directory. It is removed when the write fails, but not when the process is killed.
 */
export function isTempOf(name: string, tempName: string): boolean {
  return tempName.length > name.length + 1 && tempName.startsWith(name + '.') && /^\d{1,10}$/.test(tempName.slice(name.length + 1));
}

/** True for a name that looks like a write-file-atomic leftover of a JSON state file. */
export function isAtomicTempName(name: string): boolean {
  const m = /^(.+)\.\d{1,10}$/.exec(name);
  return m !== null && (m[1]!.endsWith('.json') || m[1]! === '.mailbox.seq');
}

/**
 * Replaces `file` atomically. The caller must hold the lock that every whole-file writer of
 * `file` takes (its own `<file>.lock`; for .mailbox.seq, the mailbox's): then no other write of
 * this file can be in flight, so any `<file>.<digits>` beside it is a temp file left by a writer
 * that was killed mid-write, and it is removed first. Leftovers of other JSON files in the same
 * directory are removed too when their own lock is free at that moment (files written once,
 * like a reassignment brief, are never rewritten to clean up after themselves).
 */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await removeTempLeftovers(file);
  await writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n', { fsync: true });
}

async function removeTempLeftovers(file: string): Promise<void> {
  // write-file-atomic puts the temp file beside the real path (symlinks resolved).
  const real = await fsp.realpath(file).catch(() => file);
  const dir = dirname(real);
  const name = basename(real);
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return;
  }
  const remove = (target: string): Promise<unknown> =>
    Promise.all(names.filter((n) => isTempOf(target, n)).map((n) => fsp.rm(join(dir, n), { force: true }).catch(() => undefined)));
  await remove(name);
  // Other `<x>.json.<digits>`: only x's lock holder may touch them. Try it once, without waiting
  // (no deadlock with the lock held by our caller; a busy lock means a live writer: skip).
  const others = new Set<string>();
  for (const n of names) {
    const m = /^(.+\.json)\.\d{1,10}$/.exec(n);
    if (m && m[1] !== name) others.add(m[1]!);
  }
  for (const target of others) {
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(join(dir, target), { ...LOCK_OPTIONS, retries: 0, onCompromised: () => undefined });
    } catch {
      continue;
    }
    try {
      await remove(target);
    } finally {
      await release().catch(() => undefined);
    }
  }
}

/** Reads a JSON file, or `fallback` when it does not exist. */
export async function readJsonOr<T>(file: string, fallback: T): Promise<T> {
  try {
    return JSON.parse(await fsp.readFile(file, 'utf8')) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw new Error(`${file}: ${(e as Error).message}`);
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

/** Appends one line with a single write(2) on an O_APPEND descriptor. */
export async function appendLine(file: string, line: string, torn?: TornTail): Promise<void> {
  const fh = await fsp.open(file, 'a+');
  try {
    let prefix = '';
    if (torn) {
      const { size } = await fh.stat();
      if (size > 0) {
        const last = Buffer.alloc(1);
        await fh.read(last, 0, 1, size - 1);
        if (last[0] !== 0x0a) {
          if (torn === 'close') prefix = '\n';
          else await fh.truncate(await afterLastNewline(fh, size));
        }
      }
    }
    const buf = Buffer.from(prefix + (line.endsWith('\n') ? line : line + '\n'));
    const { bytesWritten } = await fh.write(buf, 0, buf.length);
    if (bytesWritten !== buf.length) throw new Error(`short write to ${file}`);
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
