// Keeping Claude Code teams after they end. Since Claude Code 2.1.178 every session has a team
// (teams/session-<8 hex>/), and Claude Code deletes the team's directory when the session ends
// (older versions deleted tasks/<team> too): the timeline, the details and the post-mortem of a
// team would go with it, and so would teamtop's own records in teams/<team>/teamtop/. A
// TeamKeeper keeps a copy of the last state teamtop saw of each team, and teamtop's records, in
// teamtop's own state directory, out of Claude Code's reach.
//
// On disk (<state> is teamtopStateDir(): $XDG_STATE_HOME/teamtop or ~/.local/state/teamtop):
//   <state>/claude/                      mode 0700: the copies hold private messages
//     <home key>/                        one Claude Code home (homeKey: `claude-<12 hex>`): `base`
//       home.json                        {claudeDir, realPath}: which home this is, for people
//       teams/<team>/                    one team (the team id, checked with assertSafeId)
//         team/config.json               copies, same layout as the live team: the reader reads
//         team/inboxes/<name>.json         them with dir=<kept>/team, tasksDir=<kept>/tasks
//         tasks/<id>.json
//         pointers.json                  the integrator's free-form JSON (transcripts, offsets…)
//         seen.json                      {lastSeen: ISO, teamDir, tasksDir} of the live team
//         manifest.json                  the stamp (size, mtime, ctime, inode) of each copied
//                                          live file; written last: the commit of a save
//         manifest.json.lock/            the team's lock (proper-lockfile, via withLock)
//         records/                       teamtop's own actions.jsonl, alert-acks.json, rollback.json
//       .trash-<team>-<hex>/             a kept team being removed (prune, forget)
//
// Rules:
// - A save lists the live files with readdir and lstat only and compares them with the manifest
//   (kept in memory while manifest.json's own stamp is unchanged): a save with nothing new opens
//   no file (but manifest.json, once per keeper) and writes nothing. Only when something changed
//   does it take the team's lock, list again (another process may have saved meanwhile) and copy.
// - Only files whose stamp changed are copied: streamed into a temp file, fsynced, renamed. Live
//   links, FIFOs, devices, hard links, files over maxFileBytes, names that are not UTF-8 and files
//   past the team's first maxFiles are not kept, and each is reported in `skipped`.
// - A file missing live is removed from the copy only by a save at least graceMs after the first
//   save that found it missing, and only while the live team directory exists; once that is gone
//   the team ended and nothing in its copy changes again (save returns 'ended').
// - Concurrency: every write to a kept team happens holding its lock (manifest.json.lock), so
//   two teamtop processes (the TUI and a `check`) can save the same team at once; within one
//   keeper, calls for a team also run one at a time. Readers of the copy may read while a save
//   runs: each file is replaced whole.
// - prune(now) removes the kept teams whose live directory is gone and whose last save is older
//   than 30 days, and nothing else: only safe team ids, only real directories, only in `base`.
import { promises as fsp } from 'node:fs';
import { join, resolve } from 'node:path';
import { guardPath } from '../../../files/guard.js';
import { MAX_JSON_FILE_BYTES } from '../../../files/read.js';
import { mkdirGuarded, removeDeadTemps, withLock, writeFileAtomic, writeJsonAtomic } from '../../../files/write.js';
import { assertSafeId } from '../../../safety/ids.js';
import { homeKey, realHome, teamtopStateDir } from './paths.js';
import { scanLive, type Limits, type LiveScan, type Skipped } from './scan.js';
import { ManifestCache, planIsEmpty, planSave, pointersOf, type Manifest, type Pointers } from './manifest.js';
import { copyInto, emptyTrash, moveToTrash, removeKeptFile, syncDir } from './io.js';
import { endedBefore, keptTeamIds, lstatOrNull, readKeptTeam, type KeptTeam, type Seen } from './read.js';
import { checkedOldRecords, hasRecords, migrateLocked, type MigrateResult } from './records.js';

export { homeKey, teamtopStateDir } from './paths.js';
export type { Skipped } from './scan.js';
export type { KeptTeam } from './read.js';
export type { MigrateResult } from './records.js';

/** The most files kept of one team (config, inboxes and tasks together). */
export const KEEP_MAX_FILES = 10_000;
/** The largest file kept: the largest JSON file the reader reads (64 MiB). */
export const KEEP_MAX_FILE_BYTES = MAX_JSON_FILE_BYTES;
/** How long the copy of an ended team is kept after its last save. */
export const KEEP_RETENTION_MS = 30 * 24 * 60 * 60_000;
/** How long a file must stay missing live before its copy is removed (see planSave). */
export const KEEP_DELETE_GRACE_MS = 30_000;
/** A save with no file changes still rewrites seen.json when its lastSeen is this old. */
const SEEN_REFRESH_MS = 60_000;

export interface KeeperOptions {
  now?: () => number;
  maxFiles?: number;
  maxFileBytes?: number;
  graceMs?: number;
}

export interface SaveInput {
  /** The live teams/<team>. */
  teamDir: string;
  /** The live tasks/<team>. */
  tasksDir: string;
  /** Free-form JSON kept as pointers.json; left as it is when undefined. */
  pointers?: unknown;
}

export interface SaveResult {
  /** 'ended': the live team directory is gone, nothing was touched. */
  status: 'saved' | 'unchanged' | 'ended';
  /** Kept paths (team/inboxes/x.json, tasks/1.json…) copied or removed by this save. */
  copied: string[];
  removed: string[];
  /** Live entries not kept, with why (every save lists them again). */
  skipped: Skipped[];
}

export class TeamKeeper {
  /** This home's directory: the base every write of the keeper is guarded against. */
  readonly base: string;
  private readonly now: () => number;
  private readonly limits: Limits;
  private readonly graceMs: number;
  private readonly manifests = new ManifestCache();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(readonly claudeDir: string, readonly stateDir: string = teamtopStateDir(), opts: KeeperOptions = {}) {
    this.base = join(stateDir, 'claude', homeKey(realHome(claudeDir)));
    this.now = opts.now ?? Date.now;
    this.limits = { maxFiles: opts.maxFiles ?? KEEP_MAX_FILES, maxFileBytes: opts.maxFileBytes ?? KEEP_MAX_FILE_BYTES };
    this.graceMs = opts.graceMs ?? KEEP_DELETE_GRACE_MS;
  }

  /** The kept copy of a team (refuses an unsafe id). */
  keptDir(teamId: string): string {
    return join(this.base, 'teams', assertSafeId('team', teamId));
  }

  /** teamtop's records for a team; writers create it (ensureRecordsDir) and write with base = `base`. */
  recordsDir(teamId: string): string {
    return join(this.keptDir(teamId), 'records');
  }

  /** Creates the records directory (and the keeper's own directories) and returns it. */
  async ensureRecordsDir(teamId: string): Promise<string> {
    const dir = this.recordsDir(teamId);
    await this.ensureBase();
    await mkdirGuarded(this.base, dir);
    return dir;
  }

  /**
   * Copies teamtop's records from their old place (teams/<team>/teamtop/) when the records
   * directory has none of them yet: regular files only, never through a link, never over a file,
   * the old files left where they are (keep-records.ts).
   */
  async migrateRecords(teamId: string, oldRecordsDir: string): Promise<MigrateResult> {
    const dir = this.recordsDir(teamId);
    // Both checks first without the lock: the usual answers (done, nothing to do) create nothing.
    if (await hasRecords(dir)) return { status: 'already', copied: [], skipped: [] };
    const skipped: Skipped[] = [];
    const old = await checkedOldRecords(this.claudeDir, oldRecordsDir, skipped);
    if (!old) return { status: 'nothing', copied: [], skipped };
    return this.serial(teamId, () => this.locked(teamId, async () => {
      if (await hasRecords(dir)) return { status: 'already' as const, copied: [], skipped };
      return migrateLocked(this.base, dir, old, skipped);
    }));
  }

  /** Updates the kept copy of a live team from its files (see the module comment). */
  async save(teamId: string, input: SaveInput): Promise<SaveResult> {
    assertSafeId('team', teamId);
    const pointers = input.pointers === undefined ? null : pointersOf(input.pointers);
    return this.serial(teamId, async () => {
      const scan = await scanLive(input.teamDir, input.tasksDir, this.limits);
      if (!scan) return { status: 'ended', copied: [], removed: [], skipped: [] };
      const manifest = await this.manifest(teamId);
      if (manifest && !this.needsSave(manifest, scan, input, pointers)) return { status: 'unchanged', copied: [], removed: [], skipped: scan.skipped };
      return this.locked(teamId, () => this.saveLocked(teamId, input, pointers));
    });
  }

  private needsSave(m: Manifest, scan: LiveScan, input: SaveInput, pointers: Pointers | null): boolean {
    const now = this.now();
    return !planIsEmpty(planSave(scan, m, now, this.graceMs)) || m.teamDir !== input.teamDir || m.tasksDir !== input.tasksDir
      || (pointers !== null && pointers.digest !== m.pointers) || now - m.lastSeen >= SEEN_REFRESH_MS;
  }

  private async saveLocked(teamId: string, input: SaveInput, pointers: Pointers | null): Promise<SaveResult> {
    // Listed again under the lock: another process may have saved while this one waited.
    const scan = await scanLive(input.teamDir, input.tasksDir, this.limits);
    if (!scan) return { status: 'ended', copied: [], removed: [], skipped: [] };
    const kept = this.keptDir(teamId);
    const manifest = await this.manifest(teamId);
    // …and may have left nothing to do.
    if (manifest && !this.needsSave(manifest, scan, input, pointers)) return { status: 'unchanged', copied: [], removed: [], skipped: scan.skipped };
    const now = this.now();
    const plan = planSave(scan, manifest, now, this.graceMs);
    const files = { ...(manifest?.files ?? {}) };
    const result: SaveResult = { status: 'saved', copied: [], removed: [], skipped: [...scan.skipped] };
    const dirs = ['team', 'team/inboxes', 'tasks'].map((d) => join(kept, d));
    for (const d of dirs) {
      await mkdirGuarded(this.base, d);
      await removeDeadTemps(d);
    }
    for (const f of plan.copy) {
      const r = await copyInto(this.base, join(kept, f.rel), f.src, this.limits.maxFileBytes, f.rel.endsWith('.json') ? wholeJson : undefined).catch((e: NodeJS.ErrnoException) => {
        // One live file teamtop may not read must not stop the rest from being kept.
        if (e.code === 'EACCES' || e.code === 'EPERM') return { copied: false as const, reason: `cannot be read (${e.code}): not kept` };
        throw e;
      });
      if (r.copied) { files[f.rel] = { ...f.stamp }; result.copied.push(f.rel); }
      // A file gone between the listing and the copy is found missing by the next save.
      else if (r.reason) result.skipped.push({ path: f.src, reason: r.reason });
    }
    for (const rel of plan.markGone) files[rel] = { ...files[rel]!, goneSince: now };
    for (const rel of plan.unmarkGone) {
      // A new entry, not an edit: the entries are shared with the cached manifest.
      const { goneSince: _back, ...entry } = files[rel]!;
      files[rel] = entry;
    }
    for (const rel of plan.remove) {
      await removeKeptFile(this.base, join(kept, rel));
      delete files[rel];
      result.removed.push(rel);
    }
    for (const d of dirs) await syncDir(d);
    if (pointers && pointers.digest !== manifest?.pointers) await writeFileAtomic(this.base, join(kept, 'pointers.json'), pointers.text);
    const seen: Seen = { lastSeen: new Date(now).toISOString(), teamDir: input.teamDir, tasksDir: input.tasksDir };
    await writeJsonAtomic(this.base, join(kept, 'seen.json'), seen);
    const next: Manifest = {
      version: 1, lastSeen: now, teamDir: input.teamDir, tasksDir: input.tasksDir, pointers: pointers?.digest ?? manifest?.pointers ?? null, files,
    };
    const path = join(kept, 'manifest.json');
    await writeFileAtomic(this.base, path, JSON.stringify(next) + '\n');
    await this.manifests.wrote(teamId, path, next);
    return result;
  }

  private manifest(teamId: string): Promise<Manifest | null> {
    return this.manifests.read(teamId, join(this.keptDir(teamId), 'manifest.json'));
  }

  /** The kept teams that are not live (a copy was saved, and `liveTeamIds` does not list them), newest first. */
  async ended(liveTeamIds: ReadonlySet<string>): Promise<KeptTeam[]> {
    const out: KeptTeam[] = [];
    for (const id of await keptTeamIds(this.base)) {
      if (liveTeamIds.has(id)) continue;
      const t = await readKeptTeam(id, this.keptDir(id));
      if (t) out.push(t);
    }
    return out.sort((a, b) => (a.lastSeen !== b.lastSeen ? (a.lastSeen < b.lastSeen ? 1 : -1) : a.id < b.id ? -1 : 1));
  }

  /**
   * Removes the copies of ended teams (no live directory) last saved more than 30 days before
   * `now`, records included. Returns their ids.
   */
  async prune(now: number = this.now()): Promise<string[]> {
    await emptyTrash(this.base); // what a killed prune left
    const removed: string[] = [];
    for (const id of await keptTeamIds(this.base)) {
      const keptDir = this.keptDir(id);
      const due = (): Promise<boolean> => endedBefore(keptDir, join(this.claudeDir, 'teams', id), now - KEEP_RETENTION_MS);
      if (!(await due())) continue;
      // Checked again under the lock: a save may have run since.
      if (await this.remove(id, due)) removed.push(id);
    }
    await emptyTrash(this.base);
    return removed;
  }

  /** Removes a team's kept copy and records (for tests and maintenance). False when there was none. */
  async forget(teamId: string): Promise<boolean> {
    const removed = await this.remove(teamId, async () => true);
    await emptyTrash(this.base);
    return removed;
  }

  private async remove(teamId: string, stillDue: () => Promise<boolean>): Promise<boolean> {
    if (!(await lstatOrNull(this.keptDir(teamId)))?.isDirectory()) return false;
    const gone = await this.serial(teamId, () => this.locked(teamId, async () => {
      if (!(await stillDue())) return false;
      await moveToTrash(this.base, this.keptDir(teamId));
      return true;
    }));
    if (gone) this.manifests.delete(teamId);
    return gone;
  }

  /** The state directory, claude/ (0700) and this home's directory, each a real directory. */
  private async ensureBase(): Promise<void> {
    await fsp.mkdir(this.stateDir, { recursive: true });
    await fsp.mkdir(join(this.stateDir, 'claude'), { mode: 0o700 }).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
    });
    await guardPath(this.stateDir, this.base, { final: 'dir', create: true });
    const home = join(this.base, 'home.json');
    if (!(await lstatOrNull(home))) await writeJsonAtomic(this.base, home, { claudeDir: resolve(this.claudeDir), realPath: realHome(this.claudeDir) });
  }

  /** Runs `fn` holding the team's lock (manifest.json.lock in its kept directory). */
  private async locked<T>(teamId: string, fn: () => Promise<T>): Promise<T> {
    await this.ensureBase();
    await mkdirGuarded(this.base, this.keptDir(teamId));
    return withLock(this.base, join(this.keptDir(teamId), 'manifest.json'), fn);
  }

  /** Runs the calls of this keeper for one team one at a time (the lock then never waits on itself). */
  private serial<T>(teamId: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(teamId) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.then(() => undefined, () => undefined);
    this.queues.set(teamId, tail);
    void tail.then(() => { if (this.queues.get(teamId) === tail) this.queues.delete(teamId); });
    return run;
  }
}

/**
 * Claude Code writes inboxes and config.json in place, not atomically: a copy taken mid-write is
 * not JSON. It is not kept (the last good copy stays); the next save copies the file again.
 */
async function wholeJson(copy: string): Promise<string | null> {
  try {
    JSON.parse(await fsp.readFile(copy, 'utf8'));
    return null;
  } catch {
    return 'not whole JSON now (Claude Code may be writing it): the kept copy stays as it was';
  }
}
