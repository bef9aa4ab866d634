// The write boundary. Everything teamtop writes lies inside a base directory it was given (the
// state root, the Claude Code directory, the team's repository), and no write may follow a
// symbolic link or land in anything but a regular file, at any path component between that base
// and the file: a teammate can plant `mailbox.jsonl -> ~/.bashrc` or `checkpoints -> /etc`.
// Every writer asks guardPath first (and again after taking its lock); opens add O_NOFOLLOW, so a
// link swapped in between the check and the open is refused by the kernel too.
import { constants, promises as fsp, type Stats } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';

export const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
/** Opening a FIFO would wait for a peer; with O_NONBLOCK it returns at once (and fstat tells). */
export const O_NONBLOCK = constants.O_NONBLOCK ?? 0;

/** A write that would leave the base, follow a link or hit a non-regular file. Nothing was written. */
export class UnsafePathError extends Error {
  constructor(readonly path: string, readonly reason: string) {
    super(`refusing to write ${path}: ${reason}`);
    this.name = 'UnsafePathError';
  }
}

/** "a symbolic link", "a FIFO", … for messages. */
export function kindOf(st: Stats): string {
  if (st.isFile()) return 'a regular file';
  if (st.isDirectory()) return 'a directory';
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

async function lstatOrNull(p: string): Promise<Stats | null> {
  try {
    return await fsp.lstat(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

const realBases = new Map<string, string>();

/** The base's real path (the base itself may be reached through links: the user chose it). */
async function realBase(base: string): Promise<string> {
  const hit = realBases.get(base);
  if (hit !== undefined) return hit;
  let real: string;
  try {
    real = await fsp.realpath(base);
  } catch (e) {
    throw new UnsafePathError(base, `the directory cannot be resolved (${(e as Error).message})`);
  }
  if (realBases.size > 64) realBases.clear();
  realBases.set(base, real);
  return real;
}

export interface GuardOptions {
  /** What the target must be: a regular file (or absent), or a real directory (or absent). */
  final: 'file' | 'dir';
  /** Create missing directories on the way (and the target itself when final is 'dir'). */
  create?: boolean;
  /** The target must not exist yet (a new archive directory, a new report file). */
  mustNotExist?: boolean;
}

/**
 * Checks that `target` lies inside `base`, that every component between them is a real directory
 * (never a symbolic link), and that the target is absent or of the kind `final` asks for. Missing
 * directories are created one at a time with `create`, each checked after its creation. Returns
 * the target's path under the base's real path.
 */
export async function guardPath(base: string, target: string, opts: GuardOptions): Promise<string> {
  const rel = relative(base, target);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new UnsafePathError(target, `it is not inside ${base}`);
  }
  const parts = rel.split(sep);
  let cur = await realBase(base);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part === '' || part === '.' || part === '..') throw new UnsafePathError(target, `bad path component ${JSON.stringify(part)}`);
    cur = join(cur, part);
    const last = i === parts.length - 1;
    let st = await lstatOrNull(cur);
    if (st && last && opts.mustNotExist) throw new UnsafePathError(cur, `it already exists (${kindOf(st)})`);
    if (!st && (!last || opts.final === 'dir') && opts.create) {
      try {
        await fsp.mkdir(cur);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      st = await lstatOrNull(cur);
      if (!st) throw new UnsafePathError(cur, 'the directory vanished right after it was created');
    }
    // Nothing below a missing component can be a link: the write creates what it needs (and
    // checks again then).
    if (!st) return join(cur, ...parts.slice(i + 1));
    if (st.isSymbolicLink()) throw new UnsafePathError(cur, 'it is a symbolic link');
    const want = last ? opts.final : 'dir';
    if (want === 'dir' && !st.isDirectory()) throw new UnsafePathError(cur, `it is ${kindOf(st)}, not a directory`);
    if (want === 'file' && !st.isFile()) throw new UnsafePathError(cur, `it is ${kindOf(st)}, not a regular file`);
  }
  return cur;
}

/** The lock directory proper-lockfile uses for `file` must be absent or a real directory. */
export async function guardLockDir(file: string): Promise<void> {
  const st = await lstatOrNull(`${file}.lock`);
  if (st && !st.isDirectory()) throw new UnsafePathError(`${file}.lock`, `the lock is ${kindOf(st)}, not a directory`);
}

/** Maps the errors of an open with O_NOFOLLOW to UnsafePathError; others pass through. */
export function openError(path: string, e: unknown): Error {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') return new UnsafePathError(path, 'it is a symbolic link');
  if (code === 'ENXIO' || code === 'EISDIR') return new UnsafePathError(path, 'it is not a regular file');
  return e as Error;
}
