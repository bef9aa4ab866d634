// Listing a state root: a directory that is there but cannot be read (permissions, an I/O error)
// is a different thing from one that is not there, and is said with the OS's reason — never taken
// for "no teams" or silently left out.
import { promises as fsp } from 'node:fs';

/** Whether an error means the path is not there (absent, or gone meanwhile): nothing to report. */
export function isAbsent(e: unknown): boolean {
  return (e as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

/** A root error's message for an OS error: "cannot read: EACCES: permission denied, scandir '…'". */
export function cannotRead(e: unknown): string {
  return `cannot read: ${e instanceof Error ? e.message : String(e)}`;
}

/** Why the directory at `path` cannot be listed, or null: it can, or it is not there. */
export async function whyUnlistable(path: string | Buffer): Promise<string | null> {
  try {
    await (await fsp.opendir(path)).close();
    return null;
  } catch (e) {
    return isAbsent(e) ? null : cannotRead(e);
  }
}
