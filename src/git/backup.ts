// The backup format. A backup is a commit W under refs/teamtop/backup/:
//
//   format 2 (written now): W's tree is the saved work tree (every tracked file's bytes as they
//   were on disk, no filters; untracked files; the ignored files the rollback would touch;
//   symlinks as symlinks). Parents: [HEAD (unless unborn), I, M, ...]. I's tree is the index's
//   tree. M's tree holds `index` (the index file's raw bytes: flags, stages, intent-to-add), and
//   `manifest` (exact modes, empty directories, directory modes, which entries were ignored),
//   and, after a rollback had to keep content that is not part of the saved state, `displaced`
//   (one subtree per addition). Trailers of W: teamtop-format, -team, -branch (for people),
//   -head-ref (the exact bytes of HEAD's symbolic ref, hex), -head, -index, -meta, -time, and
//   for a backup that a later step completed: -previous (the version it replaces, a parent),
//   -saved (commits kept reachable: parents), -updated.
//
//   format 1 (older teamtop): W = [HEAD, I] with W's tree the work tree as `git add -A` saw it
//   (through filters), trailers teamtop-branch, -head, -time. Still restored.
import { idProblem } from '../safety/ids.js';
import {
  buildTree, commitTree, hashBuffers, listTree, makeTree, readBlobs, readCommit, type TreeEntry,
} from './objects.js';
import { refNameProblem, utf8Of } from './paths.js';
import { assertSafePath } from './safe-path.js';
import { firstLine, SHA, type GitContext } from './run.js';
import type { Snapshot } from './snapshot.js';
import { hasControl } from '../safety/sanitize.js';

export const BACKUP_FORMAT = 2;
const MANIFEST_HEADER = 'teamtop-manifest 2\n';

export interface Manifest {
  /** Files whose permission bits are not the ones their tree mode implies (0644 / 0755). */
  modes: Map<string, number>;
  emptyDirs: Map<string, number>;
  dirModes: Map<string, number>;
  ignored: Set<string>;
}

export function emptyManifest(): Manifest {
  return { modes: new Map(), emptyDirs: new Map(), dirModes: new Map(), ignored: new Set() };
}

export function encodeManifest(m: Manifest): Buffer {
  const recs: string[] = [];
  const sorted = <T>(map: Map<string, T>): Array<[string, T]> => [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [p, mode] of sorted(m.modes)) recs.push(`f ${mode.toString(8)} ${p}`);
  for (const [p, mode] of sorted(m.emptyDirs)) recs.push(`e ${mode.toString(8)} ${p}`);
  for (const [p, mode] of sorted(m.dirModes)) recs.push(`d ${mode.toString(8)} ${p}`);
  for (const p of [...m.ignored].sort()) recs.push(`i 0 ${p}`);
  return Buffer.from(MANIFEST_HEADER + recs.map((r) => r + '\0').join(''), 'latin1');
}

export function decodeManifest(buf: Buffer, what: string): Manifest {
  const s = buf.toString('latin1');
  if (!s.startsWith(MANIFEST_HEADER)) throw new Error(`${what}: unknown manifest format`);
  const m = emptyManifest();
  for (const rec of s.slice(MANIFEST_HEADER.length).split('\0')) {
    if (rec === '') continue;
    const r = /^([fedi]) ([0-7]+) ([^]+)$/.exec(rec);
    if (!r) throw new Error(`${what}: bad manifest record ${JSON.stringify(rec.slice(0, 80))}`);
    const mode = parseInt(r[2]!, 8);
    const p = r[3]!;
    // A manifest is as untrusted as a tree: its paths are written, chmod'ed and created.
    assertSafePath(`the manifest of ${what}`, p);
    if (mode > 0o7777) throw new Error(`${what}: bad mode ${r[2]} in manifest record ${JSON.stringify(rec.slice(0, 80))}`);
    if (r[1] === 'f') m.modes.set(p, mode);
    else if (r[1] === 'e') m.emptyDirs.set(p, mode);
    else if (r[1] === 'd') m.dirModes.set(p, mode);
    else m.ignored.add(p);
  }
  return m;
}

/** The permission bits a file of tree mode `gitMode` gets on restore unless the manifest says otherwise. */
export function defaultMode(gitMode: string): number {
  return gitMode === '100755' ? 0o755 : 0o644;
}

export interface Backup {
  ref: string;
  sha: string;
  format: 1 | 2;
  /** The saved work tree went through git's filters (format 1, and format 2 completing one). */
  filtered: boolean;
  team: string | null;
  time: string | null;
  /** The symbolic ref HEAD pointed to (bytes), or null when detached. */
  headRef: Buffer | null;
  head: string | null;
  indexCommit: string;
  indexTree: string;
  /** The raw index file (format 2 and an index existed), else null: restore reads indexTree. */
  indexBlob: string | null;
  meta: string | null;
  manifest: Manifest;
  /** Tree of displaced content (subtrees "1", "2", ...), or null. */
  displaced: string | null;
  tree: string;
  parents: string[];
  /** The message before the trailers (latin1). */
  body: string;
  trailers: Array<[string, string]>;
}

/** The last paragraph's "teamtop-key: value" lines, and everything before it. */
function splitTrailers(message: string): { body: string; trailers: Array<[string, string]> } {
  const trimmed = message.replace(/\n+$/, '');
  const i = trimmed.lastIndexOf('\n\n');
  const last = i < 0 ? trimmed : trimmed.slice(i + 2);
  const trailers: Array<[string, string]> = [];
  for (const line of last.split('\n')) {
    const m = /^teamtop-([a-z-]+): (.*)$/.exec(line);
    if (m) trailers.push([m[1]!, m[2]!]);
  }
  return { body: trailers.length > 0 && i >= 0 ? trimmed.slice(0, i) : trailers.length > 0 ? '' : trimmed, trailers };
}

export function branchDisplay(headRef: Buffer | null): string {
  if (!headRef) return 'detached';
  const s = headRef.toString('latin1');
  const name = s.startsWith('refs/heads/') ? s.slice('refs/heads/'.length) : s;
  const u = utf8Of(name);
  return u !== null && !hasControl(u) ? u : `hex:${Buffer.from(name, 'latin1').toString('hex')}`;
}

/** Reads and checks a backup (either format); `full` is an already validated backup ref. */
export async function readBackup(g: GitContext, full: string): Promise<Backup> {
  const r = await g.run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${full}^{commit}`], { okCodes: [0, 1] });
  if (r.code !== 0) throw new Error(`backup ${full} does not exist`);
  const sha = firstLine(r);
  const c = await readCommit(g, sha);
  const { body, trailers } = splitTrailers(c.message);
  const one = (k: string): string | undefined => trailers.filter(([key]) => key === k).pop()?.[1];
  const bad = (why: string): Error => new Error(`${full} is not a teamtop backup: ${why}`);
  const head = one('head');
  if (head === undefined || (head !== 'none' && !SHA.test(head))) throw bad(head === undefined ? 'no teamtop-branch / teamtop-head trailers' : `bad teamtop-head ${JSON.stringify(head)}`);
  const team = teamOfTrailers(one);
  const time = one('time') ?? null;
  const format = one('format');
  if (format === undefined) {
    // Format 1.
    const branch = one('branch');
    if (branch === undefined) throw bad('no teamtop-branch / teamtop-head trailers');
    if (head === 'none' ? c.parents.length !== 1 : c.parents.length !== 2 || c.parents[0] !== head) throw bad('its parents are not [HEAD, index]');
    let headRef: Buffer | null = null;
    if (branch !== 'detached') {
      headRef = Buffer.from(`refs/heads/${branch}`, 'utf8');
      const p = refNameProblem(headRef);
      if (p) throw bad(`bad teamtop-branch ${JSON.stringify(branch)} (${p})`);
    } else if (head === 'none') throw bad('detached HEAD without a commit');
    const indexCommit = c.parents[c.parents.length - 1]!;
    const indexTree = (await readCommit(g, indexCommit)).tree;
    return {
      ref: full, sha, format: 1, filtered: true, team: null, time, headRef, head: head === 'none' ? null : head, indexCommit, indexTree,
      indexBlob: null, meta: null, manifest: emptyManifest(), displaced: null, tree: c.tree, parents: c.parents, body, trailers,
    };
  }
  if (format !== String(BACKUP_FORMAT)) throw bad(`format ${JSON.stringify(format)} is newer than this teamtop understands`);
  const indexCommit = one('index');
  const meta = one('meta');
  if (!indexCommit || !SHA.test(indexCommit) || !c.parents.includes(indexCommit)) throw bad('no index commit among its parents');
  if (!meta || !SHA.test(meta) || !c.parents.includes(meta)) throw bad('no metadata commit among its parents');
  if (head !== 'none' && c.parents[0] !== head) throw bad('its first parent is not the saved HEAD');
  const refHex = one('head-ref');
  let headRef: Buffer | null = null;
  if (refHex !== undefined) {
    if (!/^(?:[0-9a-f]{2})+$/.test(refHex)) throw bad('bad teamtop-head-ref');
    headRef = Buffer.from(refHex, 'hex');
    const p = refNameProblem(headRef);
    if (p || !headRef.toString('latin1').startsWith('refs/heads/')) throw bad(`HEAD pointed to ${JSON.stringify(headRef.toString('latin1'))}, which ${p ?? 'is not a branch'}`);
  } else if (head === 'none') throw bad('detached HEAD without a commit');
  if (team !== null && idProblem(team)) throw bad(`bad teamtop-team ${JSON.stringify(team)}`);
  const indexTree = (await readCommit(g, indexCommit)).tree;
  const metaTop = (await g.run(['ls-tree', '-z', '--end-of-options', `${meta}^{tree}`])).stdout.toString('latin1');
  let manifestSha: string | null = null;
  let indexBlob: string | null = null;
  let displaced: string | null = null;
  for (const rec of metaTop.split('\0')) {
    const m = /^(\d+) (\w+) ([0-9a-f]+)\t(.*)$/.exec(rec);
    if (!m) continue;
    if (m[4] === 'manifest' && m[2] === 'blob') manifestSha = m[3]!;
    else if (m[4] === 'index' && m[2] === 'blob') indexBlob = m[3]!;
    else if (m[4] === 'displaced' && m[2] === 'tree') displaced = m[3]!;
  }
  if (!manifestSha) throw bad('its metadata has no manifest');
  const [manifestBuf] = await readBlobs(g, [{ sha: manifestSha }]);
  const manifest = decodeManifest(manifestBuf!, full);
  return {
    ref: full, sha, format: 2, filtered: one('filtered') === 'yes', team, time, headRef, head: head === 'none' ? null : head, indexCommit, indexTree,
    indexBlob, meta, manifest, displaced, tree: c.tree, parents: c.parents, body, trailers,
  };
}

/** The saved work tree: path -> entry (format 1 entries are stored through filters). */
export function backupFiles(g: GitContext, b: Backup): Promise<Map<string, TreeEntry>> {
  return listTree(g, b.tree, `backup ${b.ref}`);
}

/**
 * The team a backup records, as a trailer. Trailers are written and read as latin1 (a branch name
 * may be any bytes): an id in ASCII is written as it is, any other as the hex of its UTF-8.
 */
export function teamTrailer(team: string): [string, string] {
  return /^[\x21-\x7e]+$/.test(team) ? ['team', team] : ['team-hex', Buffer.from(team, 'utf8').toString('hex')];
}

/** The team of a backup's trailers (teamTrailer), or null. */
export function teamOfTrailers(get: (key: string) => string | undefined): string | null {
  const hex = get('team-hex');
  if (hex !== undefined && /^(?:[0-9a-f]{2})+$/.test(hex)) return Buffer.from(hex, 'hex').toString('utf8');
  return get('team') ?? null;
}

export function trailerBlock(t: Array<[string, string]>): string {
  return t.map(([k, v]) => `teamtop-${k}: ${v}`).join('\n') + '\n';
}

export function identityTrailers(b: { team: string | null; headRef: Buffer | null; head: string | null; index: string; meta: string; time: string; filtered?: boolean }): Array<[string, string]> {
  const t: Array<[string, string]> = [['format', String(BACKUP_FORMAT)]];
  if (b.filtered) t.push(['filtered', 'yes']);
  if (b.team !== null) t.push(teamTrailer(b.team));
  t.push(['branch', branchDisplay(b.headRef)]);
  if (b.headRef) t.push(['head-ref', b.headRef.toString('hex')]);
  t.push(['head', b.head ?? 'none'], ['index', b.index], ['meta', b.meta], ['time', b.time]);
  return t;
}

export async function writeMeta(g: GitContext, manifest: Manifest, indexBlob: string | null, displaced: string | null, env: Record<string, string>): Promise<string> {
  const [manifestSha] = await hashBuffers(g, [encodeManifest(manifest)]);
  const entries: Array<{ mode: string; type: 'blob' | 'tree'; sha: string; name: string }> = [];
  if (displaced) entries.push({ mode: '040000', type: 'tree', sha: displaced, name: 'displaced' });
  if (indexBlob) entries.push({ mode: '100644', type: 'blob', sha: indexBlob, name: 'index' });
  entries.push({ mode: '100644', type: 'blob', sha: manifestSha!, name: 'manifest' });
  const tree = await makeTree(g, entries);
  return commitTree(g, tree, [], Buffer.from('teamtop backup metadata (format 2)\n'), env);
}

export function manifestOf(snap: Pick<Snapshot, 'entries' | 'emptyDirs' | 'dirModes'>): Manifest {
  const m = emptyManifest();
  for (const e of snap.entries.values()) {
    if (e.gitMode !== '120000' && e.gitMode !== '160000' && e.mode !== defaultMode(e.gitMode)) m.modes.set(e.path, e.mode);
    if (e.kind === 'ignored') m.ignored.add(e.path);
  }
  for (const [d, mode] of snap.emptyDirs) m.emptyDirs.set(d, mode);
  for (const [d, mode] of snap.dirModes) m.dirModes.set(d, mode);
  return m;
}

/** Writes a new backup of `snap` and creates `full` (which must not exist). */
export async function writeBackup(
  g: GitContext, full: string, snap: Snapshot,
  opts: { message: string; team: string | null; env: Record<string, string>; now: Date },
): Promise<string> {
  const headParents = snap.head ? [snap.head] : [];
  const index = await commitTree(g, snap.indexTree, headParents, Buffer.from(`teamtop backup: index\n\n${opts.message}`, 'utf8'), opts.env);
  const tree = await buildTree(g, [...snap.entries.values()].map((e) => ({ mode: e.gitMode, sha: e.sha, path: e.path })));
  const [indexBlob] = snap.indexRaw ? await hashBuffers(g, [snap.indexRaw]) : [null];
  const meta = await writeMeta(g, manifestOf(snap), indexBlob ?? null, null, opts.env);
  const trailers = identityTrailers({ team: opts.team, headRef: snap.headRef, head: snap.head, index, meta, time: opts.now.toISOString() });
  const message = Buffer.concat([Buffer.from(`${opts.message}\n`, 'utf8'), Buffer.from(trailerBlock(trailers), 'latin1')]);
  const w = await commitTree(g, tree, [...headParents, index, meta], message, opts.env);
  // The empty old value makes git refuse if someone created the ref meanwhile.
  await g.run(['update-ref', '--end-of-options', full, w, '']);
  return w;
}

/** A commit of `tree` that is the same object every time (fixed identity and dates). */
export async function treeCommit(g: GitContext, tree: string, what: string): Promise<string> {
  const fixed = {
    GIT_AUTHOR_NAME: 'teamtop', GIT_AUTHOR_EMAIL: 'teamtop@localhost', GIT_AUTHOR_DATE: '@0 +0000',
    GIT_COMMITTER_NAME: 'teamtop', GIT_COMMITTER_EMAIL: 'teamtop@localhost', GIT_COMMITTER_DATE: '@0 +0000',
  };
  return commitTree(g, tree, [], Buffer.from(`teamtop: ${what}\n`), fixed);
}

