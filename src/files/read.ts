// Reading state files that other programs (and possibly hostile teammates) control. A FIFO or a
// device named like a state file must never be opened in a way that blocks, and a symbolic link
// in the last component is not followed: such a file is reported as unreadable state, never read.
import { constants, promises as fsp, type Stats } from 'node:fs';
import { kindOf, O_NOFOLLOW, O_NONBLOCK } from './guard.js';

/** The file exists but cannot be read as state (a link, a FIFO, a device, too large…). */
export class UnreadableFileError extends Error {
  constructor(readonly path: string, readonly reason: string) {
    super(reason);
    this.name = 'UnreadableFileError';
  }
}

/** The largest whole JSON file teamtop reads (a state file this size is a mistake or an attack). */
export const MAX_JSON_FILE_BYTES = 64 * 1024 * 1024;

/**
 * Opens a regular file for reading without following a final symbolic link and without blocking
 * on a FIFO. Rejects with ENOENT (as fs does) when absent, with UnreadableFileError when it is
 * not a regular file.
 */
export async function openRegular(path: string): Promise<{ fh: fsp.FileHandle; st: Stats }> {
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(path, constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new UnreadableFileError(path, 'is a symbolic link: not read');
    if (code === 'ENXIO') throw new UnreadableFileError(path, 'is not a regular file: not read');
    if (code === 'ENOTDIR') throw new UnreadableFileError(path, 'cannot be reached: a component of its path is not a directory: not read');
    throw e;
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new UnreadableFileError(path, `is ${kindOf(st)}, not a regular file: not read`);
    return { fh, st };
  } catch (e) {
    await fh.close().catch(() => undefined);
    throw e;
  }
}

const BOM = 0xfeff;

/** Text without a leading UTF-8 byte order mark (editors on some systems write one). */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === BOM ? text.slice(1) : text;
}

/** A whole regular file as UTF-8 text (BOM removed), refusing links, FIFOs and oversized files. */
export async function readRegularText(path: string, maxBytes = MAX_JSON_FILE_BYTES): Promise<{ text: string; st: Stats }> {
  const { fh, st } = await openRegular(path);
  try {
    if (st.size > maxBytes) throw new UnreadableFileError(path, `is ${st.size} bytes, over the ${maxBytes}-byte limit: not read`);
    const buf = await fh.readFile();
    if (buf.length > maxBytes) throw new UnreadableFileError(path, `is over the ${maxBytes}-byte limit: not read`);
    return { text: stripBom(buf.toString('utf8')), st };
  } finally {
    await fh.close();
  }
}

/** Like readRegularText, but null when the file does not exist. */
export async function readRegularTextOrNull(path: string, maxBytes = MAX_JSON_FILE_BYTES): Promise<{ text: string; st: Stats } | null> {
  try {
    return await readRegularText(path, maxBytes);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}
