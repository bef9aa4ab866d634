// The archive of an aborted team: a copy of its directory beside it, `<team>.ABORTED-<ts>`. It is
// built under a temporary name of teamtop's own and renamed into place, so a copy killed half way
// never looks like an archive and a retry starts afresh.
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { copyTree, type CopyResult } from './copy.js';
import { guardPath } from './guard.js';
import { isTeamtopTemp } from './write.js';

const PARTIAL = /^\.(.+)\.teamtop-(\d+)-[0-9a-f]{8}\.partial$/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return pid !== process.pid;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Files that are not part of a team's state: lock directories, teamtop's temp files. */
function notState(_rel: string, name: string): boolean {
  return name.endsWith('.lock') || isTeamtopTemp(name) || PARTIAL.test(name);
}

/**
 * Copies `teamDir` (inside `base`) to its sibling `name`, which must not exist. Regular files and
 * directories only (see copyTree); skipped entries are returned.
 */
export async function archiveTeamDir(base: string, teamDir: string, name: string, skip: (rel: string, name: string) => boolean = () => false): Promise<CopyResult> {
  // Guards take the paths as given (under `base`, which may itself be reached through a link the
  // user chose) and return them under base's real path, which the file operations use.
  const src = await guardPath(base, teamDir, { final: 'dir' });
  const wanted = join(dirname(teamDir), name);
  const dest = await guardPath(base, wanted, { final: 'dir', mustNotExist: true });
  const parent = dirname(dest);
  for (const n of await fsp.readdir(parent)) {
    const m = PARTIAL.exec(n);
    if (m && m[1] === name && !alive(Number(m[2]))) await fsp.rm(join(parent, n), { recursive: true, force: true });
  }
  const partial = join(parent, `.${basename(dest)}.teamtop-${process.pid}-${randomBytes(4).toString('hex')}.partial`);
  try {
    const r = await copyTree(src, partial, (rel, n) => notState(rel, n) || skip(rel, n));
    await guardPath(base, wanted, { final: 'dir', mustNotExist: true });
    await fsp.rename(partial, dest);
    return r;
  } catch (e) {
    await fsp.rm(partial, { recursive: true, force: true }).catch(() => undefined);
    throw e;
  }
}
