// A temporary git repository with a team's work in every state git distinguishes: committed on a
// branch after the base, staged, modified, deleted and untracked.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, realpathSync, writeFileSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } }).trim();
}

export function initRepo(dir: string): void {
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Test');
  git(dir, 'config', 'user.email', 'test@example.com');
  git(dir, 'config', 'commit.gpgsign', 'false');
  writeFileSync(join(dir, 'README.md'), 'base\n');
  writeFileSync(join(dir, 'app.js'), 'console.log(1);\n');
  writeFileSync(join(dir, 'gone.txt'), 'will be deleted in the work tree\n');
  writeFileSync(join(dir, '.gitignore'), 'ignored.log\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'base');
}

/**
 * A repository with `files` committed on main as "base", checked out on a new branch `team-work`
 * (the start of every hostile-git test's world).
 */
export function teamRepo(repo: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) put(repo, rel, text);
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.name', 'Test');
  git(repo, 'config', 'user.email', 'test@example.com');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'base');
  git(repo, 'checkout', '-q', '-b', 'team-work');
}

/** Team work on branch `team-work`: a commit after main, then staged/unstaged/untracked changes. */
export function makeWork(dir: string): void {
  git(dir, 'checkout', '-q', '-b', 'team-work');
  writeFileSync(join(dir, 'feature.js'), 'export const feature = 1;\n');
  git(dir, 'add', 'feature.js');
  git(dir, 'commit', '-q', '-m', 'feature work');
  writeFileSync(join(dir, 'staged.js'), 'staged\n');
  git(dir, 'add', 'staged.js');
  writeFileSync(join(dir, 'app.js'), 'console.log(2); // modified, not staged\n');
  git(dir, 'rm', '-q', '--cached', 'gone.txt');
  writeFileSync(join(dir, 'untracked.txt'), 'untracked\n');
  mkdirSync(join(dir, 'new-dir'), { recursive: true });
  writeFileSync(join(dir, 'new-dir', 'binary.bin'), Buffer.from([0, 1, 2, 255, 254, 0, 10]));
  writeFileSync(join(dir, 'run.sh'), '#!/bin/sh\necho hi\n');
  chmodSync(join(dir, 'run.sh'), 0o755);
  writeFileSync(join(dir, 'ignored.log'), 'ignored\n');
}

/**
 * Every file under dir (except .git and `skip`), with its bytes and exact mode (permission bits);
 * symlinks as mode 0o120000 with their target as the bytes; empty directories as "<path>/" with
 * mode 0o040000 | their permission bits.
 */
export function snapshotTree(dir: string, skip: string[] = []): Record<string, { mode: number; bytes: string }> {
  const out: Record<string, { mode: number; bytes: string }> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const rel = relative(dir, p);
      if (rel === '.git' || skip.some((s) => rel === s || rel.startsWith(`${s}/`))) continue;
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out[rel] = { mode: 0o120000, bytes: readlinkSync(p, { encoding: 'buffer' }).toString('base64') };
      else if (st.isDirectory()) {
        if (readdirSync(p).length === 0) out[`${rel}/`] = { mode: 0o040000 | (st.mode & 0o7777), bytes: '' };
        walk(p);
      } else out[rel] = { mode: st.mode & 0o7777, bytes: readFileSync(p).toString('base64') };
    }
  };
  walk(dir);
  return out;
}

/** git's view of a repository: index entries, both diffs, HEAD and where it points (raw bytes). */
export function gitView(dir: string): { index: string; diff: string; cached: string; head: string; symref: string; status: string } {
  const run = (...args: string[]): string => {
    const r = spawnSync('git', args, { cwd: dir, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' } });
    return r.stdout.toString('latin1');
  };
  return {
    index: run('ls-files', '-s', '-z') + run('ls-files', '-t', '-v', '-z'),
    diff: run('diff', '--binary', '--no-ext-diff', '--no-color'),
    cached: run('diff', '--cached', '--binary', '--no-ext-diff', '--no-color'),
    head: run('rev-parse', '--verify', '--quiet', 'HEAD'),
    symref: run('symbolic-ref', '--quiet', 'HEAD'),
    status: run('status', '--porcelain=v1', '-z', '--untracked-files=all'),
  };
}

/** Writes `content` at dir/rel (creating directories) with the exact `mode`. */
export function put(dir: string, rel: string, content: string | Buffer, mode = 0o644): void {
  mkdirSync(join(dir, rel, '..'), { recursive: true });
  writeFileSync(join(dir, rel), content);
  chmodSync(join(dir, rel), mode);
}

/**
 * Every test in the file gets git without the user's global and system config (no signing, hooks
 * path or identity leaking in), and repositories under the real temp dir with discovery stopped
 * there. Call at the top level of a test file.
 */
export function isolateGit(hooks: { beforeAll: (fn: () => void) => void; afterAll: (fn: () => void) => void }): void {
  const keys = ['GIT_CONFIG_GLOBAL', 'GIT_CONFIG_NOSYSTEM', 'GIT_CEILING_DIRECTORIES'] as const;
  const saved: Record<string, string | undefined> = {};
  hooks.beforeAll(() => {
    for (const k of keys) saved[k] = process.env[k];
    process.env.GIT_CONFIG_GLOBAL = '/dev/null';
    process.env.GIT_CONFIG_NOSYSTEM = '1';
    process.env.GIT_CEILING_DIRECTORIES = realpathSync(tmpdir());
  });
  hooks.afterAll(() => {
    for (const k of keys) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });
}

/** A new directory under the real temp dir. */
export function realTempDir(prefix = 'teamtop-git-'): string {
  return mkdtempSync(join(realpathSync(tmpdir()), prefix));
}

// --- Hostile repositories (test/git-hostile-*.test.ts): objects a teammate can craft with git. ---

/** A blob with `content` written to the object store; its id. */
export function gitBlob(dir: string, content: string | Buffer): string {
  return execFileSync('git', ['hash-object', '-w', '--stdin'], { cwd: dir, input: content, encoding: 'utf8' }).trim();
}

/** A tree of exactly these entries (names as given: git mktree accepts "..", ".git", ""). */
export function gitTree(dir: string, entries: ReadonlyArray<{ mode: string; sha: string; name: string }>): string {
  const input = Buffer.concat(entries.map((e) => Buffer.from(`${e.mode} ${e.mode === '040000' ? 'tree' : e.mode === '160000' ? 'commit' : 'blob'} ${e.sha}\t${e.name}\0`, 'latin1')));
  return execFileSync('git', ['mktree', '-z', '--missing'], { cwd: dir, input, encoding: 'utf8' }).trim();
}

/** The top-level entries of a tree. */
export function treeEntries(dir: string, tree: string): Array<{ mode: string; sha: string; name: string }> {
  const out = execFileSync('git', ['ls-tree', '-z', tree], { cwd: dir }).toString('latin1');
  return out.split('\0').filter((r) => r !== '').map((r) => {
    const m = /^(\d+) \w+ ([0-9a-f]+)\t(.*)$/s.exec(r)!;
    return { mode: m[1]!, sha: m[2]!, name: m[3]! };
  });
}

/** A copy of object `sha` (a commit, say) with its raw text edited; the new object's id. */
export function rewriteObject(dir: string, sha: string, edit: (raw: string) => string): string {
  const type = git(dir, 'cat-file', '-t', sha);
  const raw = execFileSync('git', ['cat-file', type, sha], { cwd: dir }).toString('latin1');
  return execFileSync('git', ['hash-object', '-t', type, '-w', '--stdin', '--literally'], { cwd: dir, input: Buffer.from(edit(raw), 'latin1'), encoding: 'utf8' }).trim();
}

/** The raw bytes of blob `sha`. */
export function blobBytes(dir: string, sha: string): Buffer {
  return execFileSync('git', ['cat-file', 'blob', sha], { cwd: dir });
}

/** Every file under dir/.git with its size and mtime (a refusal must leave them all as they are). */
export function gitDirFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p);
      else out.push(`${relative(dir, p)} ${st.size} ${st.mtimeMs} ${st.mode}`);
    }
  };
  walk(join(dir, '.git'));
  return out.sort();
}

/** Everything a refused operation must leave byte-identical: files, git's view, refs, .git/. */
export function repoState(dir: string): { tree: ReturnType<typeof snapshotTree>; view: ReturnType<typeof gitView>; refs: string; gitDir: string[] } {
  return { tree: snapshotTree(dir), view: gitView(dir), refs: git(dir, 'for-each-ref', '--format=%(objectname) %(refname)'), gitDir: gitDirFiles(dir) };
}

/** A tree entry holding `path` ('/'-separated, components taken literally: "..", ".git") with `content`. */
export function nestedEntry(repo: string, path: string, content: string): { mode: string; sha: string; name: string } {
  const parts = path.split('/');
  let e = { mode: '100644', sha: gitBlob(repo, content), name: parts.pop()! };
  while (parts.length > 0) e = { mode: '040000', sha: gitTree(repo, [e]), name: parts.pop()! };
  return e;
}

/** Re-points `ref` (a commit) at a copy whose tree also has `path`. */
export function addPathToCommit(repo: string, ref: string, path: string, content = 'pwned\n'): void {
  const c = git(repo, 'rev-parse', ref);
  const tree = git(repo, 'rev-parse', `${c}^{tree}`);
  const hostile = gitTree(repo, [...treeEntries(repo, tree), nestedEntry(repo, path, content)]);
  git(repo, 'update-ref', ref, rewriteObject(repo, c, (raw) => raw.replace(/^tree [0-9a-f]+/, `tree ${hostile}`)));
}
