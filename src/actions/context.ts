// What a plan needs to know beyond the snapshot, looked up the same way by the TUI and `act`:
// the team's repository, and for abort and undo-abort the backups of exactly this team.
import type { TeamSnapshot } from '../model/snapshot.js';
import type { ActionArgs, ActionName, Plan, PlanContext } from '../ports/effects.js';
import { planAction } from './plan.js';
import { backupsOf, resolveRepo } from '../git/team-repo.js';

/** Rejects with RepoError when the team names a repository that is not a git work tree. */
export async function planContextFor(team: TeamSnapshot, action: ActionName, stateRoot: string, now: number): Promise<PlanContext> {
  const repo = await resolveRepo(team, stateRoot);
  const rollback = action === 'abort' || action === 'undo-abort';
  const backups = rollback ? await backupsOf(repo, team.id) : [];
  return { now, repo, lead: team.info.lead.id ?? 'lead', backup: action === 'undo-abort' ? backups[0] ?? null : null, ...(rollback ? { backups } : {}) };
}

/**
 * What confirming `shown` applies: the same action planned again on `current` (the files and the
 * repository as they are now) at the moment `shown` was planned (`shownAt`), so its names and times
 * are the ones shown. The caller applies it only when it asks for the same decision
 * (plan.ts sameDecision); used by the TUI's confirmation and by `act` after its question.
 * Rejects with RepoError as planContextFor does.
 */
export async function planAsShown(current: TeamSnapshot, shown: Plan & { action: ActionName }, stateRoot: string, shownAt: number): Promise<Plan> {
  return planAction(current, shown.action, shown.args as ActionArgs, await planContextFor(current, shown.action, stateRoot, shownAt));
}
