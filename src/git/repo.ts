// Git operations for the action layer: checkpoints (tags), backups that capture everything a
// rollback can destroy without touching it, hard resets and exact restores (src/git/ holds the
// machinery). git always runs through execFile-style argument arrays, never a shell; every ref
// built from an id is validated (assertSafeId rules per component, then `git check-ref-format`)
// before git sees it, and revisions are passed after `--end-of-options` where git accepts it.
import { promises as fsp } from 'node:fs';
import { branchDisplay, readBackup, writeBackup, type Backup } from './backup.js';
import { resolveProtection } from './protect.js';
import { resetTo, restoreFrom } from './rollback.js';
import { firstLine, GitContext, GitError, runGit, text, type RunOptions, type RunResult } from './run.js';
import { takeSnapshot } from './snapshot.js';
import { backupsOfTeam } from './backup-refs.js';
import { assertSafeToAct, GitStateError } from './state-check.js';
import { cleanMessage, identityEnv } from './identity.js';
import { prepareBackup, prepareReset, prepareRestore, prepareTag, refExists, resolveCommit, validBackupRef } from './prepare.js';

export { GitStateError };

export { GitError } from './run.js';

export { BACKUP_REF_PREFIX } from './backup-refs.js';

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
    const sha = (await prepareTag(await this.ctx(), name, target)).sha!;
    // Without -f, git itself also refuses an existing tag (a race with another writer).
    await this.git(['tag', '-a', '--no-sign', '-F', '-', '--end-of-options', name, sha], {
      input: cleanMessage(message, name),
      env: await this.identityEnv(),
    });
    return sha;
  }

  /**
   * Saves everything a rollback to `opts.rollbackTo` can remove or change — HEAD and its branch,
   * the index (its exact bytes), every tracked file's bytes as they are on disk (no filters),
   * untracked files, the ignored files that rollback would overwrite or expose to `git clean`,
   * exact modes, symlinks, empty directories — under `ref` (under refs/teamtop/backup/, must not
   * exist). The work tree, the index, HEAD and every branch are left as they are. The protected
   * directories are neither read nor saved; a protected directory that is the work tree's top,
   * contains it, or holds tracked files, and a rollback target with a path that must never be
   * written, are refused before anything is written.
   */
  async backup(ref: string, message: string, opts: BackupOptions = {}): Promise<{ ref: string; sha: string }> {
    const g = await this.ctx();
    const { full, targets, prot } = await prepareBackup(g, ref, opts);
    const snap = await takeSnapshot(g, targets, prot);
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
    const g = await this.ctx();
    const r = await prepareReset(g, target, opts);
    await resetTo(g, r.sha, r.target, { prot: r.prot, backupRef: r.backupRef, env: await this.identityEnv(), now: () => new Date() });
  }

  /**
   * The inverse of backup: HEAD, the branch, the index (exactly), the work tree byte for byte
   * (modes, symlinks, empty directories, the ignored files it saved) as they were. Ignored files
   * the backup's rules still ignore and it did not save are left alone, and so are the protected
   * directories and the contents of submodules. With `backupRef`, whatever this removes or
   * overwrites that the backup does not hold yet is added to it first. Re-running after a failure
   * is safe. A backup with a path that must never be written is refused before anything is.
   */
  async restoreBackup(ref: string, opts: RollbackOptions = {}): Promise<void> {
    const g = await this.ctx();
    const r = await prepareRestore(g, ref, opts);
    await restoreFrom(g, r.b, r.plan, { prot: r.prot, backupRef: r.backupRef, env: await this.identityEnv(), now: () => new Date() });
  }

  /** Everything `tag` checks before it writes (nothing is written); `unbornOk`: a commit made
   *  before the tag gives HEAD its commit. */
  async checkTag(name: string, unbornOk = false): Promise<void> {
    await prepareTag(await this.ctx(), name, 'HEAD', unbornOk);
  }

  /** Everything `backup` checks before it writes (nothing is written). */
  async checkBackup(ref: string, opts: BackupOptions = {}): Promise<void> {
    await prepareBackup(await this.ctx(), ref, opts);
  }

  /** Everything `resetHard` checks before it writes; `backupRef` may not exist yet. */
  async checkReset(target: string, opts: RollbackOptions = {}): Promise<void> {
    await prepareReset(await this.ctx(), target, opts, true);
  }

  /** Everything `restoreBackup` checks before it writes; `backupRef` may not exist yet. */
  async checkRestore(ref: string, opts: RollbackOptions = {}): Promise<void> {
    await prepareRestore(await this.ctx(), ref, opts, true);
  }

  /** Everything `commitWorkInProgress` checks before it writes. */
  async checkCommitWorkInProgress(opts: Pick<KeepOptions, 'protect'> = {}): Promise<void> {
    await resolveProtection(await this.top(), opts.protect ?? [], undefined, { allowTop: true });
  }

  /** What backup `ref` records: team, time, branch, HEAD, format. */
  async backupMeta(ref: string): Promise<BackupMeta> {
    const g = await this.ctx();
    const b: Backup = await readBackup(g, await validBackupRef(g, ref));
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
    return refExists(await this.ctx(), ref);
  }

  /** The commit `rev` names (branch, tag, sha, HEAD~2...); throws GitError when there is none. */
  async resolve(rev: string): Promise<string> {
    return resolveCommit(await this.ctx(), rev);
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
