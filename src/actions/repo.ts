// Which git work tree belongs to a team: team.json `repo` (relative to the team directory, or
// absolute), else the work tree that contains the state root; none when neither is a git tree.
import { isAbsolute, resolve } from 'node:path';
import type { TeamSnapshot } from '../model/types.js';
import { GitRepo } from '../safety/git.js';

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

/** The newest backup ref of a team, for undo-abort. */
export async function latestBackupOf(repo: string | null, teamId: string): Promise<string | null> {
  if (!repo) return null;
  const r = await GitRepo.find(repo);
  return r ? r.latestBackup(`${teamId}-`) : null;
}
