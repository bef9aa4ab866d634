// Ignored files a rollback would destroy: those a target tracks or puts a file or directory
// over, and those its .gitignore files no longer ignore (which the clean after a reset removes).
import { closeSync, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { forEachBlobChunk, writeData } from './blob-chunks.js';
import { withTempDir } from './objects.js';
import { ancestors, nulList, WorkTree } from './paths.js';
import type { GitContext } from './run.js';
import { SafeTree } from './safe-fs.js';
import { assertSafePath } from './safe-path.js';
import { excludeArgs, isProtected, type Protected, type Target } from './targets.js';

/** `p` collides with the target: the target has a file or directory at p, or a file above it. */
function collides(t: Target, p: string): boolean {
  return t.files.has(p) || t.dirs.has(p) || ancestors(p).some((a) => t.files.has(a));
}

/**
 * The ignored files (latin1 paths) that a rollback to each target would overwrite, remove, or
 * leave to `git clean` because the target's .gitignore files no longer ignore them. Ignored
 * directories that stay ignored and collide with nothing (node_modules) are not looked into.
 * The target's rules are evaluated in a scratch work tree holding only its .gitignore files
 * ($GIT_DIR/info/exclude and core.excludesFile apply to both sides alike); ignore files that
 * would survive a rollback untracked are not used, so the answer errs on the side of saving.
 */
export async function ignoredAtRisk(g: GitContext, wt: WorkTree, targets: readonly Target[], prot: readonly Protected[]): Promise<Set<string>> {
  const atRisk = new Set<string>();
  if (targets.length === 0) return atRisk;
  const listed = nulList((await g.run(['ls-files', '-z', '-o', '-i', '--exclude-standard', '--directory', ...excludeArgs(prot, '--exclude')])).stdout)
    .filter((p) => !isProtected(p.replace(/\/$/, ''), prot));
  if (listed.length === 0) return atRisk;
  const gitDir = await g.gitDir();
  const skip = (p: string): boolean => isProtected(p, prot);
  const walked = new Map<string, string[]>();
  const filesUnder = async (d: string): Promise<string[]> => {
    let f = walked.get(d);
    if (!f) {
      f = (await wt.walk(d, skip)).files;
      walked.set(d, f);
    }
    return f;
  };
  for (const t of targets) {
    await withTempDir(async (tmp) => {
      const mirror = join(tmp, 'rules');
      await fsp.mkdir(mirror);
      // The target's paths were checked when its tree was listed; the scratch writes are guarded
      // anyway (checked again, never through a link, never outside the scratch folder).
      const out = new SafeTree(mirror);
      try {
        const files = t.ignoreFiles.map((f) => ({ ...f, mode: '100644' }));
        await forEachBlobChunk(g, files, null, async (items, data) => {
          for (const [i, f] of items.entries()) {
            assertSafePath(t.label, f.path);
            const dir = f.path.slice(0, Math.max(0, f.path.lastIndexOf('/')));
            if (dir !== '') out.mkdirs(dir);
            const fd = out.openNew(f.path, 0o644);
            try {
              await writeData(fd, data[i]!);
            } finally {
              closeSync(fd);
            }
          }
        });
      } finally {
        out.close();
      }
      const env = { GIT_DIR: gitDir, GIT_WORK_TREE: mirror, GIT_INDEX_FILE: join(tmp, 'index') };
      const stillIgnored = async (paths: string[]): Promise<Set<string>> => {
        if (paths.length === 0) return new Set();
        const r = await g.run(['check-ignore', '--no-index', '-z', '--stdin'], { env, okCodes: [0, 1], input: Buffer.from(paths.map((p) => p + '\0').join(''), 'latin1') });
        return new Set(nulList(r.stdout));
      };
      const ask: string[] = [];
      const expand: Array<{ dir: string; all: boolean }> = [];
      for (const e of listed) {
        if (e.endsWith('/')) {
          const d = e.slice(0, -1);
          if (t.files.has(d) || ancestors(d).some((a) => t.files.has(a))) expand.push({ dir: d, all: true });
          else if (t.dirs.has(d)) expand.push({ dir: d, all: false });
          else ask.push(e);
        } else if (collides(t, e)) atRisk.add(e);
        else ask.push(e);
      }
      const first = await stillIgnored(ask);
      for (const e of ask) {
        if (first.has(e)) continue;
        if (e.endsWith('/')) expand.push({ dir: e.slice(0, -1), all: false });
        else atRisk.add(e);
      }
      const ask2: string[] = [];
      for (const { dir, all } of expand) {
        for (const f of await filesUnder(dir)) {
          if (all || collides(t, f)) atRisk.add(f);
          else ask2.push(f);
        }
      }
      const second = await stillIgnored(ask2);
      for (const f of ask2) if (!second.has(f)) atRisk.add(f);
    });
  }
  return atRisk;
}

