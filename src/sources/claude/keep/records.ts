// teamtop's records of a Claude Code team (actions.jsonl, alert-acks.json, rollback.json) moving
// from teams/<team>/teamtop/, which Claude Code deletes with the team, to the keeper's records
// directory (keep.ts). Copied, never moved: an older teamtop may still read the old place.
import { join, isAbsolute, relative } from 'node:path';
import { guardPath, UnsafePathError } from '../../../files/guard.js';
import { MAX_COPY_BYTES } from '../../../files/copy.js';
import { mkdirGuarded } from '../../../files/write.js';
import { ACTIONS_FILE, ROLLBACK_FILE } from '../../../ports/effects.js';
import { ACKS_FILE } from '../../../ports/acks.js';
import type { Skipped } from './scan.js';
import { discard, prepareCopy, publishNew, syncDir, type Prepared } from './io.js';
import { lstatOrNull } from './read.js';

export const RECORD_FILES = [ACTIONS_FILE, ACKS_FILE, ROLLBACK_FILE];

export interface MigrateResult {
  /** 'already': the new records directory had records; 'nothing': the old one had none. */
  status: 'migrated' | 'already' | 'nothing';
  /** The names copied. */
  copied: string[];
  skipped: Skipped[];
}

/** Whether `dir` holds any of the records (of any kind: a link there is not replaced either). */
export async function hasRecords(dir: string): Promise<boolean> {
  return (await Promise.all(RECORD_FILES.map((n) => lstatOrNull(join(dir, n))))).some(Boolean);
}

/**
 * The old records directory, when it exists and is a real directory with no link on the way from
 * the Claude Code home (when it lies inside it); else null, and a link or non-directory reported.
 */
export async function checkedOldRecords(claudeDir: string, oldDir: string, skipped: Skipped[]): Promise<string | null> {
  const rel = relative(claudeDir, oldDir);
  try {
    // guardPath only checks here (no create): every component a real directory.
    if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) await guardPath(claudeDir, oldDir, { final: 'dir' });
    const st = await lstatOrNull(oldDir);
    if (!st) return null;
    if (!st.isDirectory()) throw new UnsafePathError(oldDir, 'it is not a directory');
    return oldDir;
  } catch (e) {
    if (!(e instanceof UnsafePathError)) throw e;
    skipped.push({ path: oldDir, reason: `${e.reason}: records not migrated` });
    return null;
  }
}

/**
 * Copies the records of `oldDir` into `dir` (inside `base`), the caller holding the team's lock
 * and having found `dir` without records. Every copy is made (streamed, fsynced) before any is
 * published, so a kill can only cut the migration in the few link(2) calls at its end; and a
 * record a writer created meanwhile is never replaced (link fails on an existing name).
 */
export async function migrateLocked(base: string, dir: string, oldDir: string, skipped: Skipped[]): Promise<MigrateResult> {
  await mkdirGuarded(base, dir);
  const ready: Array<{ name: string; p: Prepared }> = [];
  try {
    for (const name of RECORD_FILES) {
      const p = await prepareCopy(base, join(dir, name), join(oldDir, name), MAX_COPY_BYTES);
      if ('tmp' in p) ready.push({ name, p });
      else if (p.reason) skipped.push({ path: join(oldDir, name), reason: p.reason });
    }
  } catch (e) {
    for (const r of ready) await discard(r.p);
    throw e;
  }
  const copied: string[] = [];
  let i = 0;
  try {
    for (; i < ready.length; i++) {
      const { name, p } = ready[i]!;
      if (await publishNew(p)) copied.push(name);
      else skipped.push({ path: join(oldDir, name), reason: 'the records directory already has this file: not overwritten' });
    }
  } catch (e) {
    // The copies not published yet go (publishNew discards its own, published or not).
    for (const r of ready.slice(i + 1)) await discard(r.p);
    throw e;
  }
  await syncDir(dir);
  return { status: copied.length > 0 ? 'migrated' : 'nothing', copied, skipped };
}
