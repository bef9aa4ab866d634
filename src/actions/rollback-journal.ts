// What abort and undo-abort read from a team's rollback journal (src/actions/apply.ts writes it).
import type { PlanContext, RollbackJournal } from '../ports/effects.js';
import { isBackupRefOf } from '../git/backup-refs.js';

/** Whether `ref` names one of this team's backups exactly (`web` never takes `web-ui`'s). */
export const isBackupOf = isBackupRefOf;

/** "2 of 7 steps" and the error, for notes about an interrupted rollback. */
export function progressOf(j: RollbackJournal): string {
  return `started ${j.started_at}, ${j.done} of ${j.steps.length} steps done${j.error ? `, stopped by: ${j.error}` : ''}`;
}


/** Whether the backup `ref` exists (true when the context does not know the team's backups). */
export function backupExists(ctx: PlanContext, ref: string): boolean {
  return ctx.backups === undefined || ctx.backups.includes(ref);
}

/**
 * Whether an interrupted rollback's reset or restore had begun (it was done, or the step under
 * way when it stopped), in this attempt or an earlier one it completes: only then is the work
 * tree no longer what it was before the rollback.
 */
export function treeChangeBegan(j: RollbackJournal): boolean {
  if (j.tree_changed === true) return true;
  const at = j.steps.findIndex((s) => s === 'git-reset' || s === 'git-restore');
  return at >= 0 && j.done >= at;
}
