// The manifest of a kept team (keep.ts): which version (stamp) of each live file its copy holds,
// when it was last saved, and a digest of its pointers. manifest.json is written last by a save,
// so it is the commit record; a keeper keeps it in memory while the file's own stamp is unchanged,
// which makes a save with nothing new a matter of lstat calls. planSave compares it with the live
// files.
import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { readRegularTextOrNull } from '../../../files/read.js';
import { isKeptName, sameStamp, type LiveFile, type LiveScan, type Stamp } from './scan.js';
import { lstatOrNull } from './read.js';

export interface ManifestEntry extends Stamp {
  /** When a save first found the live file missing (ms); the copy goes only a grace period later. */
  goneSince?: number;
}

/** manifest.json: the commit record of the last save (written last, under the team's lock). */
export interface Manifest {
  version: 1;
  /** The last save (ms since the epoch). */
  lastSeen: number;
  teamDir: string;
  tasksDir: string;
  /** sha256 of pointers.json's JSON text, or null when none was given. */
  pointers: string | null;
  files: Record<string, ManifestEntry>;
}

/** A manifest's rel must name a kept file: a damaged manifest never makes keep.ts touch another path. */
const REL = /^(?:team\/config\.json|team\/inboxes\/[^/]+|tasks\/[^/]+)$/;

export function validRel(rel: string): boolean {
  return REL.test(rel) && isKeptName(rel.slice(rel.lastIndexOf('/') + 1));
}

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Parses manifest.json; null when it is not one (then the next save copies everything again). */
export function parseManifest(text: string): Manifest | null {
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (!v || typeof v !== 'object' || v.version !== 1 || !num(v.lastSeen) || typeof v.teamDir !== 'string' || typeof v.tasksDir !== 'string') return null;
  if (!v.files || typeof v.files !== 'object') return null;
  const files: Record<string, ManifestEntry> = {};
  for (const [rel, e] of Object.entries(v.files as Record<string, Record<string, unknown>>)) {
    if (!validRel(rel) || !e || !num(e.size) || !num(e.mtimeMs) || !num(e.ctimeMs) || !num(e.ino)) continue;
    files[rel] = { size: e.size, mtimeMs: e.mtimeMs, ctimeMs: e.ctimeMs, ino: e.ino, ...(num(e.goneSince) ? { goneSince: e.goneSince } : {}) };
  }
  return { version: 1, lastSeen: v.lastSeen, teamDir: v.teamDir, tasksDir: v.tasksDir, pointers: typeof v.pointers === 'string' ? v.pointers : null, files };
}

export interface SavePlan {
  /** New or changed live files. */
  copy: LiveFile[];
  /** Missing live for the first time (or back): only the manifest changes. */
  markGone: string[];
  unmarkGone: string[];
  /** Missing live for longer than the grace period: their copies are removed. */
  remove: string[];
}

/**
 * What a save must do to make the copy match the scan. A file missing live is only marked at
 * first and removed `graceMs` later (if a save then still finds the team directory): Claude Code
 * ends a team with a recursive removal, and a save that runs in the middle of it sees a living
 * team directory whose files are half gone. Those copies must survive it.
 */
export function planSave(scan: LiveScan, manifest: Manifest | null, now: number, graceMs: number): SavePlan {
  const plan: SavePlan = { copy: [], markGone: [], unmarkGone: [], remove: [] };
  const kept = manifest?.files ?? {};
  for (const f of scan.files.values()) {
    const k = kept[f.rel];
    if (!k || !sameStamp(k, f.stamp)) plan.copy.push(f);
    else if (k.goneSince !== undefined) plan.unmarkGone.push(f.rel);
  }
  for (const [rel, k] of Object.entries(kept)) {
    if (scan.files.has(rel)) continue;
    if (scan.present.has(rel)) {
      if (k.goneSince !== undefined) plan.unmarkGone.push(rel);
      continue;
    }
    if (scan.unknown.some((p) => rel.startsWith(p))) continue;
    if (k.goneSince === undefined) plan.markGone.push(rel);
    else if (now - k.goneSince >= graceMs) plan.remove.push(rel);
  }
  return plan;
}

export function planIsEmpty(p: SavePlan): boolean {
  return p.copy.length + p.markGone.length + p.unmarkGone.length + p.remove.length === 0;
}

/** The integrator's pointers as pointers.json's text, with its digest (kept in the manifest). */
export interface Pointers { text: string; digest: string }

const MAX_POINTERS_BYTES = 1024 * 1024;

export function pointersOf(value: unknown): Pointers {
  const json = JSON.stringify(value, null, 2) as string | undefined;
  if (json === undefined) throw new TypeError('pointers must be a JSON value');
  const text = json + '\n';
  if (Buffer.byteLength(text) > MAX_POINTERS_BYTES) throw new RangeError(`pointers are over ${MAX_POINTERS_BYTES} bytes`);
  return { text, digest: createHash('sha256').update(text).digest('hex') };
}

const stampKey = (st: Stats): string => `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;

/** Parsed manifests by team, each valid while its file's stamp is the one it was read (or written) with. */
export class ManifestCache {
  private readonly byTeam = new Map<string, { key: string; manifest: Manifest }>();

  /** The manifest at `path`: from memory while unchanged, else read again; null when absent or damaged. */
  async read(teamId: string, path: string): Promise<Manifest | null> {
    const st = await lstatOrNull(path);
    if (!st || !st.isFile()) return null;
    const hit = this.byTeam.get(teamId);
    if (hit && hit.key === stampKey(st)) return hit.manifest;
    const r = await readRegularTextOrNull(path).catch(() => null);
    const manifest = r ? parseManifest(r.text) : null;
    if (manifest && r) this.byTeam.set(teamId, { key: stampKey(r.st), manifest });
    return manifest;
  }

  /** After writing `manifest` to `path`. */
  async wrote(teamId: string, path: string, manifest: Manifest): Promise<void> {
    const st = await lstatOrNull(path);
    if (st) this.byTeam.set(teamId, { key: stampKey(st), manifest });
  }

  delete(teamId: string): void {
    this.byTeam.delete(teamId);
  }
}
