// What a rollback can destroy, read from the work tree without changing it: HEAD and its branch,
// the index (its raw bytes and its tree), every tracked file, every untracked file git does not
// ignore, and the ignored files a rollback to given trees ("targets") would overwrite or expose
// to `git clean`. Files are hashed as bytes (no filters), with their exact modes; symlinks as
// symlinks; empty directories recorded. The protected directories are never read.
import { promises as fsp, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { hashBuffers, hashFiles, withTempDir } from './objects.js';
import { ancestors, cUnquote, nulList, WorkTree } from './paths.js';
import { ignoredAtRisk } from './ignored.js';
import { excludeArgs, isProtected, type Protected, type Target } from './targets.js';
import { firstLine, SHA, type GitContext } from './run.js';
import { assertSafePath } from './safe-path.js';

export type EntryKind = 'tracked' | 'untracked' | 'ignored';

export interface FileEntry {
  path: string;
  kind: EntryKind;
  /** Tree mode: 100644, 100755, 120000 (symlink) or 160000 (gitlink, not hashed). */
  gitMode: string;
  sha: string;
  /** Exact permission bits (lstat mode & 0o7777); 0 for symlinks and gitlinks. */
  mode: number;
  /** ino/size/mtime/ctime when hashed, to notice a change before removing it. */
  stamp: string;
}

export interface Snapshot {
  head: string | null;
  /** The symbolic ref HEAD points to (bytes), or null when detached. */
  headRef: Buffer | null;
  indexRaw: Buffer | null;
  indexTree: string;
  /** Index entries (path -> mode, sha), for deciding what a rollback removes. */
  tracked: Map<string, { mode: string; sha: string }>;
  entries: Map<string, FileEntry>;
  emptyDirs: Map<string, number>;
  /** Directories (holding saved entries) whose mode is not 0755. */
  dirModes: Map<string, number>;
}

export function stampOf(st: { ino: bigint; size: bigint; mtimeNs: bigint; ctimeNs: bigint; mode: bigint }): string {
  return `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}:${st.mode}`;
}

/**
 * Blob ids of files hashed earlier in this process (by git dir and path) with the lstat they had
 * then. Only files last changed well before they were hashed are kept, so a later change, which
 * moves mtime/ctime past that moment, is always noticed (git's "racy clean" rule).
 */
const hashCache = new Map<string, { stamp: string; sha: string }>();
const RACY_NS = 2_000_000_000n;

/**
 * Hashes the files and symlinks at `paths` (skipping what is missing, a directory, behind a
 * symlinked directory, or not a regular file or symlink). One hash-object process.
 */
export async function hashPaths(g: GitContext, wt: WorkTree, paths: ReadonlyArray<{ path: string; kind: EntryKind }>): Promise<FileEntry[]> {
  const gitDir = await g.gitDir();
  const startNs = BigInt(Date.now()) * 1_000_000n;
  const stats = paths.map((x) => {
    const st = wt.lstat(x.path);
    if (!st) return null;
    if (st.isSymbolicLink()) return { x, st, link: readlinkSync(wt.abs(x.path), { encoding: 'buffer' }) };
    if (st.isFile()) return { x, st, link: null };
    return null;
  });
  const found = stats.filter((s): s is NonNullable<typeof s> => s !== null);
  const key = (p: string): string => `${gitDir}\0${p}`;
  const cached = (s: (typeof found)[number]): string | undefined => {
    const c = hashCache.get(key(s.x.path));
    return c && c.stamp === stampOf(s.st) ? c.sha : undefined;
  };
  const files = found.filter((s) => s.link === null && cached(s) === undefined);
  const links = found.filter((s) => s.link !== null && cached(s) === undefined);
  const fileShas = await hashFiles(g, files.map((s) => s.x.path));
  const linkShas = await hashBuffers(g, links.map((s) => s.link!));
  const fresh = new Map<(typeof found)[number], string>();
  files.forEach((s, i) => fresh.set(s, fileShas[i]!));
  links.forEach((s, i) => fresh.set(s, linkShas[i]!));
  if (hashCache.size > 500_000) hashCache.clear();
  const out: FileEntry[] = [];
  for (const s of found) {
    const sha = fresh.get(s) ?? cached(s)!;
    const stamp = stampOf(s.st);
    if (fresh.has(s) && s.st.mtimeNs < startNs - RACY_NS && s.st.ctimeNs < startNs - RACY_NS) hashCache.set(key(s.x.path), { stamp, sha });
    if (s.link === null) {
      const mode = Number(s.st.mode) & 0o7777;
      out.push({ path: s.x.path, kind: s.x.kind, gitMode: mode & 0o100 ? '100755' : '100644', sha, mode, stamp });
    } else out.push({ path: s.x.path, kind: s.x.kind, gitMode: '120000', sha, mode: 0, stamp });
  }
  return out;
}

/** The `git clean -n -d` listing (paths, latin1, without a trailing slash). */
export async function cleanListing(g: GitContext, prot: readonly Protected[], env?: Record<string, string>): Promise<string[]> {
  const out = (await g.run(['clean', '-n', '-d', ...excludeArgs(prot, '-e')], env ? { env } : {})).stdout.toString('latin1');
  const paths: string[] = [];
  for (const line of out.split('\n')) {
    if (!line.startsWith('Would remove ')) continue; // "Would skip repository ..." is left alone
    paths.push(cUnquote(line.slice('Would remove '.length)).replace(/\/$/, ''));
  }
  return paths.filter((p) => p !== '' && !isProtected(p, prot));
}

/** Untracked empty directories (leaves), by walking what `git clean -n -d` lists. */
async function emptyDirsNow(g: GitContext, wt: WorkTree, prot: readonly Protected[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const p of await cleanListing(g, prot)) {
    const st = await wt.lstat(p);
    if (!st?.isDirectory()) continue;
    const w = await wt.walk(p, (q) => isProtected(q, prot));
    for (const d of w.emptyDirs) {
      const ds = await wt.lstat(d);
      if (ds?.isDirectory()) out.set(d, Number(ds.mode) & 0o7777);
    }
  }
  return out;
}

export async function readHead(g: GitContext): Promise<{ head: string | null; headRef: Buffer | null }> {
  const h = await g.run(['rev-parse', '--verify', '--quiet', 'HEAD'], { okCodes: [0, 1] });
  const head = h.code === 0 ? firstLine(h) : null;
  if (head !== null && !SHA.test(head)) throw new Error(`unexpected HEAD ${JSON.stringify(head)}`);
  const s = await g.run(['symbolic-ref', '--quiet', 'HEAD'], { okCodes: [0, 1] });
  let headRef: Buffer | null = null;
  if (s.code === 0) {
    headRef = s.stdout.subarray(0, s.stdout.length && s.stdout[s.stdout.length - 1] === 10 ? s.stdout.length - 1 : s.stdout.length);
  }
  return { head, headRef };
}

/** The index file's bytes (null when there is none) and its tree, without touching the index. */
export async function readIndex(g: GitContext): Promise<{ raw: Buffer | null; tree: string }> {
  const path = await g.gitPath('index');
  let raw: Buffer | null = null;
  try {
    raw = await fsp.readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const tree = await withTempDir(async (dir) => {
    const copy = join(dir, 'index');
    if (raw) await fsp.writeFile(copy, raw);
    return firstLine(await g.run(['write-tree'], { env: { GIT_INDEX_FILE: copy } }));
  });
  return { raw, tree };
}

/** The index's entries; an index with a path that must never be written or read (`../x`, `.git/x`:
 *  only a crafted index has one) is refused, so nothing outside the work tree is hashed or removed. */
export async function readTracked(g: GitContext): Promise<Map<string, { mode: string; sha: string }>> {
  const tracked = new Map<string, { mode: string; sha: string }>();
  for (const rec of nulList((await g.run(['ls-files', '-z', '-s'])).stdout)) {
    const tab = rec.indexOf('\t');
    const [mode = '', sha = ''] = rec.slice(0, tab).split(' ');
    assertSafePath('the index of the repository', rec.slice(tab + 1).replace(/\/$/, ''), mode);
    tracked.set(rec.slice(tab + 1), { mode, sha });
  }
  return tracked;
}

/** Directories holding `paths` (and the paths themselves when directories) whose mode is not 0755. */
export async function dirModesOf(wt: WorkTree, paths: Iterable<string>, also: Iterable<string> = []): Promise<Map<string, number>> {
  const dirs = new Set<string>(also);
  for (const p of paths) for (const a of ancestors(p)) dirs.add(a);
  const out = new Map<string, number>();
  for (const d of dirs) {
    const st = wt.lstat(d);
    if (st?.isDirectory() && (Number(st.mode) & 0o7777) !== 0o755) out.set(d, Number(st.mode) & 0o7777);
  }
  return out;
}

/** Everything a rollback to `targets` could destroy, saved as objects (not yet in any commit). */
export async function takeSnapshot(g: GitContext, targets: readonly Target[], prot: readonly Protected[]): Promise<Snapshot> {
  const wt = new WorkTree(g.top);
  const { head, headRef } = await readHead(g);
  const index = await readIndex(g);
  const tracked = await readTracked(g);
  const want = new Map<string, EntryKind>();
  const gitlinks: FileEntry[] = [];
  for (const [p, e] of tracked) {
    if (isProtected(p, prot)) continue;
    if (e.mode === '160000') gitlinks.push({ path: p, kind: 'tracked', gitMode: '160000', sha: e.sha, mode: 0, stamp: '' });
    else want.set(p, 'tracked');
  }
  const untracked = nulList((await g.run(['ls-files', '-z', '-o', '--exclude-standard', ...excludeArgs(prot, '--exclude')])).stdout);
  for (const p of untracked) {
    // A trailing slash is a nested repository: `git clean -d` leaves it alone, so do we.
    if (!p.endsWith('/') && !isProtected(p, prot) && !want.has(p)) want.set(p, 'untracked');
  }
  for (const p of await ignoredAtRisk(g, wt, targets, prot)) if (!want.has(p)) want.set(p, 'ignored');
  const hashed = await hashPaths(g, wt, [...want].map(([path, kind]) => ({ path, kind })));
  const entries = new Map<string, FileEntry>();
  for (const e of [...hashed, ...gitlinks]) entries.set(e.path, e);
  const emptyDirs = await emptyDirsNow(g, wt, prot);
  const dirModes = await dirModesOf(wt, entries.keys(), emptyDirs.keys());
  for (const d of emptyDirs.keys()) dirModes.delete(d);
  return { head, headRef, indexRaw: index.raw, indexTree: index.tree, tracked, entries, emptyDirs, dirModes };
}
