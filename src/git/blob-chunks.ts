// Reading many blobs without holding them all: in chunks of bounded size, raw (no filters), or
// through git's filters for format-1 backups that were saved through them.
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { readBlobs, withTempDir } from './objects.js';
import { WorkTree } from './paths.js';
import type { GitContext } from './run.js';

/**
 * Reads the blobs of `entries` in chunks of at most `limit` bytes; calls `fn` per chunk. With
 * `filteredTree` (a backup saved through git's filters, format 1), regular files come back as
 * `git checkout` would write them from that tree: checked out into a scratch directory.
 */
export async function forEachBlobChunk<T extends { sha: string; size: number; path: string; mode: string }>(
  g: GitContext, entries: readonly T[], filteredTree: string | null, fn: (items: T[], blobs: Buffer[]) => Promise<void>, limit = 64 * 1024 * 1024,
): Promise<void> {
  let chunk: T[] = [];
  let bytes = 0;
  const flush = async (): Promise<void> => {
    if (chunk.length === 0) return;
    const c = chunk;
    chunk = [];
    bytes = 0;
    const viaFilters = (e: T): boolean => filteredTree !== null && e.mode !== '120000';
    const a = c.filter(viaFilters);
    const b = c.filter((e) => !viaFilters(e));
    const ba = a.length === 0 ? [] : await withTempDir(async (dir) => {
      const env = { GIT_INDEX_FILE: join(dir, 'index') };
      await g.run(['read-tree', '--end-of-options', filteredTree!], { env });
      const prefix = join(dir, 'out') + '/';
      await g.run(['checkout-index', `--prefix=${prefix}`, '-f', '-z', '--stdin'], { env, input: Buffer.from(a.map((e) => e.path + '\0').join(''), 'latin1') });
      const wt = new WorkTree(join(dir, 'out'));
      return Promise.all(a.map((e) => fsp.readFile(wt.abs(e.path))));
    });
    const bb = await readBlobs(g, b.map((e) => ({ sha: e.sha })));
    await fn([...a, ...b], [...ba, ...bb]);
  };
  for (const e of entries) {
    if (chunk.length > 0 && bytes + e.size > limit) await flush();
    chunk.push(e);
    bytes += e.size;
  }
  await flush();
}
