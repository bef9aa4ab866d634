// A backup is as untrusted as any ref a teammate can move: before a restore writes anything (and
// in the preflight, which writes nothing), every path it could write is checked — the saved work
// tree, the displaced content, the saved index (its tree and its raw file), the manifest — and the
// manifest must fit the tree (no directory recorded where the tree has a file).
import { closeSync, openSync, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { backupFiles, type Backup } from './backup.js';
import { indexRecords } from './index-file.js';
import { catBlobTo, listTree, readBlobs, withTempDir, type TreeEntry } from './objects.js';
import { ancestors, nulList } from './paths.js';
import type { GitContext } from './run.js';
import { assertSafePath, UnsafeTreePathError } from './safe-path.js';

const indexPath = (p: string): string => p.replace(/\/$/, ''); // sparse directory entries end with '/'

/** Checks every path of backup `b` that a restore could write; returns its saved work tree. */
export async function checkBackupContents(g: GitContext, b: Backup): Promise<Map<string, TreeEntry>> {
  const files = await backupFiles(g, b);
  if (b.displaced) await listTree(g, b.displaced, `the displaced content of ${b.ref}`);
  await listTree(g, b.indexTree, `the index saved in ${b.ref}`);
  const manifest = `the manifest of ${b.ref}`;
  for (const [kind, m] of [['an empty directory', b.manifest.emptyDirs], ['a directory mode', b.manifest.dirModes]] as const) {
    for (const d of m.keys()) {
      if (files.has(d) || ancestors(d).some((a) => files.has(a))) throw new UnsafeTreePathError(manifest, d, `${kind} recorded where the backup has a file`);
    }
  }
  if (b.indexBlob) {
    // Read without git (nothing written); the restore asks git as well (savedIndex).
    const [raw] = await readBlobs(g, [{ sha: b.indexBlob }]);
    for (const r of indexRecords(raw!, b.sha.length / 2) ?? []) assertSafePath(`the index saved in ${b.ref}`, indexPath(r.path), r.mode);
  }
  return files;
}

/**
 * The raw index file saved in `b` when git can read it (every path it lists checked), else null
 * (the restore then reads the saved index tree, checked by checkBackupContents).
 */
export async function savedIndex(g: GitContext, b: Backup): Promise<Buffer | null> {
  if (!b.indexBlob) return null;
  const blob = b.indexBlob;
  return withTempDir(async (dir) => {
    const p = join(dir, 'index');
    const fd = openSync(p, 'wx', 0o600);
    try {
      await catBlobTo(g, blob, fd);
    } finally {
      closeSync(fd);
    }
    const r = await g.run(['ls-files', '-s', '-z'], { env: { GIT_INDEX_FILE: p }, okCodes: [0, 128] });
    if (r.code !== 0) return null;
    for (const rec of nulList(r.stdout)) {
      const tab = rec.indexOf('\t');
      assertSafePath(`the index saved in ${b.ref}`, indexPath(rec.slice(tab + 1)), rec.slice(0, tab).split(' ')[0]);
    }
    return fsp.readFile(p);
  });
}
