// Paths that come from git objects (trees, a saved index, a backup's manifest) are untrusted: a
// teammate who can run git in the repository can make a tree with an entry named `..` (git mktree
// accepts it) or edit a manifest. Before anything is written, every such path is checked against
// the rules git's own verify_path applies before it writes a path (with core.protectNTFS and
// core.protectHFS both on, as on the strictest platform): no empty, `.` or `..` component, no
// leading `/`, no `.git` component (any case; nor the forms NTFS and HFS+ take for `.git`:
// trailing dots and spaces, `git~1`, ignorable code points), no `.gitmodules` symlink.
import { utf8Of } from './paths.js';

/** A path from a tree, an index or a manifest that must never be written. Nothing was written. */
export class UnsafeTreePathError extends Error {
  constructor(readonly what: string, readonly path: string, readonly reason: string) {
    super(`${what} has an unsafe path ${show(path)} (${reason}): refusing it before writing anything`);
    this.name = 'UnsafeTreePathError';
  }
}

/** A latin1 path for messages: as UTF-8 when it is, JSON-quoted (control characters escaped). */
export function show(p: string): string {
  return JSON.stringify(utf8Of(p) ?? p);
}

// `.git` or `git~1` (NTFS short name), any case, then only dots and spaces (NTFS drops them), or
// an NTFS stream suffix (`:...`).
const NTFS_DOTGIT = /^(?:\.[gG][iI][tT]|[gG][iI][tT]~1)[. ]*(?::.*)?$/;
// `.gitmodules` and its NTFS short names (`gitmod~1`..`gitmod~4`), the same way.
const NTFS_DOTGITMODULES = /^(?:\.[gG][iI][tT][mM][oO][dD][uU][lL][eE][sS]|[gG][iI][tT][mM][oO][dD]~[1-4])[. ]*(?::.*)?$/;
// Code points HFS+ ignores in names (is_hfs_dotgit).
const HFS_IGNORABLE = /[\u200c-\u200f\u202a-\u202e\u206a-\u206f\ufeff]/g;

function hfsName(component: string): string | null {
  const u = utf8Of(component);
  return u === null ? null : u.replace(HFS_IGNORABLE, '').toLowerCase();
}

/** Why one path component may not be written, or null. */
function componentProblem(c: string, link: boolean): string | null {
  if (c === '') return 'an empty component';
  if (c === '.' || c === '..') return `a "${c}" component`;
  // NTFS also splits at backslashes: each part is checked (git does the same with protectNTFS).
  for (const part of c.split('\\')) {
    if (NTFS_DOTGIT.test(part)) return `a component ${show(c)} that is .git on some file systems`;
    if (link && NTFS_DOTGITMODULES.test(part)) return 'a symbolic link named .gitmodules';
  }
  const h = hfsName(c);
  if (h === '.git') return `a component ${show(c)} that is .git on some file systems`;
  if (link && h === '.gitmodules') return 'a symbolic link named .gitmodules';
  return null;
}

/**
 * Why `p` (latin1, '/'-separated, relative to the top of the work tree) may not be written, or
 * null when it is safe. `mode` is its tree mode when known (a symlink is checked more strictly).
 */
export function pathProblem(p: string, mode?: string): string | null {
  if (p === '') return 'it is empty';
  if (p.startsWith('/')) return 'it is absolute';
  if (p.includes('\0')) return 'it has a NUL byte';
  const parts = p.split('/');
  for (let i = 0; i < parts.length; i++) {
    const why = componentProblem(parts[i]!, mode === '120000' && i === parts.length - 1);
    if (why) return `it has ${why}`;
  }
  return null;
}

/** Throws UnsafeTreePathError for the first unsafe path. */
export function assertSafePath(what: string, p: string, mode?: string): void {
  const why = pathProblem(p, mode);
  if (why) throw new UnsafeTreePathError(what, p, why);
}

/**
 * Checks every path of a listing (path -> entry with its mode): each safe, and no path both a file
 * and a directory (a tree with two entries of one name), which a restore could not write.
 */
export function assertSafeListing(what: string, entries: ReadonlyMap<string, { mode: string }>): void {
  for (const [p, e] of entries) {
    assertSafePath(what, p, e.mode);
    let i = p.indexOf('/');
    while (i >= 0) {
      if (entries.has(p.slice(0, i))) throw new UnsafeTreePathError(what, p.slice(0, i), 'it is both a file and a directory');
      i = p.indexOf('/', i + 1);
    }
  }
}
