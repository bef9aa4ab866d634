// Git operations for the action layer: checkpoints (tags), backups that capture everything a
// rollback can destroy without touching it, hard resets and exact restores (src/git/ holds the
// machinery). git always runs through execFile-style argument arrays, never a shell; every ref
// built from an id is validated (assertSafeId rules per component, then `git check-ref-format`)
// before git sees it, and revisions are passed after `--end-of-options` where git accepts it.
import { promises as fsp } from 'node:fs';
import { idProblem, UnsafeIdError } from '../safety/ids.js';
import { backupFiles, branchDisplay, readBackup, writeBackup, type Backup } from './backup.js';
import { checkProtection, resolveProtection } from './protect.js';
import { resetTo, restoreFrom } from './rollback.js';
import { firstLine, GitContext, GitError, runGit, SHA, text, type RunOptions, type RunResult } from './run.js';
import { readTracked, takeSnapshot } from './snapshot.js';
import { commitTarget, makeTarget, type Protected, type Target } from './targets.js';
import { BACKUP_REF_PREFIX, backupsOfTeam } from './backup-refs.js';
import { assertSafeToAct, GitStateError } from './state-check.js';
import { cleanMessage, identityEnv } from './identity.js';
import { hasControl } from '../safety/sanitize.js';

export { GitStateError };

export { GitError } from './run.js';

export { BACKUP_REF_PREFIX } from './backup-refs.js';

/** Every `/`-separated component of `path` must be a safe id (see ids.ts). */
function assertSafeRefPath(kind: string, path: string): void {
  if (path === '') throw new UnsafeIdError(kind, path, 'is empty');
  for (const part of path.split('/')) {
    const p = idProblem(part);
    if (p) throw new UnsafeIdError(kind, path, part === path ? p : `has a component ${JSON.stringify(part)} that ${p}`);
  }
}

export interface KeepOptions {
  /** Directories (absolute, possibly through symlinks) a rollback must never touch. */
  protect?: readonly string[];
}

export interface BackupOptions extends KeepOptions {
  /** The team the backup belongs to (recorded in it). */
  team?: string;
  /** Revisions whose trees the rollback that follows writes (a commit, or a backup ref): the
   *  ignored files that rollback would overwrite or expose to clean are saved too. */
  rollbackTo?: readonly string[];
}

export interface RollbackOptions extends KeepOptions {
  /** A backup ref (taken just before) that gets whatever the rollback removes, before it does. */
  backupRef?: string;
}

/** What a backup records about itself. */
export interface BackupMeta {
  ref: string;
  sha: string;
  format: 1 | 2;
  team: string | null;
  /** When it was taken (ISO 8601), when recorded. */
  time: string | null;
  /** The branch HEAD was on (for people: not UTF-8 names are shown as hex:...), or null when detached. */
  branch: string | null;
  /** The commit HEAD was at, or null before the first commit. */
  head: string | null;
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

  private async ctx(): Promise<GitContext> {
    return new GitContext(await this.top());
  }

  /** Author and committer defaults, only when the repository has no user configured. */
  private async identityEnv(): Promise<Record<string, string>> {
    return identityEnv(await this.ctx());
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
    await assertSafeToAct(await this.ctx());
  }

  /** `git add -A` and a commit (hooks skipped); committed:false with HEAD when nothing changed. */
  async commitWorkInProgress(message: string, opts: Pick<KeepOptions, 'protect'> = {}): Promise<{ sha: string; committed: boolean }> {
    // teamtop's own directories inside the work tree are not the team's work: committing them
    // would make them tracked, and every later rollback would then (rightly) refuse.
    const top = await this.top();
    const excludes = (await resolveProtection(top, opts.protect ?? [], undefined, { allowTop: true }))
      .filter((x) => !x.link).map((x) => `:(exclude,literal)${x.rel}`);
    await this.git(excludes.length > 0 ? ['add', '-A', '--', '.', ...excludes] : ['add', '-A']);
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

  /** The protected paths inside the work tree for `opts` (refuses a protected work tree top). */
  private async protection(opts: KeepOptions): Promise<Protected[]> {
    return resolveProtection(await this.top(), opts.protect ?? []);
  }

  /** What a rollback to `rev` writes: a backup's saved tree, or a commit's tree. */
  private async targetOf(g: GitContext, rev: string): Promise<{ target: Target; strict: boolean }> {
    if (rev.startsWith(BACKUP_REF_PREFIX)) {
      const b = await readBackup(g, await this.validBackupRef(rev));
      return { target: makeTarget(`backup ${b.ref}`, await backupFiles(g, b), b.manifest.emptyDirs.keys()), strict: false };
    }
    return { target: await commitTarget(g, `the rollback target ${JSON.stringify(rev)}`, await this.resolve(rev)), strict: true };
  }

  /**
   * Saves everything a rollback to `opts.rollbackTo` can remove or change — HEAD and its branch,
   * the index (its exact bytes), every tracked file's bytes as they are on disk (no filters),
   * untracked files, the ignored files that rollback would overwrite or expose to `git clean`,
   * exact modes, symlinks, empty directories — under `ref` (under refs/teamtop/backup/, must not
   * exist). The work tree, the index, HEAD and every branch are left as they are. The protected
   * directories are neither read nor saved; a protected directory that is the work tree's top,
   * or that holds tracked files, is refused before anything is written.
   */
  async backup(ref: string, message: string, opts: BackupOptions = {}): Promise<{ ref: string; sha: string }> {
    const full = await this.validBackupRef(ref);
    if (await this.refExists(full)) throw new Error(`backup ref ${full} already exists: refusing to overwrite it`);
    if (opts.team !== undefined) {
      const p = idProblem(opts.team);
      if (p) throw new UnsafeIdError('team id', opts.team, p);
    }
    const g = await this.ctx();
    const prot0 = await this.protection(opts);
    const targets = [];
    for (const rev of opts.rollbackTo ?? []) targets.push(await this.targetOf(g, rev));
    const prot = checkProtection(prot0, await readTracked(g), targets);
    const snap = await takeSnapshot(g, targets.map((t) => t.target), prot);
    const sha = await writeBackup(g, full, snap, {
      message: cleanMessage(message, 'teamtop backup'), team: opts.team ?? null, env: await this.identityEnv(), now: new Date(),
    });
    return { ref: full, sha };
  }

  /**
   * Moves HEAD (and the current branch) to `target`, the index and work tree to its tree, then
   * removes untracked files as `git clean -d` would (ignored files the target still ignores, and
   * the protected directories, are kept). With `backupRef`, whatever this removes or overwrites
   * that the backup does not hold yet is added to it first; re-running after a crash completes it.
   */
  async resetHard(target: string, opts: RollbackOptions = {}): Promise<void> {
    const sha = await this.resolve(target);
    const g = await this.ctx();
    const t = await commitTarget(g, `the reset target ${JSON.stringify(target)}`, sha);
    const prot = checkProtection(await this.protection(opts), await readTracked(g), [{ target: t, strict: true }]);
    const backupRef = await this.existingBackup(g, opts.backupRef);
    await resetTo(g, sha, t, { prot, backupRef, env: await this.identityEnv(), now: () => new Date() });
  }

  private async existingBackup(g: GitContext, ref: string | undefined): Promise<string | null> {
    if (ref === undefined) return null;
    const full = await this.validBackupRef(ref);
    await readBackup(g, full); // exists and is a backup, or throws before anything is written
    return full;
  }

  /**
   * The inverse of backup: HEAD, the branch, the index (exactly), the work tree byte for byte
   * (modes, symlinks, empty directories, the ignored files it saved) as they were. Ignored files
   * the backup's rules still ignore and it did not save are left alone, and so are the protected
   * directories. With `backupRef`, whatever this removes or overwrites that the backup does not
   * hold yet is added to it first. Re-running after a failure is safe.
   */
  async restoreBackup(ref: string, opts: RollbackOptions = {}): Promise<void> {
    const g = await this.ctx();
    const full = await this.validBackupRef(ref);
    const b = await readBackup(g, full);
    const backupRef = await this.existingBackup(g, opts.backupRef);
    if (backupRef === full) throw new Error(`cannot save into ${full} the state that restoring it replaces`);
    const target = makeTarget(`backup ${full}`, await backupFiles(g, b), b.manifest.emptyDirs.keys());
    const prot = checkProtection(await this.protection(opts), await readTracked(g), [{ target, strict: false }]);
    await restoreFrom(g, b, { prot, backupRef, env: await this.identityEnv(), now: () => new Date() });
  }

  /** What backup `ref` records: team, time, branch, HEAD, format. */
  async backupMeta(ref: string): Promise<BackupMeta> {
    const b: Backup = await readBackup(await this.ctx(), await this.validBackupRef(ref));
    return {
      ref: b.ref, sha: b.sha, format: b.format, team: b.team, time: b.time,
      branch: b.headRef ? branchDisplay(b.headRef) : null, head: b.head,
    };
  }

  /** The backups of team `teamId`, newest first (exactly <teamId>-<stamp>: "web" never takes "web-ui"'s). */
  async backups(teamId: string): Promise<string[]> {
    return backupsOfTeam(await this.ctx(), teamId);
  }

  /** Whether the full ref name (refs/...) exists. */
  async refExists(ref: string): Promise<boolean> {
    if (!ref.startsWith('refs/') || hasControl(ref)) {
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
