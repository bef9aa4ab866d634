// Git operations for the action layer: checkpoints (tags), backups that capture the whole work
// tree (staged, unstaged and untracked changes) without touching it, hard resets and exact
// restores. git always runs through execFile with an argument array, never a shell; every ref
// built from an id is validated (assertSafeId rules per component, then `git check-ref-format`)
// before git sees it, and revisions are passed after `--end-of-options` where git accepts it.
import { execFile } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { promisify } from 'node:util';
import { idProblem, UnsafeIdError } from './ids.js';

const execFileP = promisify(execFile);
const MAX_BUFFER = 64 * 1024 * 1024;

export const BACKUP_REF_PREFIX = 'refs/teamtop/backup/';
export const DEFAULT_IDENTITY = { name: 'teamtop', email: 'teamtop@localhost' } as const;

/** Inherited variables that would point git at another repository, index or object store. */
const REDIRECTING_ENV = [
  'GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_COMMON_DIR', 'GIT_PREFIX', 'GIT_NAMESPACE',
  'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_QUARANTINE_PATH',
];

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const TRAILER = /^teamtop-(branch|head|time): (.*)$/;

/** A git command that exited non-zero (or could not be started). */
export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
    readonly exitCode: number | null,
    detail?: string,
  ) {
    const sub = args.find((a) => !a.startsWith('-')) ?? 'git';
    const first = stderr.split('\n').map((l) => l.trim()).find((l) => l !== '');
    super(`git ${sub} failed: ${oneLine(detail ?? first ?? `exit code ${exitCode ?? 'unknown'}`)}`);
    this.name = 'GitError';
  }
}

/** The repository is in a state where acting on it would lose or corrupt work. */
export class GitStateError extends Error {
  constructor(
    readonly dir: string,
    readonly problems: readonly string[],
  ) {
    super(`git repository ${dir} is not safe to act on: ${problems.join('; ')}`);
    this.name = 'GitStateError';
  }
}

interface RunOptions {
  env?: Record<string, string>;
  input?: string | Buffer;
  /** Exit codes that are answers rather than failures (default: only 0). */
  okCodes?: readonly number[];
  /** Message for the GitError when git fails without saying why (e.g. with --quiet). */
  detail?: string;
}

interface RunResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

function oneLine(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
}

function gitEnv(extra?: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of REDIRECTING_ENV) delete env[k];
  return { ...env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...extra };
}

async function runGit(cwd: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const ok = opts.okCodes ?? [0];
  const p = execFileP('git', [...args], {
    cwd,
    env: gitEnv(opts.env),
    maxBuffer: MAX_BUFFER,
    encoding: 'buffer',
    windowsHide: true,
  });
  // stdin is a pipe: always close it so no command can wait for input.
  const stdin = p.child.stdin;
  if (stdin) {
    stdin.on('error', () => undefined); // EPIPE when git exits without reading everything
    stdin.end(opts.input ?? '');
  }
  try {
    const { stdout, stderr } = await p;
    return { code: 0, stdout, stderr: stderr.toString('utf8') };
  } catch (e) {
    if (e instanceof GitError) throw e;
    const err = e as NodeJS.ErrnoException & { code?: unknown; stdout?: Buffer; stderr?: Buffer };
    const stderr = Buffer.isBuffer(err.stderr) ? err.stderr.toString('utf8') : '';
    if (typeof err.code === 'number') {
      if (ok.includes(err.code)) {
        return { code: err.code, stdout: Buffer.isBuffer(err.stdout) ? err.stdout : Buffer.alloc(0), stderr };
      }
      throw new GitError(args, stderr, err.code, stderr.trim() === '' ? opts.detail : undefined);
    }
    // Not an exit code: git could not be started (ENOENT), output over maxBuffer, a signal.
    throw new GitError(args, stderr, null, err.code === 'ENOENT' ? `could not run git in ${cwd} (${err.message})` : err.message);
  }
}

function text(r: RunResult): string {
  return r.stdout.toString('utf8');
}

/** Output with the single trailing newline git adds removed (paths may contain spaces). */
function firstLine(r: RunResult): string {
  return text(r).replace(/\n$/, '');
}

/** Commit and tag messages: no control characters but newline and tab, never empty. */
function cleanMessage(message: string, fallback: string): string {
  const m = message.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').trim();
  return (m === '' ? fallback : m) + '\n';
}

/** Every `/`-separated component of `path` must be a safe id (see ids.ts). */
function assertSafeRefPath(kind: string, path: string): void {
  if (path === '') throw new UnsafeIdError(kind, path, 'is empty');
  for (const part of path.split('/')) {
    const p = idProblem(part);
    if (p) throw new UnsafeIdError(kind, path, part === path ? p : `has a component ${JSON.stringify(part)} that ${p}`);
  }
}

/** "20260228T145000Z": UTC, second precision, safe in a ref or file name. */
export function timestampForRef(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`timestampForRef: not a time: ${ms}`);
  const s = new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
  if (!/^\d{8}T\d{6}Z$/.test(s)) throw new RangeError(`timestampForRef: time out of range: ${ms}`);
  return s;
}

interface BackupInfo {
  sha: string;
  branch: string; // a branch name, or "detached"
  head: string; // a commit sha, or "none" (unborn branch)
  index: string; // commit I, whose tree is the saved index
}

export interface KeepOptions {
  /** Paths relative to the top of the work tree to leave untouched (they must be untracked). */
  keep?: readonly string[];
}

export class GitRepo {
  private topDir: Promise<string> | undefined;

  constructor(readonly dir: string) {}

  /** The work tree containing `startDir`, or null when it is not inside one. */
  static async find(startDir: string): Promise<GitRepo | null> {
    try {
      if (!(await fsp.stat(startDir)).isDirectory()) return null;
    } catch {
      return null;
    }
    const r = await runGit(startDir, ['rev-parse', '--show-toplevel'], { okCodes: [0, 128] });
    if (r.code !== 0) {
      // Outside any repository, or inside a .git directory or a bare repository: no work tree.
      // Anything else (e.g. "dubious ownership") is an error the user has to see.
      if (/not a git repository|must be run in a work tree/i.test(r.stderr)) return null;
      throw new GitError(['rev-parse', '--show-toplevel'], r.stderr, r.code);
    }
    const top = firstLine(r);
    if (top === '') return null;
    const repo = new GitRepo(top);
    repo.topDir = Promise.resolve(top);
    return repo;
  }

  /** Top level of the work tree: every command runs there, so `dir` may be a subdirectory. */
  private top(): Promise<string> {
    if (!this.topDir) {
      const p = runGit(this.dir, ['rev-parse', '--show-toplevel']).then(firstLine);
      // A failed lookup is not cached: the next call retries.
      p.catch(() => {
        if (this.topDir === p) this.topDir = undefined;
      });
      this.topDir = p;
    }
    return this.topDir;
  }

  private async git(args: readonly string[], opts?: RunOptions): Promise<RunResult> {
    return runGit(await this.top(), args, opts);
  }

  /** Author and committer defaults, only when the repository has no user configured. */
  private async identityEnv(): Promise<Record<string, string>> {
    const r = await this.git(['config', '--get-regexp', '^user\\.(name|email)$'], { okCodes: [0, 1] });
    const keys = new Set(text(r).split('\n').map((l) => l.split(' ')[0]));
    const env: Record<string, string> = {};
    if (!keys.has('user.name')) {
      if (!process.env.GIT_AUTHOR_NAME) env.GIT_AUTHOR_NAME = DEFAULT_IDENTITY.name;
      if (!process.env.GIT_COMMITTER_NAME) env.GIT_COMMITTER_NAME = DEFAULT_IDENTITY.name;
    }
    if (!keys.has('user.email')) {
      if (!process.env.GIT_AUTHOR_EMAIL) env.GIT_AUTHOR_EMAIL = DEFAULT_IDENTITY.email;
      if (!process.env.GIT_COMMITTER_EMAIL) env.GIT_COMMITTER_EMAIL = DEFAULT_IDENTITY.email;
    }
    return env;
  }

  /** Validates `refs/<...>` built from ids: safe components, then git's own rules. */
  private async validRef(kind: string, namespace: string, name: string): Promise<string> {
    assertSafeRefPath(kind, name);
    const ref = namespace + name;
    const r = await this.git(['check-ref-format', ref], { okCodes: [0, 1] });
    if (r.code !== 0) throw new Error(`${kind} ${JSON.stringify(name)} is not a valid git ref name (${ref})`);
    return ref;
  }

  private async validBackupRef(ref: string): Promise<string> {
    if (!ref.startsWith(BACKUP_REF_PREFIX)) {
      throw new Error(`backup ref ${JSON.stringify(ref)} is not under ${BACKUP_REF_PREFIX}: refusing to use it`);
    }
    return this.validRef('backup ref', BACKUP_REF_PREFIX, ref.slice(BACKUP_REF_PREFIX.length));
  }

  /** HEAD's commit, or null on an unborn branch (empty repository). */
  async head(): Promise<string | null> {
    const r = await this.git(['rev-parse', '--verify', '--quiet', 'HEAD'], { okCodes: [0, 1] });
    return r.code === 0 ? firstLine(r) : null;
  }

  /** The current branch (also when unborn), or null when HEAD is detached. */
  async branch(): Promise<string | null> {
    const r = await this.git(['symbolic-ref', '--quiet', 'HEAD'], { okCodes: [0, 1] });
    if (r.code !== 0) return null;
    const ref = firstLine(r);
    return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ref;
  }

  /** Throws GitStateError when a merge, rebase, cherry-pick, revert or bisect is in progress, or
   *  the index is locked (another git process is running, or one crashed). */
  async assertSafeToAct(): Promise<void> {
    const checks: [name: string, problem: string, hint: string][] = [
      ['MERGE_HEAD', 'a merge is in progress', 'finish it or run "git merge --abort"'],
      ['rebase-merge', 'a rebase is in progress', 'finish it or run "git rebase --abort"'],
      ['rebase-apply', 'a rebase or "git am" is in progress', 'finish it or run "git rebase --abort" / "git am --abort"'],
      ['CHERRY_PICK_HEAD', 'a cherry-pick is in progress', 'finish it or run "git cherry-pick --abort"'],
      ['REVERT_HEAD', 'a revert is in progress', 'finish it or run "git revert --abort"'],
      ['BISECT_LOG', 'a bisect is in progress', 'finish it with "git bisect reset"'],
      ['index.lock', 'the index is locked', 'another git process is running; if none is, remove the lock file'],
    ];
    const top = await this.top();
    const r = await this.git(['rev-parse', ...checks.flatMap(([name]) => ['--git-path', name])]);
    const paths = text(r).split('\n').slice(0, checks.length);
    const problems: string[] = [];
    for (let i = 0; i < checks.length; i++) {
      const [, problem, hint] = checks[i]!;
      const p = resolvePath(top, paths[i] ?? '');
      if (await fsp.lstat(p).then(() => true, () => false)) problems.push(`${problem} (${p} exists): ${hint}`);
    }
    if (problems.length > 0) throw new GitStateError(top, problems);
  }

  /** Any staged, unstaged or untracked (not ignored) change. */
  async isDirty(): Promise<boolean> {
    const r = await this.git(['status', '--porcelain=v1', '-z', '--untracked-files=all'], {
      env: { GIT_OPTIONAL_LOCKS: '0' }, // never take index.lock for a read
    });
    return r.stdout.length > 0;
  }

  /** `git add -A` and a commit (hooks skipped); committed:false with HEAD when nothing changed. */
  async commitWorkInProgress(message: string): Promise<{ sha: string; committed: boolean }> {
    await this.git(['add', '-A']);
    const staged = await this.git(['diff', '--cached', '--quiet', '--no-ext-diff'], { okCodes: [0, 1] });
    if (staged.code === 0) {
      const head = await this.head();
      if (head === null) throw new Error(`nothing to commit in ${await this.top()}: the repository has no commits and no files`);
      return { sha: head, committed: false };
    }
    await this.git(['commit', '--no-verify', '--no-gpg-sign', '--quiet', '-F', '-'], {
      input: cleanMessage(message, 'teamtop: work in progress'),
      env: await this.identityEnv(),
    });
    return { sha: await this.resolve('HEAD'), committed: true };
  }

  /** Annotated tag refs/tags/<name> at `target` (default HEAD); returns the tagged commit. */
  async tag(name: string, message: string, target = 'HEAD'): Promise<string> {
    const ref = await this.validRef('tag name', 'refs/tags/', name);
    if (await this.refExists(ref)) throw new Error(`tag ${JSON.stringify(name)} already exists (${ref}): refusing to move it`);
    const sha = await this.resolve(target);
    // Without -f, git itself also refuses an existing tag (a race with another writer).
    await this.git(['tag', '-a', '--no-sign', '-F', '-', '--end-of-options', name, sha], {
      input: cleanMessage(message, name),
      env: await this.identityEnv(),
    });
    return sha;
  }

  /**
   * Saves the index (commit I) and the whole work tree including untracked, non-ignored files
   * (commit W, parents [HEAD, I]) and points `ref` (under refs/teamtop/backup/, must not exist)
   * at W. The work tree, the index, HEAD and every branch are left as they are.
   */
  async backup(ref: string, message: string): Promise<{ ref: string; sha: string }> {
    const full = await this.validBackupRef(ref);
    if (await this.refExists(full)) throw new Error(`backup ref ${full} already exists: refusing to overwrite it`);
    const head = await this.head();
    const branch = await this.branch();
    const identity = await this.identityEnv();
    const msg = cleanMessage(message, 'teamtop backup');
    const headParents = head ? ['-p', head] : [];

    // (1) The index as it is (fails while a merge has unresolved conflicts).
    const indexTree = firstLine(await this.git(['write-tree']));
    const indexCommit = firstLine(
      await this.git(['commit-tree', '--no-gpg-sign', ...headParents, '-F', '-', '--end-of-options', indexTree], {
        input: `teamtop backup: index\n\n${msg}`,
        env: identity,
      }),
    );

    // (2) The work tree, through a temporary index that starts as a copy of the real one (so files
    // staged with `add -f` despite .gitignore are kept) and takes every change with `add -A`.
    const tmp = await fsp.mkdtemp(join(tmpdir(), 'teamtop-index-'));
    let workTree: string;
    try {
      const env = { GIT_INDEX_FILE: join(tmp, 'index') };
      await this.git(['read-tree', '--end-of-options', indexTree], { env });
      await this.git(['add', '-A'], { env });
      workTree = firstLine(await this.git(['write-tree'], { env }));
    } finally {
      await fsp.rm(tmp, { recursive: true, force: true });
    }

    // (3) Where HEAD was, as trailers of W's message.
    const trailers = [
      `teamtop-branch: ${branch ?? 'detached'}`,
      `teamtop-head: ${head ?? 'none'}`,
      `teamtop-time: ${new Date().toISOString()}`,
    ];
    const w = firstLine(
      await this.git(
        ['commit-tree', '--no-gpg-sign', ...headParents, '-p', indexCommit, '-F', '-', '--end-of-options', workTree],
        { input: `${msg}\n${trailers.join('\n')}\n`, env: identity },
      ),
    );

    // (4) The ref; the empty old value makes git refuse if someone created it meanwhile.
    await this.git(['update-ref', '--end-of-options', full, w, '']);
    return { ref: full, sha: w };
  }

  /** Moves HEAD (and the current branch) to `target`, discarding changes and untracked files
   *  (ignored files are kept). */
  async resetHard(target: string, opts: KeepOptions = {}): Promise<void> {
    const keep = await this.keepPatterns(opts.keep);
    const sha = await this.resolve(target);
    // `git reset` in git 2.39 mishandles --end-of-options; the resolved sha cannot be an option.
    await this.git(['reset', '--hard', '--quiet', sha, '--']);
    await this.git(['clean', '-f', '-d', '--quiet', ...keep.flatMap((k) => ['-e', `/${k}`])]);
  }

  /**
   * Paths (relative to the top of the work tree) that a reset or restore must leave exactly as
   * they are — teamtop's state root when it lives inside the team's repo. They must be untracked
   * (or ignored): a tracked state root would be rolled back with the code, so that is refused.
   */
  async keepPatterns(keep: readonly string[] | undefined): Promise<string[]> {
    if (!keep || keep.length === 0) return [];
    for (const k of keep) {
      if (k === '' || k === '.' || k.startsWith('/') || k.split('/').includes('..') || /[*?[\\\u0000-\u001f]/.test(k)) {
        throw new Error(`cannot keep ${JSON.stringify(k)} out of a reset: it must be a plain path inside the work tree, not its top`);
      }
    }
    const tracked = await this.pathList(['ls-files', '-z', '--', ...keep]);
    if (tracked.size > 0) {
      throw new Error(`the state root (${keep.join(', ')}) is tracked in git, so a rollback would rewrite it too: untrack it (git rm -r --cached) or give the team its own repo in team.json`);
    }
    return [...keep];
  }

  private async readBackup(ref: string): Promise<BackupInfo> {
    const full = await this.validBackupRef(ref);
    const r = await this.git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${full}^{commit}`], { okCodes: [0, 1] });
    if (r.code !== 0) throw new Error(`backup ${full} does not exist`);
    const sha = firstLine(r);
    const raw = text(await this.git(['cat-file', 'commit', sha]));
    const split = raw.indexOf('\n\n');
    const headers = split < 0 ? raw : raw.slice(0, split);
    const body = split < 0 ? '' : raw.slice(split + 2);
    const parents = headers.split('\n').filter((l) => l.startsWith('parent ')).map((l) => l.slice('parent '.length));
    const found: Record<string, string> = {};
    for (const line of body.split('\n')) {
      const m = TRAILER.exec(line);
      if (m) found[m[1]!] = m[2]!;
    }
    const bad = (why: string): Error => new Error(`${full} is not a teamtop backup: ${why}`);
    const branch = found.branch;
    const head = found.head;
    if (branch === undefined || head === undefined) throw bad('no teamtop-branch / teamtop-head trailers');
    if (head !== 'none' && !SHA.test(head)) throw bad(`bad teamtop-head ${JSON.stringify(head)}`);
    if (head === 'none' ? parents.length !== 1 : parents.length !== 2 || parents[0] !== head) {
      throw bad('its parents are not [HEAD, index]');
    }
    if (branch !== 'detached') {
      // A name git gave us at backup time: git's rules, and never something that reads as an option.
      const ok = !branch.startsWith('-') && !/[\u0000-\u001f\u007f]/.test(branch)
        && (await this.git(['check-ref-format', `refs/heads/${branch}`], { okCodes: [0, 1] })).code === 0;
      if (!ok) throw bad(`bad teamtop-branch ${JSON.stringify(branch)}`);
    } else if (head === 'none') {
      throw bad('detached HEAD without a commit');
    }
    return { sha, branch, head, index: parents[parents.length - 1]! };
  }

  /** Paths (as latin1 strings, one char per byte) listed NUL-separated by a git command. */
  private async pathList(args: readonly string[]): Promise<Set<string>> {
    const out = (await this.git(args)).stdout.toString('latin1');
    return new Set(out.split('\0').filter((p) => p !== ''));
  }

  /**
   * The inverse of backup: HEAD, the branch, the work tree (byte for byte, modes and symlinks
   * included) and the index as they were. Ignored files are left alone. Re-running after a
   * failure is safe: the backup ref is never changed.
   */
  async restoreBackup(ref: string, opts: KeepOptions = {}): Promise<void> {
    const keep = await this.keepPatterns(opts.keep);
    const b = await this.readBackup(ref);
    if (b.head === 'none') {
      // The backup was taken on an unborn branch: restoring means that branch has no commits.
      if (await this.refExists(`refs/heads/${b.branch}`)) {
        throw new Error(
          `cannot restore ${ref}: it was taken before the first commit on ${b.branch}, which has commits now; refusing to delete them`,
        );
      }
    } else {
      await this.resolve(b.head);
    }

    // Committed history: HEAD on the branch (recreated if needed) or detached, at the saved commit.
    if (b.head === 'none') {
      await this.git(['symbolic-ref', 'HEAD', `refs/heads/${b.branch}`]);
      await this.git(['reset', '--hard', '--quiet']);
    } else {
      // `git checkout` in git 2.39 mishandles --end-of-options: the branch name was validated (no
      // leading "-") and the sha is hex; "--" ends the revisions.
      if (b.branch === 'detached') {
        await this.git(['checkout', '--force', '--quiet', '--detach', b.head, '--']);
      } else {
        await this.git(['checkout', '--force', '--quiet', '-B', b.branch, b.head, '--']);
      }
      await this.git(['reset', '--hard', '--quiet', b.head, '--']);
    }
    await this.git(['clean', '-f', '-d', '--quiet', ...keep.flatMap((k) => ['-e', `/${k}`])]);

    // Tracked files that were deleted in the work tree at backup time: remove them (git rm also
    // removes directories it leaves empty). Paths go through stdin as bytes, matched literally.
    const wanted = await this.pathList(['ls-tree', '-r', '-z', '--name-only', '--full-tree', '--end-of-options', `${b.sha}^{tree}`]);
    const tracked = await this.pathList(['ls-files', '-z']);
    const gone = [...tracked].filter((p) => !wanted.has(p));
    if (gone.length > 0) {
      await this.git(['rm', '-r', '-f', '--quiet', '--ignore-unmatch', '--pathspec-from-file=-', '--pathspec-file-nul'], {
        input: Buffer.from(gone.map((p) => p + '\0').join(''), 'latin1'),
        env: { GIT_LITERAL_PATHSPECS: '1' },
      });
    }

    // Every file of W (modes and symlinks as recorded), then the saved index on top.
    await this.git(['read-tree', '--end-of-options', `${b.sha}^{tree}`]);
    // The kept paths are live (the state root keeps changing): never write their old contents.
    if (keep.length) await this.git(['rm', '-r', '-f', '--cached', '--quiet', '--ignore-unmatch', '--', ...keep]);
    await this.git(['checkout-index', '-a', '-f']);
    await this.git(['read-tree', '--end-of-options', `${b.index}^{tree}`]);
    // Refresh stat data so the next status is fast; exit 1 just means "there are changes".
    await this.git(['update-index', '-q', '--refresh'], { okCodes: [0, 1] });
  }

  /**
   * The newest backup ref whose name starts with refs/teamtop/backup/<prefix> (a plain string
   * prefix: pass "agent/" or "agent-" to avoid also matching "agent2..."), or null.
   */
  async latestBackup(prefix: string): Promise<string | null> {
    if (prefix !== '') {
      const parts = prefix.split('/');
      const last = parts.pop()!;
      if (parts.length > 0) assertSafeRefPath('backup prefix', parts.join('/'));
      if (last !== '') assertSafeRefPath('backup prefix', last);
    }
    const want = BACKUP_REF_PREFIX + prefix;
    const r = await this.git([
      'for-each-ref',
      '--sort=-committerdate',
      '--format=%(refname)%09%(committerdate:unix)%09%(contents:trailers:key=teamtop-time,valueonly,separator=%x2C)',
      '--end-of-options',
      BACKUP_REF_PREFIX,
    ]);
    const rows = text(r)
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => {
        const [refname = '', unix = '0', times = ''] = l.split('\t');
        // Committer dates have one-second resolution; the teamtop-time trailer has milliseconds.
        const precise = Date.parse(times.split(',').pop() ?? '');
        return { refname, at: Number.isFinite(precise) ? precise : Number(unix) * 1000 };
      })
      .filter((x) => x.refname.startsWith(want));
    rows.sort((a, b) => b.at - a.at || (a.refname < b.refname ? 1 : a.refname > b.refname ? -1 : 0));
    return rows[0]?.refname ?? null;
  }

  /** Whether the full ref name (refs/...) exists. */
  async refExists(ref: string): Promise<boolean> {
    if (!ref.startsWith('refs/') || /[\u0000-\u001f\u007f]/.test(ref)) {
      throw new Error(`refExists: ${JSON.stringify(ref)} is not a full ref name`);
    }
    const r = await this.git(['show-ref', '--verify', '--quiet', '--end-of-options', ref], { okCodes: [0, 1] });
    return r.code === 0;
  }

  /** The commit `rev` names (branch, tag, sha, HEAD~2...); throws GitError when there is none. */
  async resolve(rev: string): Promise<string> {
    const args = ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`];
    if (rev === '' || rev.includes('\0')) throw new GitError(args, '', null, `not a revision: ${JSON.stringify(rev)}`);
    const r = await this.git(args, { okCodes: [0, 1] });
    const sha = r.code === 0 ? firstLine(r) : '';
    if (!SHA.test(sha)) throw new GitError(args, r.stderr, r.code, `unknown revision or not a commit: ${JSON.stringify(rev)}`);
    return sha;
  }

  /** `git log --format=fuller` of since..HEAD, or the whole history when since is null or
   *  does not resolve; "" in a repository without commits. */
  async log(since: string | null): Promise<string> {
    if ((await this.head()) === null) return '';
    let range = 'HEAD';
    if (since !== null) {
      const base = await this.resolve(since).catch(() => null);
      if (base !== null) range = `${base}..HEAD`;
    }
    return text(await this.git(['log', '--format=fuller', '--no-color', '--end-of-options', range]));
  }
}
