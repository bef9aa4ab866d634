// Paths inside a work tree, as git sees them: bytes. A path is held as a "latin1 string" (one
// character per byte, '/'-separated, relative to the top of the work tree) so that names that
// are not UTF-8 round-trip; file system calls get Buffers built from it. Nothing here follows a
// symbolic link: walks use lstat, and a path with a symlink among its leading directories is
// treated as absent (git does the same).
import { lstatSync, promises as fsp, readdirSync, type BigIntStats } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve as resolvePath, sep } from 'node:path';

/** Bytes of a JS (UTF-8) string as a latin1 string. */
export function latin1Of(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1');
}

/** The JS string of a latin1 path when its bytes are valid UTF-8, else null. */
export function utf8Of(p: string): string | null {
  const b = Buffer.from(p, 'latin1');
  const s = b.toString('utf8');
  return Buffer.from(s, 'utf8').equals(b) ? s : null;
}

export class WorkTree {
  private readonly topBuf: Buffer;
  private readonly dirCache = new Map<string, 'dir' | 'other' | 'missing'>();

  constructor(readonly top: string) {
    this.topBuf = Buffer.from(top.endsWith('/') ? top : `${top}/`, 'utf8');
  }

  /** Absolute path (a Buffer) of a latin1 path relative to the top. */
  abs(p: string): Buffer {
    return p === '' ? Buffer.from(this.top, 'utf8') : Buffer.concat([this.topBuf, Buffer.from(p, 'latin1')]);
  }

  /** Forget what is known about directories (after changing them). */
  forget(): void {
    this.dirCache.clear();
  }

  // Synchronous: tens of thousands of lstat calls are several times faster than through the
  // thread pool, and a rollback is one blocking operation anyway.
  private dirKind(d: string): 'dir' | 'other' | 'missing' {
    let k = this.dirCache.get(d);
    if (k === undefined) {
      const st = lstatSync(this.abs(d), { throwIfNoEntry: false });
      k = !st ? 'missing' : st.isDirectory() ? 'dir' : 'other';
      this.dirCache.set(d, k);
    }
    return k;
  }

  /** Every leading directory of `p` is a real directory (not a symlink, not missing). */
  leadingDirsOk(p: string): boolean {
    for (const a of ancestors(p)) if (this.dirKind(a) !== 'dir') return false;
    return true;
  }

  /** lstat of `p` (bigint), or null when it or a leading directory is missing or a symlink. */
  lstat(p: string): BigIntStats | null {
    if (!this.leadingDirsOk(p)) return null;
    try {
      return lstatSync(this.abs(p), { bigint: true, throwIfNoEntry: false }) ?? null;
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
  }

  /**
   * Files, symlinks and directories under directory `d` (not following symlinks); directories
   * for which `skip` returns true, and nested repositories (a `.git` entry), are not entered.
   */
  async walk(d: string, skip: (p: string) => boolean): Promise<{ files: string[]; dirs: string[]; emptyDirs: string[]; nested: string[] }> {
    const files: string[] = [];
    const dirs: string[] = [];
    const emptyDirs: string[] = [];
    const nested: string[] = [];
    const visit = (dir: string): void => {
      let list;
      try {
        list = readdirSync(this.abs(dir), { withFileTypes: true, encoding: 'buffer' });
      } catch (e) {
        if (isMissing(e)) return;
        throw e;
      }
      if (list.some((e) => e.name.toString('latin1') === '.git')) {
        nested.push(dir);
        return;
      }
      dirs.push(dir);
      if (list.length === 0) emptyDirs.push(dir);
      for (const e of list) {
        const p = `${dir}/${e.name.toString('latin1')}`;
        if (skip(p)) continue;
        if (e.isDirectory()) visit(p);
        else files.push(p);
      }
    };
    visit(d);
    return { files, dirs, emptyDirs, nested };
  }
}

export function isMissing(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** "a/b/c" -> ["a", "a/b"]. */
export function ancestors(p: string): string[] {
  const out: string[] = [];
  let i = p.indexOf('/');
  while (i >= 0) {
    out.push(p.slice(0, i));
    i = p.indexOf('/', i + 1);
  }
  return out;
}

/** `p` is `dir` or inside it. */
export function isUnder(p: string, dir: string): boolean {
  return p === dir || p.startsWith(`${dir}/`);
}

/** A gitignore pattern that matches exactly `rel` (a path from the top), whatever its characters. */
export function exactPattern(rel: string): string {
  return '/' + rel.replace(/[\\*?[\]!# \t]/g, (c) => `\\${c}`);
}

/** C-style unquoting of a path git printed ("a\"b\303\251" -> bytes), as a latin1 string. */
export function cUnquote(s: string): string {
  if (s.length < 2 || !s.startsWith('"') || !s.endsWith('"')) return s;
  const esc: Record<string, string> = { a: '\x07', b: '\b', t: '\t', n: '\n', v: '\v', f: '\f', r: '\r', '"': '"', '\\': '\\' };
  let out = '';
  for (let i = 1; i < s.length - 1; i++) {
    const c = s[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = s[i + 1] ?? '';
    if (/[0-3]/.test(n) && /^[0-7]{3}$/.test(s.slice(i + 1, i + 4))) {
      out += String.fromCharCode(parseInt(s.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      out += esc[n] ?? n;
      i += 1;
    }
  }
  return out;
}

/** A path line for `git hash-object --stdin-paths`: C-quoted when a plain line would not survive. */
export function stdinPathLine(p: string): string {
  if (!/[\n\r]/.test(p) && !p.startsWith('"')) return p;
  return '"' + p.replace(/[\\"\u0000-\u001f\u007f]/g, (c) => {
    if (c === '\\' || c === '"') return `\\${c}`;
    return `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`;
  }) + '"';
}

/** Why the bytes of a full ref name are not acceptable to git (check_refname_format), or null. */
export function refNameProblem(ref: Buffer): string | null {
  const s = ref.toString('latin1');
  if (!s.startsWith('refs/')) return 'does not start with refs/';
  if (/[\u0000-\u0020\u007f~^:?*[\\]/.test(s)) return 'has a control character, a space or one of ~^:?*[\\';
  if (s.includes('..') || s.includes('@{') || s.includes('//') || s.endsWith('/') || s.endsWith('.') || s === '@') return 'is malformed';
  for (const part of s.split('/')) {
    if (part === '' || part.startsWith('.') || part.endsWith('.lock')) return 'has a malformed component';
  }
  return null;
}

/** realpath of `p`, also when its last components do not exist yet. */
export async function realpathLoose(p: string): Promise<string> {
  const abs = resolvePath(p);
  try {
    return await fsp.realpath(abs);
  } catch (e) {
    if (!isMissing(e)) throw e;
    const parent = dirname(abs);
    if (parent === abs) return abs;
    return resolvePath(await realpathLoose(parent), basename(abs));
  }
}

/** `child` relative to `parent` ('/'-separated), or null when it is not inside it ('' when equal). */
export function relativeInside(parent: string, child: string): string | null {
  const rel = relative(parent, child);
  if (rel === '') return '';
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return null;
  return rel.split(sep).join('/');
}

/** A NUL-separated list of paths (latin1: one char per byte). */
export function nulList(buf: Buffer): string[] {
  return buf.toString('latin1').split('\0').filter((p) => p !== '');
}
