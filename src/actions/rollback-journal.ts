// What abort and undo-abort read from a team's rollback journal (src/actions/apply.ts writes it),
// and, for an abort without a repository, from its team_aborted message.
import type { PlanContext, RollbackJournal } from '../ports/effects.js';
import type { TeamSnapshot } from '../model/snapshot.js';
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

/**
 * What an abort records about the team as it was, in its decision record and in its team_aborted
 * message: the team_status it changes, and the archive that keeps the team directory.
 */
export const ABORT_RECORD = { statusBefore: 'team_status_before', archive: 'archive' } as const;

/** The messages that announce a change of the whole team's status. */
const TEAM_STATUS_MESSAGES: ReadonlySet<string> = new Set(['team_aborted', 'team_halted', 'team_resumed']);

/** The abort a team_aborted message records: its sequence, the status before it, its archive. */
export interface AbortRecord {
  sequence: number;
  statusBefore: unknown;
  archive: string | null;
  /** Where the abort saved the work tree (null: it had no repository). */
  backupRef: string | null;
}

/**
 * The abort an undo-abort without a repository undoes: the lead's last team-status message, when
 * it is a team_aborted; or why there is none to go by. (Without a repository abort keeps no
 * journal: its message, appended before the status changes, is its record.)
 */
export function lastAbortOf(team: TeamSnapshot, lead: string): AbortRecord | { none: string } {
  const recent = team.mailbox.recent;
  for (let i = recent.length - 1; i >= 0; i--) {
    const m = recent[i]!;
    if (m.from !== lead || !TEAM_STATUS_MESSAGES.has(m.type)) continue;
    if (m.type !== 'team_aborted') {
      return { none: `the lead's last team-status message is ${m.type} (sequence ${m.sequence}), after any abort: team.json says aborted, but not through an abort teamtop recorded` };
    }
    const p = (m.payload && typeof m.payload === 'object' ? m.payload : {}) as Record<string, unknown>;
    if (!(ABORT_RECORD.statusBefore in p)) {
      return { none: `the abort's team_aborted message (sequence ${m.sequence}) does not record the status from before it (an abort by an older teamtop)` };
    }
    const archive = typeof p[ABORT_RECORD.archive] === 'string' ? p[ABORT_RECORD.archive] as string : null;
    const backupRef = typeof p.backup_ref === 'string' ? p.backup_ref : null;
    return { sequence: m.sequence, statusBefore: p[ABORT_RECORD.statusBefore], archive, backupRef };
  }
  const where = `the last ${recent.length} message${recent.length === 1 ? '' : 's'} of the mailbox`;
  return { none: `no team_aborted message from ${lead} in ${where}${team.mailbox.indexing ? ' (the mailbox is still being read: try again in a moment)' : ''}` };
}
