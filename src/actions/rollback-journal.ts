// What abort and undo-abort read from a team's rollback journal (src/actions/apply.ts writes it).
import type { RollbackJournal } from '../ports/effects.js';
import { isBackupRefOf } from '../git/backup-refs.js';

/** Whether `ref` names one of this team's backups exactly (`web` never takes `web-ui`'s). */
export const isBackupOf = isBackupRefOf;

/** "2 of 7 steps" and the error, for notes about an interrupted rollback. */
export function progressOf(j: RollbackJournal): string {
  return `started ${j.started_at}, ${j.done} of ${j.steps.length} steps done${j.error ? `, stopped by: ${j.error}` : ''}`;
}

