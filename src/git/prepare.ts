// The checks before each git operation, shared by the operation itself and the preflight
// (checkGitEffect), so that what the preflight accepts is exactly what the operation will accept
// at its start. They read the repository and write nothing: no object, no ref, no file.
import { idProblem, UnsafeIdError } from '../safety/ids.js';
import { hasControl } from '../safety/sanitize.js';
import { readBackup, type Backup } from './backup.js';
import { checkBackupContents } from './backup-check.js';
import { BACKUP_REF_PREFIX } from './backup-refs.js';
import { checkProtection, resolveProtection } from './protect.js';
import { restorePlan, type RestorePlan } from './restore-check.js';
import { firstLine, GitError, SHA, type GitContext } from './run.js';
import { readTracked } from './snapshot.js';
import { commitTarget, makeTarget, type Protected, type Target } from './targets.js';

/** Every `/`-separated component of `path` must be a safe id (see ids.ts). */
function assertSafeRefPath(kind: string, path: string): void {
  if (path === '') throw new UnsafeIdError(kind, path, 'is empty');
  for (const part of path.split('/')) {
    const p = idProblem(part);
    if (p) throw new UnsafeIdError(kind, path, part === path ? p : `has a component ${JSON.stringify(part)} that ${p}`);
  }
}

/** Validates `refs/<...>` built from ids: safe components, then git's own rules. */
export async function validRef(g: GitContext, kind: string, namespace: string, name: string): Promise<string> {
  assertSafeRefPath(kind, name);
  const ref = namespace + name;
  const r = await g.run(['check-ref-format', ref], { okCodes: [0, 1] });
  if (r.code !== 0) throw new Error(`${kind} ${JSON.stringify(name)} is not a valid git ref name (${ref})`);
  return ref;
}

export async function validBackupRef(g: GitContext, ref: string): Promise<string> {
  if (!ref.startsWith(BACKUP_REF_PREFIX)) {
    throw new Error(`backup ref ${JSON.stringify(ref)} is not under ${BACKUP_REF_PREFIX}: refusing to use it`);
  }
  return validRef(g, 'backup ref', BACKUP_REF_PREFIX, ref.slice(BACKUP_REF_PREFIX.length));
}

/** Whether the full ref name (refs/...) exists. */
export async function refExists(g: GitContext, ref: string): Promise<boolean> {
  if (!ref.startsWith('refs/') || hasControl(ref)) {
    throw new Error(`refExists: ${JSON.stringify(ref)} is not a full ref name`);
  }
  const r = await g.run(['show-ref', '--verify', '--quiet', '--end-of-options', ref], { okCodes: [0, 1] });
  return r.code === 0;
}

/** The commit `rev` names (branch, tag, sha, HEAD~2...); throws GitError when there is none. */
export async function resolveCommit(g: GitContext, rev: string): Promise<string> {
  const args = ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`];
  if (rev === '' || rev.includes('\0')) throw new GitError(args, '', null, `not a revision: ${JSON.stringify(rev)}`);
  const r = await g.run(args, { okCodes: [0, 1] });
  const sha = r.code === 0 ? firstLine(r) : '';
  if (SHA.test(sha)) return sha;
  if (rev === 'HEAD') throw new GitError(args, r.stderr, r.code, 'HEAD has no commit (a branch without commits yet): there is nothing to tag or roll back to');
  throw new GitError(args, r.stderr, r.code, `unknown revision or not a commit: ${JSON.stringify(rev)}`);
}

export interface ProtectOptions {
  /** Directories (absolute, possibly through symlinks) a rollback must never touch. */
  protect?: readonly string[];
}

function protection(g: GitContext, opts: ProtectOptions): Promise<Protected[]> {
  return resolveProtection(g.top, opts.protect ?? []);
}

/** What a rollback to `rev` writes: a backup's saved tree (all of the backup checked), or a commit's tree. */
export async function targetOf(g: GitContext, rev: string): Promise<{ target: Target; strict: boolean }> {
  if (rev.startsWith(BACKUP_REF_PREFIX)) {
    const b = await readBackup(g, await validBackupRef(g, rev));
    return { target: makeTarget(`backup ${b.ref}`, await checkBackupContents(g, b), b.manifest.emptyDirs.keys()), strict: false };
  }
  return { target: await commitTarget(g, `the rollback target ${JSON.stringify(rev)}`, await resolveCommit(g, rev)), strict: true };
}

/** The tag ref to create and the commit it tags (`unbornOk`: the preflight of a tag that a commit
 *  before it in the plan gives a HEAD; null then when HEAD has no commit yet). */
export async function prepareTag(g: GitContext, name: string, target = 'HEAD', unbornOk = false): Promise<{ ref: string; sha: string | null }> {
  const ref = await validRef(g, 'tag name', 'refs/tags/', name);
  if (await refExists(g, ref)) throw new Error(`tag ${JSON.stringify(name)} already exists (${ref}): refusing to move it`);
  if (unbornOk && target === 'HEAD') {
    const r = await g.run(['rev-parse', '--verify', '--quiet', 'HEAD'], { okCodes: [0, 1] });
    if (r.code !== 0) return { ref, sha: null };
  }
  return { ref, sha: await resolveCommit(g, target) };
}

export interface BackupChecks extends ProtectOptions {
  team?: string;
  rollbackTo?: readonly string[];
}

/** The backup ref to create, what the rollbacks after it write, and the protected paths. */
export async function prepareBackup(g: GitContext, ref: string, opts: BackupChecks): Promise<{ full: string; targets: Target[]; prot: Protected[] }> {
  const full = await validBackupRef(g, ref);
  if (await refExists(g, full)) throw new Error(`backup ref ${full} already exists: refusing to overwrite it`);
  if (opts.team !== undefined) {
    const p = idProblem(opts.team);
    if (p) throw new UnsafeIdError('team id', opts.team, p);
  }
  const prot0 = await protection(g, opts);
  const targets = [];
  for (const rev of opts.rollbackTo ?? []) targets.push(await targetOf(g, rev));
  const prot = checkProtection(prot0, await readTracked(g), targets);
  return { full, targets: targets.map((t) => t.target), prot };
}

/**
 * The backup a rollback saves into (a validated full ref), or null. At the operation it must
 * exist and be a backup; in the preflight (`mayBeMissing`) it may not exist yet (the plan's
 * backup step creates it), but one that exists must be a backup.
 */
async function backupInto(g: GitContext, ref: string | undefined, mayBeMissing: boolean): Promise<string | null> {
  if (ref === undefined) return null;
  const full = await validBackupRef(g, ref);
  if (mayBeMissing && !(await refExists(g, full))) return full;
  await readBackup(g, full); // exists and is a backup, or throws before anything is written
  return full;
}

export interface RollbackChecks extends ProtectOptions {
  backupRef?: string;
}

export async function prepareReset(
  g: GitContext, target: string, opts: RollbackChecks, preflight = false,
): Promise<{ sha: string; target: Target; prot: Protected[]; backupRef: string | null }> {
  const sha = await resolveCommit(g, target);
  const t = await commitTarget(g, `the reset target ${JSON.stringify(target)}`, sha);
  const prot = checkProtection(await protection(g, opts), await readTracked(g), [{ target: t, strict: true }]);
  return { sha, target: t, prot, backupRef: await backupInto(g, opts.backupRef, preflight) };
}

export async function prepareRestore(
  g: GitContext, ref: string, opts: RollbackChecks, preflight = false,
): Promise<{ b: Backup; plan: RestorePlan; prot: Protected[]; backupRef: string | null }> {
  const full = await validBackupRef(g, ref);
  const b = await readBackup(g, full);
  const files = await checkBackupContents(g, b);
  const backupRef = await backupInto(g, opts.backupRef, preflight);
  if (backupRef === full) throw new Error(`cannot save into ${full} the state that restoring it replaces`);
  const target = makeTarget(`backup ${full}`, files, b.manifest.emptyDirs.keys());
  const prot = checkProtection(await protection(g, opts), await readTracked(g), [{ target, strict: false }]);
  return { b, plan: await restorePlan(g, b, files, prot), prot, backupRef };
}
