// Batch object operations: one git process per batch, never one per file. Blobs are hashed with
// `hash-object --no-filters` (the bytes as they are on disk, whatever .gitattributes says), read
// with `cat-file --batch`, trees are built in a temporary index (`update-index --index-info`,
// `write-tree`) and `mktree`.
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstLine, GitError, runGitToFd, SHA, type GitContext } from './run.js';
import { latin1Of, stdinPathLine } from './paths.js';
import { assertSafeListing } from './safe-path.js';

/** A temporary directory (prefix teamtop-index-) removed after `fn`, whatever happens. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await fsp.mkdtemp(join(tmpdir(), 'teamtop-index-'));
  try {
    return await fn(dir);
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

/**
 * Writes the files at `paths` (latin1, relative to the top, or absolute) as blobs, bytes as they
 * are; returns their ids in order. One process for all of them.
 */
export async function hashFiles(g: GitContext, paths: readonly string[]): Promise<string[]> {
  if (paths.length === 0) return [];
  const input = Buffer.from(paths.map((p) => stdinPathLine(p) + '\n').join(''), 'latin1');
  const out = firstLine(await g.run(['hash-object', '-w', '--no-filters', '--stdin-paths'], { input }));
  const shas = out === '' ? [] : out.split('\n');
  if (shas.length !== paths.length || !shas.every((s) => SHA.test(s))) {
    throw new GitError(['hash-object'], '', null, `expected ${paths.length} object ids, got ${shas.length}`);
  }
  return shas;
}

/** Writes each buffer as a blob (through temporary files, hashed in one process). */
export async function hashBuffers(g: GitContext, bufs: readonly Buffer[]): Promise<string[]> {
  if (bufs.length === 0) return [];
  return withTempDir(async (dir) => {
    const paths: string[] = [];
    for (let i = 0; i < bufs.length; i++) {
      const p = join(dir, `b${i}`);
      await fsp.writeFile(p, bufs[i]!);
      paths.push(latin1Of(p));
    }
    return hashFiles(g, paths);
  });
}

export interface BlobRequest {
  sha: string;
}

/** Reads blobs (bytes as stored) with one `cat-file --batch` per call. Missing objects are an error. */
export async function readBlobs(g: GitContext, reqs: readonly BlobRequest[]): Promise<Buffer[]> {
  if (reqs.length === 0) return [];
  const args = ['cat-file', '--batch'];
  const out = (await g.run(args, { input: Buffer.from(reqs.map((r) => r.sha).join('\n') + '\n', 'latin1') })).stdout;
  const res: Buffer[] = [];
  let pos = 0;
  for (const r of reqs) {
    const nl = out.indexOf(10, pos);
    if (nl < 0) throw new GitError(args, '', null, 'truncated output');
    const header = out.subarray(pos, nl).toString('latin1');
    const m = /^([0-9a-f]+) (\w+) (\d+)$/.exec(header);
    if (!m || m[1] !== r.sha) throw new GitError(args, '', null, `object ${r.sha} is missing or unreadable (${header})`);
    const size = Number(m[3]);
    res.push(out.subarray(nl + 1, nl + 1 + size));
    pos = nl + 1 + size + 1;
  }
  return res;
}

/** Writes blob `sha` (bytes as stored) into the open file `fd`, streamed: any size. */
export async function catBlobTo(g: GitContext, sha: string, fd: number): Promise<void> {
  if (!SHA.test(sha)) throw new GitError(['cat-file'], '', null, `not an object id: ${JSON.stringify(sha)}`);
  await runGitToFd(g.top, ['cat-file', 'blob', sha], fd);
}

export interface TreeEntry {
  mode: string; // "100644", "100755", "120000", "160000"
  sha: string;
  size: number; // blobs only (0 otherwise)
}

/** Recently listed trees (a tree id names its content, in any repository). */
const treeCache = new Map<string, Map<string, TreeEntry>>();

/**
 * Every blob and gitlink of a tree, recursively: path (latin1) -> entry. Callers must not modify
 * it. Every path is checked first (safe-path.ts): a tree with a path that must never be written
 * (`..`, `.git`, ...) is refused, naming `what` and the path.
 */
export async function listTree(g: GitContext, tree: string, what?: string): Promise<Map<string, TreeEntry>> {
  const id = SHA.test(tree) ? tree : firstLine(await g.run(['rev-parse', '--verify', '--end-of-options', `${tree}^{tree}`]));
  const hit = treeCache.get(id);
  if (hit) return hit;
  const out = (await g.run(['ls-tree', '-r', '-z', '-l', '--full-tree', '--end-of-options', id])).stdout.toString('latin1');
  const map = new Map<string, TreeEntry>();
  for (const rec of out.split('\0')) {
    if (rec === '') continue;
    const tab = rec.indexOf('\t');
    const [mode = '', , sha = '', size = '-'] = rec.slice(0, tab).split(/ +/);
    map.set(rec.slice(tab + 1), { mode, sha, size: size === '-' ? 0 : Number(size) });
  }
  assertSafeListing(what ?? `tree ${id}`, map);
  treeCache.set(id, map);
  while (treeCache.size > 8) treeCache.delete(treeCache.keys().next().value!);
  return map;
}

export interface IndexEntryInfo {
  mode: string;
  sha: string;
  path: string;
}

/**
 * Builds a tree: the entries of `base` (a tree, optional) with `entries` added or replaced and
 * `remove` removed, in a temporary index. Callers avoid directory/file conflicts.
 */
export async function buildTree(g: GitContext, entries: readonly IndexEntryInfo[], base?: string, remove: readonly string[] = []): Promise<string> {
  return withTempDir(async (dir) => {
    const env = { GIT_INDEX_FILE: join(dir, 'index') };
    if (base) await g.run(['read-tree', '--end-of-options', base], { env });
    const zero = '0'.repeat(40);
    const recs = [
      ...remove.map((p) => `0 ${zero}\t${p}\0`),
      ...entries.map((e) => `${e.mode} ${e.sha}\t${e.path}\0`),
    ];
    if (recs.length > 0) await g.run(['update-index', '-z', '--index-info'], { env, input: Buffer.from(recs.join(''), 'latin1') });
    return firstLine(await g.run(['write-tree'], { env }));
  });
}

/** A one-level tree from (mode, type, sha, name) entries. */
export async function makeTree(g: GitContext, entries: ReadonlyArray<{ mode: string; type: 'blob' | 'tree'; sha: string; name: string }>): Promise<string> {
  const input = Buffer.from(entries.map((e) => `${e.mode} ${e.type} ${e.sha}\t${e.name}\0`).join(''), 'latin1');
  return firstLine(await g.run(['mktree', '-z'], { input }));
}

export async function commitTree(g: GitContext, tree: string, parents: readonly string[], message: Buffer, env: Record<string, string>): Promise<string> {
  const args = ['commit-tree', '--no-gpg-sign', ...parents.flatMap((p) => ['-p', p]), '-F', '-', '--end-of-options', tree];
  return firstLine(await g.run(args, { input: message, env }));
}

export interface CommitInfo {
  tree: string;
  parents: string[];
  /** The message, bytes as a latin1 string. */
  message: string;
}

export async function readCommit(g: GitContext, sha: string): Promise<CommitInfo> {
  const raw = (await g.run(['cat-file', 'commit', sha])).stdout.toString('latin1');
  const split = raw.indexOf('\n\n');
  const headers = split < 0 ? raw : raw.slice(0, split);
  const message = split < 0 ? '' : raw.slice(split + 2);
  let tree = '';
  const parents: string[] = [];
  for (const l of headers.split('\n')) {
    if (l.startsWith('tree ')) tree = l.slice(5);
    else if (l.startsWith('parent ')) parents.push(l.slice(7));
  }
  return { tree, parents, message };
}

/** Whether commit `a` is `b` or an ancestor of it. */
export async function isAncestor(g: GitContext, a: string, b: string): Promise<boolean> {
  const r = await g.run(['merge-base', '--is-ancestor', '--end-of-options', a, b], { okCodes: [0, 1] });
  return r.code === 0;
}
