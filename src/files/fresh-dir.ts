// Directories teamtop creates for its own output (post-mortem reports). Output never goes into a
// directory that already holds something: an existing name is never replaced or removed, and a
// symbolic link where the directory goes is never followed, so a link or a file planted by a
// teammate (in the repository the lead runs teamtop from, say) cannot turn a report into an
// overwrite of something else.
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { kindOf, UnsafePathError } from './guard.js';

async function isEmptyRealDir(path: string): Promise<string | null> {
  const st = await fsp.lstat(path);
  if (!st.isDirectory()) return `it already exists (${kindOf(st)})`;
  const dir = await fsp.opendir(path);
  try {
    return (await dir.read()) === null ? null : 'it already exists and is not empty';
  } finally {
    await dir.close().catch(() => undefined);
  }
}

/**
 * Creates `path` (its parents as needed) for output, or takes it when it is an existing empty
 * real directory. Anything else there (a file, a link, a directory with entries) is refused.
 */
export async function makeFreshDir(path: string): Promise<string> {
  await fsp.mkdir(join(path, '..'), { recursive: true });
  try {
    await fsp.mkdir(path);
    return path;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const why = await isEmptyRealDir(path);
  if (why) throw new UnsafePathError(path, why);
  return path;
}

/** The most numbered variants tried for one name before giving up. */
const MAX_VARIANTS = 100;

/**
 * Creates a new directory named `name` in `parent` (itself created when absent; it must be a real
 * directory, not a link), or `name-2`, `name-3`… when that name is taken. Returns its path.
 */
export async function makeNumberedDir(parent: string, name: string): Promise<string> {
  try {
    await fsp.mkdir(parent);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const st = await fsp.lstat(parent);
  if (!st.isDirectory()) throw new UnsafePathError(parent, `it is ${kindOf(st)}, not a directory (choose the report directory with --out)`);
  for (let i = 1; i <= MAX_VARIANTS; i++) {
    const path = join(parent, i === 1 ? name : `${name}-${i}`);
    try {
      await fsp.mkdir(path);
      return path;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  throw new UnsafePathError(join(parent, name), `it and ${MAX_VARIANTS - 1} numbered variants already exist`);
}
