// Which git work tree belongs to a team: team.json `repo` (relative to the team directory, or
// absolute), else the work tree that contains the state root; none when neither is a git tree.
// And the team's backups, matched exactly (refs/teamtop/backup/<team>-<stamp>).
import { isAbsolute, resolve } from 'node:path';
import type { TeamSnapshot } from '../model/snapshot.js';
import { GitRepo, type BackupMeta } from './repo.js';

export class RepoError extends Error {}

export async function resolveRepo(team: TeamSnapshot, stateRoot: string, override?: string): Promise<string | null> {
  const configured = override ?? team.info.repo;
  if (configured) {
    const dir = isAbsolute(configured) ? configured : resolve(override ? process.cwd() : team.dir, configured);
    const repo = await GitRepo.find(dir);
    if (!repo) throw new RepoError(`${override ? '--repo' : 'team.json repo'} ${configured} is not in a git work tree`);
    return repo.dir;
  }
  return (await GitRepo.find(stateRoot))?.dir ?? null;
}

/** The backup refs of a team, newest first: exactly refs/teamtop/backup/<teamId>-<YYYYMMDDTHHMMSSZ>. */
export async function backupsOf(repo: string | null, teamId: string): Promise<string[]> {
  if (!repo) return [];
  const r = await GitRepo.find(repo);
  return r ? r.backups(teamId) : [];
}

/** The newest backup ref of a team, for undo-abort. */
export async function latestBackupOf(repo: string | null, teamId: string): Promise<string | null> {
  return (await backupsOf(repo, teamId))[0] ?? null;
}

/** What a backup records (team, time, branch, HEAD), or null when `ref` is not a readable backup. */
export async function readBackupMeta(repo: string | null, ref: string): Promise<BackupMeta | null> {
  if (!repo) return null;
  const r = await GitRepo.find(repo);
  if (!r) return null;
  return r.backupMeta(ref).catch(() => null);
}
