// The live side of keeping a team (keep.ts): which of its files exist now, with what size and
// times, found by lstat and readdir only (nothing is opened, so a FIFO cannot block and a no-change
// save costs no reads).
import { promises as fsp, type Stats } from 'node:fs';
import { join } from 'node:path';
import { kindOf } from '../../../files/guard.js';
import { printableName } from '../../../safety/sanitize.js';
import { lstatOrNull } from './read.js';

/** What identifies one version of a live file: any change to its contents changes one of these. */
export interface Stamp {
  size: number;
  mtimeMs: number;
  /** ctime too: a writer that restores the old mtime (cp -p, rsync -t) cannot set it back. */
  ctimeMs: number;
  ino: number;
}

/** A live file that is not kept (a link, a FIFO, too large, over the file limit…), with why. */
export interface Skipped {
  path: string;
  reason: string;
}

export interface LiveFile {
  /** Its path in the kept copy: team/config.json, team/inboxes/<name>.json, tasks/<name>.json. */
  rel: string;
  src: string;
  stamp: Stamp;
}

export interface LiveScan {
  /** The files to keep, by rel. */
  files: Map<string, LiveFile>;
  /** Every rel that exists live, kept or skipped: a skipped file is not a deleted one. */
  present: Set<string>;
  /** Folders (rel prefixes) that could not be listed: what the copy holds under them stays. */
  unknown: string[];
  skipped: Skipped[];
}

export interface Limits {
  maxFiles: number;
  maxFileBytes: number;
}

export function stampOf(st: Stats): Stamp {
  return { size: st.size, mtimeMs: st.mtimeMs, ctimeMs: st.ctimeMs, ino: st.ino };
}

export function sameStamp(a: Stamp, b: Stamp): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;
}

/** The names Claude Code's reader reads as inboxes and tasks (never .lock, .highwatermark or temp files). */
export function isKeptName(name: string): boolean {
  return name.endsWith('.json') && !name.startsWith('.');
}

interface Folder { prefix: string; dir: string }

/**
 * Lists the files of a live team. Null when `teamDir` is gone (the team ended). A team directory
 * that is a link or not a directory is refused with an error: the reader never reads one either.
 */
export async function scanLive(teamDir: string, tasksDir: string, limits: Limits): Promise<LiveScan | null> {
  const top = await lstatOrNull(teamDir);
  if (!top) return null;
  if (!top.isDirectory()) throw new Error(`${teamDir} is ${kindOf(top)}, not a directory: not kept`);
  const scan: LiveScan = { files: new Map(), present: new Set(), unknown: [], skipped: [] };
  const candidates: Array<{ rel: string; src: string }> = [{ rel: 'team/config.json', src: join(teamDir, 'config.json') }];
  const folders: Folder[] = [{ prefix: 'team/inboxes/', dir: join(teamDir, 'inboxes') }, { prefix: 'tasks/', dir: tasksDir }];
  for (const f of folders) candidates.push(...(await listFolder(f, scan)));
  // The bound applies before any lstat, so a folder of a million files costs one readdir. Files
  // over it still exist live: they are present (their old copies stay), only not refreshed.
  if (candidates.length > limits.maxFiles) {
    const over = candidates.splice(limits.maxFiles);
    for (const c of over) scan.present.add(c.rel);
    scan.skipped.push({ path: teamDir, reason: `${over.length} more files over the ${limits.maxFiles}-file limit of a team: not kept` });
  }
  for (const c of candidates) {
    const st = await lstatOrNull(c.src);
    if (!st) continue;
    scan.present.add(c.rel);
    const why = reasonNotKept(st, limits);
    if (why) scan.skipped.push({ path: c.src, reason: why });
    else scan.files.set(c.rel, { rel: c.rel, src: c.src, stamp: stampOf(st) });
  }
  return scan;
}

/** Why a live entry is not copied, or null. */
export function reasonNotKept(st: Stats, limits: Limits): string | null {
  if (st.isSymbolicLink()) return 'a symbolic link: not followed, not kept';
  if (!st.isFile()) return `${kindOf(st)}: not kept`;
  if (st.size > limits.maxFileBytes) return `${st.size} bytes, over the ${limits.maxFileBytes}-byte limit: not kept`;
  // A hard link to a file elsewhere (a teammate's `ln ~/.ssh/id_rsa inboxes/x.json`) is not copied
  // out of its place, as in src/files/copy.ts.
  if (st.nlink > 1) return 'a hard link shared with another file: not kept';
  return null;
}

/** The kept names of one folder, sorted (so the file limit always keeps the same ones). */
async function listFolder(f: Folder, scan: LiveScan): Promise<Array<{ rel: string; src: string }>> {
  const st = await lstatOrNull(f.dir);
  if (!st) return []; // absent: every file that was in it is gone
  if (!st.isDirectory()) {
    scan.unknown.push(f.prefix);
    scan.skipped.push({ path: f.dir, reason: `${kindOf(st)}, not a directory: not followed, not kept` });
    return [];
  }
  let entries: Buffer[];
  try {
    entries = await fsp.readdir(f.dir, { encoding: 'buffer' });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [];
    scan.unknown.push(f.prefix);
    scan.skipped.push({ path: f.dir, reason: `cannot be listed (${code ?? (e as Error).message}): not kept` });
    return [];
  }
  const out: Array<{ rel: string; src: string }> = [];
  for (const raw of entries) {
    const name = raw.toString('utf8');
    if (!isKeptName(name)) continue;
    // The reader reads names as UTF-8: a name that is not cannot be opened by it either.
    if (!Buffer.from(name, 'utf8').equals(raw)) {
      scan.skipped.push({ path: join(f.dir, printableName(raw)), reason: 'a file name that is not UTF-8: not kept' });
      continue;
    }
    out.push({ rel: f.prefix + name, src: join(f.dir, name) });
  }
  return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
}
