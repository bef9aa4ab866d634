// Copying a directory of untrusted state (the archive of an aborted team, the files of a
// post-mortem): regular files and directories only. Symbolic links are never followed or
// recreated, FIFOs and devices are never opened, files over MAX_COPY_BYTES and hard links to
// files elsewhere are left out; each skipped entry is reported. Copies are streamed (no file is
// ever held in memory whole) and land in files created for the copy (O_EXCL, O_NOFOLLOW), so a
// link planted in the destination is never written through. Names are handled as bytes: a file
// name that is not UTF-8 is copied as it is.
import { constants, promises as fsp, type Stats } from 'node:fs';
import { kindOf, O_NOFOLLOW, O_NONBLOCK, openError } from './guard.js';
import { openRegular, UnreadableFileError } from './read.js';
import { printableName } from '../safety/sanitize.js';

/** Files larger than this are not copied into archives and reports (1 GiB). */
export const MAX_COPY_BYTES = 1024 * 1024 * 1024;

export interface CopyResult {
  files: number;
  /** Entries not copied, relative to the source, with why. */
  skipped: Array<{ path: string; reason: string }>;
}

const SLASH = Buffer.from('/');

function joinBuf(dir: Buffer, name: Buffer): Buffer {
  return Buffer.concat([dir, SLASH, name]);
}

/** Why a regular file is left out of a copy, or null when it is copied. */
function reasonToSkip(st: Stats): string | null {
  if (st.size > MAX_COPY_BYTES) return `${st.size} bytes, over the ${MAX_COPY_BYTES}-byte copy limit: not copied`;
  if (st.nlink > 1) return 'a hard link shared with another file: not copied';
  return null;
}

/**
 * Copies `from` into the directory `to`, which must not exist (its parent must). `skip(rel, name)`
 * leaves out entries by their path relative to `from` (lock directories, temp files).
 */
export async function copyTree(from: string, to: string, skip: (rel: string, name: string) => boolean = () => false): Promise<CopyResult> {
  const result: CopyResult = { files: 0, skipped: [] };
  const top = await fsp.lstat(from);
  if (!top.isDirectory()) throw new Error(`${from} is ${kindOf(top)}, not a directory`);
  await fsp.mkdir(to, { mode: top.mode & 0o7777 });
  const stack: Array<[Buffer, Buffer, string]> = [[Buffer.from(from), Buffer.from(to), '']];
  while (stack.length > 0) {
    const [src, dst, relDir] = stack.pop()!;
    for (const e of await fsp.readdir(src, { withFileTypes: true, encoding: 'buffer' })) {
      const name = e.name as unknown as Buffer;
      const shown = printableName(name);
      const rel = relDir === '' ? shown : `${relDir}/${shown}`;
      if (skip(rel, shown)) continue;
      const s = joinBuf(src, name);
      const d = joinBuf(dst, name);
      const st = await fsp.lstat(s);
      if (st.isDirectory()) {
        await fsp.mkdir(d, { mode: st.mode & 0o7777 });
        stack.push([s, d, rel]);
      } else if (st.isFile()) {
        const why = reasonToSkip(st) ?? (await copyFile(s, d, st.mode & 0o777));
        if (why === null) result.files++;
        else result.skipped.push({ path: rel, reason: why });
      } else {
        result.skipped.push({ path: rel, reason: `${kindOf(st)}: not copied` });
      }
    }
  }
  return result;
}

export type CopyOutcome = { copied: true } | { copied: false; reason: string | null };

/**
 * Copies one regular file (never through a link, never a FIFO) to `dst`, which must not exist.
 * Not copied (reason null) when `src` is absent; not copied with a reason when it is not a
 * regular file, too large, or a hard link.
 */
export async function copyRegularFile(src: string, dst: string): Promise<CopyOutcome> {
  let opened: { fh: fsp.FileHandle; st: Stats };
  try {
    opened = await openRegular(src);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { copied: false, reason: null };
    if (e instanceof UnreadableFileError) return { copied: false, reason: e.reason };
    throw e;
  }
  try {
    const why = reasonToSkip(opened.st) ?? (await stream(opened.fh, src, dst, null));
    return why === null ? { copied: true } : { copied: false, reason: why };
  } finally {
    await opened.fh.close();
  }
}

/** Streams `input` into the new file `dst` (given `mode`, or 0o666 less the umask when null); a reason when the source turned out unfit. */
async function stream(input: fsp.FileHandle, src: string | Buffer, dst: string | Buffer, mode: number | null): Promise<string | null> {
  const st = await input.stat();
  if (!st.isFile()) return `${kindOf(st)}: not copied`;
  const why = reasonToSkip(st);
  if (why) return why;
  let out: fsp.FileHandle;
  try {
    out = await fsp.open(dst, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, mode ?? 0o666);
  } catch (e) {
    throw openError(typeof dst === 'string' ? dst : printableName(dst), e);
  }
  try {
    const buf = Buffer.allocUnsafe(1024 * 1024);
    let total = 0;
    for (;;) {
      const { bytesRead } = await input.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      // A file that grows while it is copied stops at the limit (the copy is a snapshot).
      if (total > MAX_COPY_BYTES) throw new Error(`${typeof src === 'string' ? src : printableName(src)} grew past ${MAX_COPY_BYTES} bytes while it was copied`);
      await out.write(buf, 0, bytesRead);
    }
    if (mode !== null) await out.chmod(mode);
  } finally {
    await out.close();
  }
  return null;
}

async function copyFile(src: Buffer, dst: Buffer, mode: number): Promise<string | null> {
  let input: fsp.FileHandle;
  try {
    input = await fsp.open(src, constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (e) {
    throw openError(printableName(src), e);
  }
  try {
    return await stream(input, src, dst, mode);
  } finally {
    await input.close();
  }
}
