// Copying a directory of untrusted state (the archive of an aborted team, the files of a
// post-mortem): regular files and directories only. Symbolic links are never followed or
// recreated, FIFOs and devices are never opened; each skipped entry is reported.
import { constants, promises as fsp } from 'node:fs';
import { join, relative } from 'node:path';
import { kindOf, O_NOFOLLOW, O_NONBLOCK, openError } from './guard.js';
import { openRegular, UnreadableFileError } from './read.js';
import { writeFileNoFollow } from './write.js';

export interface CopyResult {
  files: number;
  /** Entries not copied, relative to the source, with why. */
  skipped: Array<{ path: string; reason: string }>;
}

/**
 * Copies `from` into the directory `to`, which must not exist (its parent must). `skip(rel)`
 * leaves out entries by their path relative to `from` (lock directories, temp files).
 */
export async function copyTree(from: string, to: string, skip: (rel: string, name: string) => boolean = () => false): Promise<CopyResult> {
  const result: CopyResult = { files: 0, skipped: [] };
  const top = await fsp.lstat(from);
  if (!top.isDirectory()) throw new Error(`${from} is ${kindOf(top)}, not a directory`);
  await fsp.mkdir(to, { mode: top.mode & 0o7777 });
  const stack: Array<[string, string]> = [[from, to]];
  while (stack.length > 0) {
    const [src, dst] = stack.pop()!;
    for (const e of await fsp.readdir(src, { withFileTypes: true })) {
      const s = join(src, e.name);
      const rel = relative(from, s);
      if (skip(rel, e.name)) continue;
      const d = join(dst, e.name);
      const st = await fsp.lstat(s);
      if (st.isDirectory()) {
        await fsp.mkdir(d, { mode: st.mode & 0o7777 });
        stack.push([s, d]);
      } else if (st.isFile()) {
        await copyFile(s, d, st.mode & 0o7777);
        result.files++;
      } else {
        result.skipped.push({ path: rel, reason: `${kindOf(st)}: not copied` });
      }
    }
  }
  return result;
}

/**
 * Copies one regular file (never through a link, never a FIFO) to `dst`, replacing a regular file
 * there but never writing through a link. False when `src` is absent or not a regular file.
 */
export async function copyRegularFile(src: string, dst: string): Promise<boolean> {
  let data: Buffer;
  try {
    const { fh } = await openRegular(src);
    try {
      data = await fh.readFile();
    } finally {
      await fh.close();
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || e instanceof UnreadableFileError) return false;
    throw e;
  }
  await writeFileNoFollow(dst, data);
  return true;
}

async function copyFile(src: string, dst: string, mode: number): Promise<void> {
  let input: fsp.FileHandle;
  try {
    input = await fsp.open(src, constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (e) {
    throw openError(src, e);
  }
  try {
    const st = await input.stat();
    if (!st.isFile()) throw new Error(`${src} is ${kindOf(st)}, not a regular file`);
    const out = await fsp.open(dst, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, mode);
    try {
      const buf = Buffer.allocUnsafe(1024 * 1024);
      for (;;) {
        const { bytesRead } = await input.read(buf, 0, buf.length, null);
        if (bytesRead === 0) break;
        await out.write(buf, 0, bytesRead);
      }
      await out.chmod(mode);
    } finally {
      await out.close();
    }
  } finally {
    await input.close();
  }
}
