// File writes shared with other programs: whole-file writes are atomic (temp file, fsync,
// rename), read-modify-write happens under proper-lockfile's `<file>.lock` directory (the
// convention of Claude Code's ecosystem), and log appends are a single write of one line.
import { promises as fsp } from 'node:fs';
import lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';

const LOCK_OPTIONS = {
  realpath: false,
  stale: 10_000,
  retries: { retries: 60, factor: 1.3, minTimeout: 5, maxTimeout: 200, randomize: true },
} as const;

/** Runs `fn` holding the lock on `file` (which need not exist). */
export async function withLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const release = await lockfile.lock(file, LOCK_OPTIONS);
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}

export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n', { fsync: true });
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

/** Appends one line with a single write(2) on an O_APPEND descriptor. */
export async function appendLine(file: string, line: string): Promise<void> {
  const fh = await fsp.open(file, 'a');
  try {
    const buf = Buffer.from(line.endsWith('\n') ? line : line + '\n');
    const { bytesWritten } = await fh.write(buf, 0, buf.length);
    if (bytesWritten !== buf.length) throw new Error(`short write to ${file}`);
  } finally {
    await fh.close();
  }
}
