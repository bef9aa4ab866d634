// Writing, removing and chmod'ing inside a directory (the work tree, a scratch folder) without ever
// following a symbolic link, also when a teammate swaps a directory for a link while it runs.
// Where /proc/self/fd exists (Linux), each directory is opened component by component with
// O_DIRECTORY|O_NOFOLLOW and every call goes through its descriptor (/proc/self/fd/N/name, as
// openat would): a link swapped in later is never followed, a directory removed meanwhile takes
// no new entries. Elsewhere each component is checked with lstat. Either way the immediate parent
// is checked right before each write (the path must still lead to the directory held) and after
// each creation, files are opened with O_NOFOLLOW, and any change stops the operation with an
// error before anything is written through a link.
import {
  chmodSync, closeSync, constants as C, fchmodSync, fstatSync, ftruncateSync, lstatSync, mkdirSync, openSync, readdirSync,
  readlinkSync, rmdirSync, statSync, symlinkSync, unlinkSync, type BigIntStats,
} from 'node:fs';
import { ancestors, isMissing } from './paths.js';
import { hookPoint, testHooks } from './run.js';
import { pathProblem, show } from './safe-path.js';

const O_NOFOLLOW = C.O_NOFOLLOW ?? 0;
const O_DIRECTORY = C.O_DIRECTORY ?? 0;
const O_NONBLOCK = C.O_NONBLOCK ?? 0;
/** O_PATH (Linux, the architectures where it has the generic value): a handle on an inode that
 *  needs no permission on it, to chmod exactly that inode through /proc/self/fd. */
const O_PATH = process.platform === 'linux' && ['x64', 'arm64', 'arm', 'ia32', 'riscv64'].includes(process.arch) ? 0o10000000 : 0;

let procFd: boolean | undefined;
function procFdWorks(): boolean {
  if (procFd === undefined) {
    try {
      procFd = process.platform === 'linux' && readdirSync('/proc/self/fd').length > 0;
    } catch {
      procFd = false;
    }
  }
  return procFd;
}

/** A write that would have gone through a symbolic link or a changed directory. Nothing was written there. */
export class UnsafeWriteError extends Error {
  constructor(readonly path: string, reason: string, note: string) {
    super(`stopped before writing ${show(path)}: ${reason}${note}`);
    this.name = 'UnsafeWriteError';
  }
}

interface DirHandle {
  /** Prefix of its entries' paths: /proc/self/fd/N/ or the directory's path and a slash. */
  prefix: Buffer;
  fd: number | null;
  dev: bigint;
  ino: bigint;
}

type Lookup = DirHandle | { why: string };

const isHandle = (h: Lookup): h is DirHandle => 'prefix' in h;
const parentOf = (p: string): string => p.slice(0, Math.max(0, p.lastIndexOf('/')));
const nameOf = (p: string): Buffer => Buffer.from(p.slice(p.lastIndexOf('/') + 1), 'latin1');
const MAX_OPEN = 64;

/** One operation's writer under `top` (trusted as given: the user chose it); paths are latin1, '/'-separated. */
export class SafeTree {
  private readonly dirs = new Map<string, DirHandle>();
  private readonly topBuf: Buffer;
  private readonly pinned: boolean;

  /** `note` ends every refusal's message (what to do about it). */
  constructor(readonly top: string, private readonly note = '') {
    this.topBuf = Buffer.from(top, 'utf8');
    this.pinned = procFdWorks() && !testHooks.noPinning;
  }

  private abs(p: string): Buffer {
    return p === '' ? this.topBuf : Buffer.concat([this.topBuf, Buffer.from('/'), Buffer.from(p, 'latin1')]);
  }

  private fail(p: string, why: string): UnsafeWriteError {
    return new UnsafeWriteError(p, why, this.note);
  }

  /** Directory `d`, every component a real directory (opened or checked without following links). */
  private dir(d: string): Lookup {
    const hit = this.dirs.get(d);
    if (hit) {
      this.dirs.delete(d);
      this.dirs.set(d, hit); // most recently used last
      return hit;
    }
    let h: DirHandle;
    if (d === '') {
      const fd = this.pinned ? openSync(this.topBuf, C.O_RDONLY | O_DIRECTORY) : null;
      const st = fd !== null ? fstatSync(fd, { bigint: true }) : statSync(this.topBuf, { bigint: true });
      h = { prefix: fd !== null ? Buffer.from(`/proc/self/fd/${fd}/`) : Buffer.concat([this.topBuf, Buffer.from('/')]), fd, dev: st.dev, ino: st.ino };
    } else {
      const parent = this.dir(parentOf(d));
      if (!isHandle(parent)) return parent;
      const at = Buffer.concat([parent.prefix, nameOf(d)]);
      const st = lstatSync(at, { bigint: true, throwIfNoEntry: false });
      if (!st) return { why: `${show(d)} is missing` };
      if (!st.isDirectory()) return { why: `${show(d)} is ${st.isSymbolicLink() ? 'a symbolic link' : 'not a directory'}` };
      if (this.pinned) {
        let fd: number;
        try {
          fd = openSync(at, C.O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
        } catch (e) {
          if (isMissing(e) || (e as NodeJS.ErrnoException).code === 'ELOOP') return { why: `${show(d)} changed while it was being opened` };
          throw e;
        }
        const fst = fstatSync(fd, { bigint: true });
        h = { prefix: Buffer.from(`/proc/self/fd/${fd}/`), fd, dev: fst.dev, ino: fst.ino };
      } else {
        h = { prefix: Buffer.concat([this.abs(d), Buffer.from('/')]), fd: null, dev: st.dev, ino: st.ino };
      }
    }
    this.dirs.set(d, h);
    // Only the least recently used handles are closed: never the one just used to open this one.
    while (this.dirs.size > MAX_OPEN) {
      const [k, old] = this.dirs.entries().next().value!;
      this.dirs.delete(k);
      if (old.fd !== null) closeSync(old.fd);
    }
    return h;
  }

  /** Forgets (closes) the handles of `d` and everything below it. */
  private drop(d: string): void {
    for (const [k, h] of [...this.dirs]) {
      if (k === d || (d === '' ? true : k.startsWith(`${d}/`))) {
        this.dirs.delete(k);
        if (h.fd !== null) closeSync(h.fd);
      }
    }
  }

  /** The path still leads to the directory held (checked right before and after each write). */
  private verify(d: string, h: DirHandle, p: string): void {
    const st = d === '' ? statSync(this.topBuf, { bigint: true, throwIfNoEntry: false }) : lstatSync(this.abs(d), { bigint: true, throwIfNoEntry: false });
    if (!st || !st.isDirectory() || st.dev !== h.dev || st.ino !== h.ino) {
      this.drop(d);
      throw this.fail(p, `${d === '' ? 'the top directory' : show(d)} changed while it was written (a symbolic link or another directory took its place)`);
    }
  }

  /** Where `p` is, through its verified parent (checked right before the call that writes). */
  private entry(p: string): { at: Buffer; d: string; h: DirHandle } {
    this.assertInside(p);
    const d = parentOf(p);
    const h = this.dir(d);
    if (!isHandle(h)) throw this.fail(p, h.why);
    hookPoint('safe-fs:before-check', p);
    this.verify(d, h, p);
    hookPoint('safe-fs:before-write', p);
    return { at: Buffer.concat([h.prefix, nameOf(p)]), d, h };
  }

  /** Every path is below the top: no empty, `.` or `..` component, nothing in `.git` (safe-path.ts). */
  private assertInside(p: string): void {
    const why = pathProblem(p);
    if (why) throw this.fail(p, `${why}: it is not a path inside the work tree that may be written`);
  }

  /** lstat of `p` (bigint, never following a link), or null when it is missing or a leading component is not a real directory. */
  lstat(p: string): BigIntStats | null {
    this.assertInside(p);
    const h = this.dir(parentOf(p));
    if (!isHandle(h)) return null;
    try {
      return lstatSync(Buffer.concat([h.prefix, nameOf(p)]), { bigint: true, throwIfNoEntry: false }) ?? null;
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
  }

  /** The target of the symbolic link `p`, or null when it is not one. */
  readlink(p: string): Buffer | null {
    this.assertInside(p);
    const h = this.dir(parentOf(p));
    if (!isHandle(h)) return null;
    try {
      return readlinkSync(Buffer.concat([h.prefix, nameOf(p)]), { encoding: 'buffer' });
    } catch {
      return null;
    }
  }

  /**
   * Runs `fn` on where `p` is (through its verified parent). When it fails, or (`created`) after
   * it created something, the parent is checked again: a directory that changed meanwhile is
   * reported as such (what was created went into the directory held, never through a link).
   */
  private act<T>(p: string, fn: (at: Buffer) => T, created: boolean, undo?: (v: T) => void): T {
    const { at, d, h } = this.entry(p);
    let v: T;
    try {
      v = fn(at);
    } catch (e) {
      this.verify(d, h, p);
      throw e;
    }
    if (created) {
      try {
        this.verify(d, h, p);
      } catch (e) {
        undo?.(v);
        throw e;
      }
    }
    return v;
  }

  /** Removes the file or symbolic link `p`; false when it was already gone. */
  unlink(p: string): boolean {
    try {
      return this.act(p, (at) => unlinkSync(at) ?? true, false);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false; // (its directory did not change)
      throw e;
    }
  }

  /** Removes the empty directory `p` (throws ENOTEMPTY and the like as they come). */
  rmdir(p: string): void {
    this.drop(p);
    this.act(p, (at) => rmdirSync(at), false);
  }

  mkdir(p: string): void {
    this.act(p, (at) => mkdirSync(at), true);
  }

  /** `d` and every missing directory above it; anything else in the way is an error. */
  mkdirs(d: string): void {
    for (const a of [...ancestors(d), d]) {
      const st = this.lstat(a);
      if (st?.isDirectory()) continue;
      if (st) throw this.fail(a, 'it is in the way of a directory');
      this.mkdir(a);
    }
  }

  symlink(target: Buffer, p: string): void {
    this.act(p, (at) => symlinkSync(target, at), true);
  }

  /** A new file (O_EXCL|O_NOFOLLOW), open for writing. */
  openNew(p: string, mode: number): number {
    return this.act(p, (at) => openSync(at, C.O_WRONLY | C.O_CREAT | C.O_EXCL | O_NOFOLLOW, mode), true, (fd) => closeSync(fd));
  }

  /** `at` opened with `flags` (never following a link) when what it opens passes `ok`, else null. */
  private static openIf(at: Buffer, flags: number, ok: (st: BigIntStats) => boolean): { fd: number; st: BigIntStats } | null {
    let fd: number;
    try {
      fd = openSync(at, flags | O_NOFOLLOW);
    } catch {
      return null;
    }
    const st = fstatSync(fd, { bigint: true });
    if (ok(st)) return { fd, st };
    closeSync(fd);
    return null;
  }

  /**
   * The existing regular file `p`, emptied and open for writing, when it is still the file
   * `ino` and has no other link (else null: the caller replaces it). Truncated only after that.
   */
  openRewrite(p: string, ino: bigint): number | null {
    const o = SafeTree.openIf(this.entry(p).at, C.O_WRONLY | O_NONBLOCK, (st) => st.isFile() && st.nlink === 1n && st.ino === ino);
    if (o) ftruncateSync(o.fd, 0);
    return o?.fd ?? null;
  }

  /** The regular file `p` open for reading (never a link, never blocking), or null. */
  openRead(p: string): number | null {
    this.assertInside(p);
    const h = this.dir(parentOf(p));
    if (!isHandle(h)) return null;
    return SafeTree.openIf(Buffer.concat([h.prefix, nameOf(p)]), C.O_RDONLY | O_NONBLOCK, (st) => st.isFile())?.fd ?? null;
  }

  /**
   * Sets the permission bits of the file or directory `p` (never through a link, never of a file
   * with other hard links). False when that cannot be done safely: the caller rewrites the file.
   */
  chmod(p: string, mode: number): boolean {
    const pathFd = this.pinned && O_PATH !== 0;
    const o = SafeTree.openIf(this.entry(p).at, pathFd ? O_PATH : C.O_RDONLY | O_NONBLOCK, (st) => st.isDirectory() || (st.isFile() && st.nlink === 1n));
    if (!o) return false;
    try {
      if ((Number(o.st.mode) & 0o7777) === mode) return true;
      if (pathFd) chmodSync(`/proc/self/fd/${o.fd}`, mode);
      else fchmodSync(o.fd, mode);
      return true;
    } finally {
      closeSync(o.fd);
    }
  }

  /** Removes `p` whatever it is, a directory with everything in it (never one holding a
   *  repository), never following a link. */
  removeTree(p: string): void {
    this.assertInside(p);
    const st = this.lstat(p);
    if (!st) return;
    if (!st.isDirectory()) {
      this.unlink(p);
      return;
    }
    const h = this.dir(p);
    if (!isHandle(h)) throw this.fail(p, h.why);
    this.verify(p, h, p);
    const names = readdirSync(h.prefix, { encoding: 'buffer' }).map((n) => n.toString('latin1'));
    // A repository inside is never removed with it (its history would be lost).
    if (names.includes('.git')) throw this.fail(p, 'it holds a git repository');
    for (const n of names) this.removeTree(`${p}/${n}`);
    this.rmdir(p);
  }

  /** Closes every directory held. */
  close(): void {
    this.drop('');
  }
}
