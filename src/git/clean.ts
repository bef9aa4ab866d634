// The clean step of a rollback: what `git clean -d` would remove is saved to the backup first, then
// removed file by file (each checked unchanged since it was hashed), then the directories left
// empty. Never a protected directory, never anything the backup does not hold.
import { ensureSaved } from './augment.js';
import { isUnder, WorkTree } from './paths.js';
import { crashPoint, type GitContext } from './run.js';
import { SafeTree, UnsafeWriteError } from './safe-fs.js';
import { show } from './safe-path.js';
import { cleanListing, dirModesOf, hashPaths, stampOf } from './snapshot.js';
import { isProtected } from './targets.js';
import type { Protected } from './targets.js';

/** Ends every refusal of a write in the work tree during a rollback. */
export const RERUN_NOTE = '; nothing was lost (the backup ref holds everything): run the action again';

export interface RollbackOptions {
  prot: readonly Protected[];
  /** Where what the rollback removes is saved first (validated full ref), or null (no saving). */
  backupRef: string | null;
  env: Record<string, string>;
  now: () => Date;
}

/**
 * What `git clean -d` would remove now (with the index in `indexEnv`, default the real one):
 * saved to the backup first, then removed file by file (each checked unchanged since it was
 * hashed), then the directories that became empty. Directories in `keepDirs` stay.
 */
export async function cleanPhase(
  g: GitContext, opts: RollbackOptions, crashName: string, indexEnv?: Record<string, string>, keepDirs: ReadonlySet<string> = new Set(),
): Promise<void> {
  // An untracked .gitignore that goes in one pass kept what it ignored in that pass: go again.
  for (let pass = 0; pass < 4; pass++) {
    if (!(await cleanPass(g, opts, crashName, indexEnv, keepDirs))) return;
  }
}

/** One pass of cleanPhase; whether it removed a .gitignore. */
async function cleanPass(
  g: GitContext, opts: RollbackOptions, crashName: string, indexEnv: Record<string, string> | undefined, keepDirs: ReadonlySet<string>,
): Promise<boolean> {
  const wt = new WorkTree(g.top);
  const prot = opts.prot;
  const files: string[] = [];
  const dirs: string[] = [];
  const empties = new Map<string, number>();
  for (const p of await cleanListing(g, prot, indexEnv)) {
    const st = await wt.lstat(p);
    if (!st) continue;
    if (st.isDirectory()) {
      const w = await wt.walk(p, (q) => isProtected(q, prot));
      for (const f of w.files) files.push(f);
      for (const d of w.dirs) dirs.push(d);
      for (const d of w.emptyDirs) {
        if (keepDirs.has(d)) continue;
        const ds = await wt.lstat(d);
        if (ds) empties.set(d, Number(ds.mode) & 0o7777);
      }
    } else files.push(p);
  }
  if (files.length === 0 && dirs.length === 0) return false;
  const entries = await hashPaths(g, wt, files.map((path) => ({ path, kind: 'untracked' as const })));
  if (opts.backupRef) {
    await ensureSaved(g, opts.backupRef, {
      entries, emptyDirs: empties, dirModes: await dirModesOf(wt, entries.map((e) => e.path), empties.keys()), env: opts.env, now: opts.now(),
    });
  }
  const half = Math.max(1, Math.floor(entries.length / 2));
  let n = 0;
  // Removed through a SafeTree: never through a symbolic link swapped in meanwhile.
  const out = new SafeTree(g.top, RERUN_NOTE);
  try {
    for (const e of entries) {
      const st = out.lstat(e.path);
      if (!st) continue;
      if (stampOf(st) !== e.stamp) {
        throw new Error(`${show(e.path)} changed while the rollback was removing it; nothing was lost: run the action again`);
      }
      out.unlink(e.path);
      if (++n === half) crashPoint(crashName);
    }
    const depth = (p: string): number => p.split('/').length;
    for (const d of [...new Set(dirs)].sort((a, b) => depth(b) - depth(a) || (a < b ? 1 : -1))) {
      if (keepDirs.has(d) || isProtected(d, prot) || prot.some((x) => isUnder(x.key, d))) continue;
      if (!out.lstat(d)?.isDirectory()) continue;
      try {
        out.rmdir(d);
      } catch (e) {
        if (e instanceof UnsafeWriteError) throw e;
        // not empty (a nested repository, something new): left
      }
    }
  } finally {
    out.close();
  }
  return entries.some((e) => e.path === '.gitignore' || e.path.endsWith('/.gitignore'));
}

