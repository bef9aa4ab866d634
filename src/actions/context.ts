// What a plan needs to know beyond the snapshot, looked up the same way by the TUI and `act`:
// the team's repository, and for abort and undo-abort the backups of exactly this team.
import type { TeamSnapshot } from '../model/snapshot.js';
import type { ActionName, PlanContext } from '../ports/effects.js';
import { backupsOf, resolveRepo } from '../git/team-repo.js';

/** Rejects with RepoError when the team names a repository that is not a git work tree. */
export async function planContextFor(team: TeamSnapshot, action: ActionName, stateRoot: string, now: number): Promise<PlanContext> {
  const repo = await resolveRepo(team, stateRoot);
  const rollback = action === 'abort' || action === 'undo-abort';
  const backups = rollback ? await backupsOf(repo, team.id) : [];
  return { now, repo, lead: team.info.lead.id ?? 'lead', backup: action === 'undo-abort' ? backups[0] ?? null : null, ...(rollback ? { backups } : {}) };
}
