// Reading many blobs without holding them all: small ones in chunks of bounded size, raw (no
// filters), or through git's filters for format-1 backups that were saved through them. A blob
// of more than a small part of the output cap is never held at all: it is streamed into the file
// it is written to (`git cat-file blob` with its output going straight to that file), so files of
// any size are restored.
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { catBlobTo, readBlobs, withTempDir } from './objects.js';
import { outputLimit, type GitContext } from './run.js';

/** A blob's bytes, or a way to copy them into an open file (at its current position). */
export type BlobData = { bytes: Buffer } | { copyTo: (fd: number) => Promise<void> };

/** Writes a blob's data into the open file `fd` (at its current position). */
export async function writeData(fd: number, data: BlobData): Promise<void> {
  if ('bytes' in data) {
    for (let off = 0; off < data.bytes.length;) off += writeSync(fd, data.bytes, off, data.bytes.length - off);
  } else await data.copyTo(fd);
}

/** Per-entry overhead of `cat-file --batch` output (the header line), counted against a chunk. */
const HEADER = 100;

/** Copies the file at `path` (in a scratch directory of ours) into `fd`. */
function copyFileTo(path: Buffer, fd: number): void {
  const src = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(1024 * 1024);
    for (;;) {
      const n = readSync(src, buf, 0, buf.length, null);
      if (n === 0) break;
      for (let off = 0; off < n;) off += writeSync(fd, buf, off, n - off);
    }
  } finally {
    closeSync(src);
  }
}

/**
 * Calls `fn` with the blobs of `entries`, chunk by chunk: small blobs read in one process per
 * chunk (at most a quarter of the output cap, and 64 MiB), larger ones one by one as streams.
 * With `filteredTree` (a backup saved through git's filters, format 1), regular files come back
 * as `git checkout` would write them from that tree: checked out into a scratch directory.
 */
export async function forEachBlobChunk<T extends { sha: string; size: number; path: string; mode: string }>(
  g: GitContext, entries: readonly T[], filteredTree: string | null, fn: (items: T[], data: BlobData[]) => Promise<void>,
): Promise<void> {
  const limit = Math.max(1, Math.min(64 * 1024 * 1024, Math.floor(outputLimit() / 4)));
  const streamMin = Math.max(1, Math.min(16 * 1024 * 1024, Math.floor(limit / 4)));
  let chunk: T[] = [];
  let bytes = 0;
  const viaFilters = (e: T): boolean => filteredTree !== null && e.mode !== '120000';
  const flush = async (): Promise<void> => {
    if (chunk.length === 0) return;
    const c = chunk;
    chunk = [];
    bytes = 0;
    const a = c.filter(viaFilters);
    const b = c.filter((e) => !viaFilters(e));
    if (a.length > 0) {
      await withTempDir(async (dir) => {
        const env = { GIT_INDEX_FILE: join(dir, 'index') };
        await g.run(['read-tree', '--end-of-options', filteredTree!], { env });
        const out = join(dir, 'out');
        await g.run(['checkout-index', `--prefix=${out}/`, '-f', '-z', '--stdin'], { env, input: Buffer.from(a.map((e) => e.path + '\0').join(''), 'latin1') });
        // (paths were checked when the tree was listed; checkout-index checks them too)
        const outBuf = Buffer.from(`${out}/`, 'utf8');
        await fn(a, a.map((e) => ({ copyTo: async (fd: number) => copyFileTo(Buffer.concat([outBuf, Buffer.from(e.path, 'latin1')]), fd) })));
      });
    }
    if (b.length > 0) {
      const blobs = await readBlobs(g, b.map((e) => ({ sha: e.sha })));
      await fn(b, blobs.map((bytes) => ({ bytes })));
    }
  };
  for (const e of entries) {
    if (e.mode !== '120000' && !viaFilters(e) && e.size > streamMin) {
      await fn([e], [{ copyTo: (fd) => catBlobTo(g, e.sha, fd) }]);
      continue;
    }
    if (chunk.length > 0 && bytes + e.size + HEADER > limit) await flush();
    chunk.push(e);
    bytes += e.size + HEADER;
  }
  await flush();
}
