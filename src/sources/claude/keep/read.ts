// Reading back what keep.ts wrote: its own small JSON files (never through a link, never a FIFO,
// like every read of teamtop's), the kept teams, when each was last seen, which are due for pruning.
import { promises as fsp, type Stats } from 'node:fs';
import { join } from 'node:path';
import { readRegularTextOrNull } from '../../../files/read.js';
import { idProblem } from '../../../safety/ids.js';

/** seen.json: when teamtop last saved the team, and where the live team was. */
export interface Seen {
  lastSeen: string;
  teamDir: string;
  tasksDir: string;
}

export async function lstatOrNull(p: string): Promise<Stats | null> {
  try {
    return await fsp.lstat(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

export type OwnJson = { ok: true; value: unknown; missing?: false } | { ok: false; missing: true } | { ok: false; missing: false; message: string };

/** One of the keeper's JSON files, or why it cannot be read. */
export async function readOwnJson(path: string): Promise<OwnJson> {
  try {
    const r = await readRegularTextOrNull(path);
    if (!r) return { ok: false, missing: true };
    return { ok: true, value: JSON.parse(r.text) as unknown };
  } catch (e) {
    return { ok: false, missing: false, message: `${path}: ${(e as Error).message}` };
  }
}

/**
 * When a kept team was last saved (ms): seen.json's lastSeen, or, when that cannot be read, the
 * newest modification among the kept directory, its records and their files (a team with records
 * but no copy yet ages from its last record).
 */
export async function lastSeenOf(keptDir: string, seen: Partial<Seen> | null): Promise<number> {
  const t = typeof seen?.lastSeen === 'string' ? Date.parse(seen.lastSeen) : NaN;
  if (Number.isFinite(t)) return t;
  const records = join(keptDir, 'records');
  const names = await fsp.readdir(records).catch(() => [] as string[]);
  const stats = await Promise.all([keptDir, records, ...names.map((n) => join(records, n))].map((p) => lstatOrNull(p).catch(() => null)));
  return Math.max(0, ...stats.map((st) => st?.mtimeMs ?? 0));
}

/** A kept team, as ended() lists it. */
export interface KeptTeam {
  id: string;
  /** The kept team directory: <keptDir>/team (read it like a live teams/<team>). */
  dir: string;
  /** <keptDir>/tasks (read it like a live tasks/<team>). */
  tasksDir: string;
  keptDir: string;
  recordsDir: string;
  /** ISO time of the last save. */
  lastSeen: string;
  /** Where the live team was. */
  liveDir: string | null;
  liveTasksDir: string | null;
  /** pointers.json, or null when there is none (or it could not be read: see problems). */
  pointers: unknown;
  /** Kept files that could not be read (the team is listed all the same). */
  problems: string[];
}

/** seen.json's fields as far as they can be read (null when it cannot), and whether it exists. */
export async function readSeen(keptDir: string): Promise<{ exists: boolean; seen: Partial<Seen> | null; problem: string | null }> {
  const r = await readOwnJson(join(keptDir, 'seen.json'));
  if (r.ok) return { exists: true, seen: r.value && typeof r.value === 'object' ? (r.value as Partial<Seen>) : null, problem: null };
  return { exists: !r.missing, seen: null, problem: r.missing ? null : r.message };
}

/** The kept team `id` in `keptDir`, or null when it has no copy (only records). */
export async function readKeptTeam(id: string, keptDir: string): Promise<KeptTeam | null> {
  const { exists, seen, problem } = await readSeen(keptDir);
  if (!exists) return null;
  const problems = problem ? [problem] : [];
  const ptr = await readOwnJson(join(keptDir, 'pointers.json'));
  if (!ptr.ok && !ptr.missing) problems.push(ptr.message);
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  return {
    id, keptDir, dir: join(keptDir, 'team'), tasksDir: join(keptDir, 'tasks'), recordsDir: join(keptDir, 'records'),
    lastSeen: new Date(await lastSeenOf(keptDir, seen)).toISOString(),
    liveDir: str(seen?.teamDir), liveTasksDir: str(seen?.tasksDir),
    pointers: ptr.ok ? ptr.value : null, problems,
  };
}

/**
 * Whether the kept team in `keptDir` was last saved before `cutoff` and its live directory is gone
 * (`liveDir`, the team's place in the home, and the place seen.json recorded).
 */
export async function endedBefore(keptDir: string, liveDir: string, cutoff: number): Promise<boolean> {
  const { seen } = await readSeen(keptDir);
  if ((await lastSeenOf(keptDir, seen)) >= cutoff) return false;
  const live = [liveDir, ...(typeof seen?.teamDir === 'string' ? [seen.teamDir] : [])];
  return (await Promise.all(live.map(lstatOrNull))).every((st) => st === null);
}

/** The safe ids of the kept teams in `base` that are real directories (anything else in teams/ is left alone). */
export async function keptTeamIds(base: string): Promise<string[]> {
  try {
    const entries = await fsp.readdir(join(base, 'teams'), { withFileTypes: true });
    return entries.filter((e) => e.isDirectory() && idProblem(e.name) === null).map((e) => e.name).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}
