// undo-abort: for an aborted team, save the current state the same way an abort does, then
// restore the state from before the abort byte for byte (so the undo can be undone too). The
// team_status comes back as the abort's team_aborted message recorded it (a halted team stays
// halted). An abort without a repository changed only that (the archive keeps the directory).
import type { TeamSnapshot } from '../model/snapshot.js';
import { TEAM_STATUSES } from '../model/schemas.js';
import { stampOf } from '../model/time.js';
import type { Effect, Plan, PlanContext } from '../ports/effects.js';
import { msg, noTarget, refuse, type ActionDef, type Planner } from './action.js';
import { backupExists, isBackupOf, lastAbortOf, progressOf, treeChangeBegan, type AbortRecord } from './rollback-journal.js';

const plan: Planner = (team, args, ctx, plan) => {
  const j = team.rollback;
  const interrupted = j?.state === 'in-progress' ? j : null;
  // A team's own status decides where the format has one; otherwise teamtop's journal does.
  const aborted = team.info.status !== null ? team.info.status === 'aborted' : j?.op === 'abort';
  if (!interrupted && !aborted) {
    refuse(`${team.id} is not aborted (status: ${team.info.status ?? 'no abort recorded'}): undo-abort only restores the state of an aborted team from before its abort`);
  }
  if (!ctx.repo) {
    if (args.backup) refuse(`--backup names a git backup, and ${team.id} has no git repository`);
    if (interrupted) refuse(`an ${interrupted.op} of ${team.id} was interrupted (${progressOf(interrupted)}) and its work tree is in a git repository the team no longer has: give the team its repository (${team.format.hints.repo}) to complete or undo it`);
    return restoreStatus(team, ctx, plan);
  }
  let restore: string | null = null;
  let why = '';
  if (args.backup) {
    if (!isBackupOf(args.backup, team.id)) refuse(`${args.backup} is not a backup of ${team.id} (refs/teamtop/backup/${team.id}-<YYYYMMDDTHHMMSSZ>)`);
    restore = args.backup;
    why = 'the backup asked for';
  } else if (interrupted?.op === 'undo-abort') {
    restore = interrupted.restore_ref;
    const first = interrupted.backup_ref && isBackupOf(interrupted.backup_ref, team.id) ? interrupted.backup_ref : null;
    plan.carries = { started_at: interrupted.started_at, backup_ref: first && treeChangeBegan(interrupted) && backupExists(ctx, first) ? first : null };
    plan.notes.push(`an earlier undo-abort of ${team.id} was interrupted (${progressOf(interrupted)}): this completes it`);
    why = 'the backup the interrupted undo-abort was restoring';
  } else if (interrupted?.op === 'abort' && !interrupted.backup_ref) {
    refuse(`the interrupted abort of ${team.id} had saved nothing yet (${progressOf(interrupted)}): there is nothing of it to undo — run abort to complete it, or pass --backup REF`);
  } else if (j?.op === 'abort' && j.backup_ref) {
    // The journal may be of an older abort: when the newest abort was made without a repository
    // (its message records no backup), that one is undone the way it was made.
    const last = !interrupted ? lastAbortOf(team, ctx.lead) : null;
    if (last && 'sequence' in last && last.backupRef === null) return restoreStatus(team, ctx, plan, last);
    restore = j.backup_ref;
    if (interrupted) plan.notes.push(`the abort of ${team.id} was interrupted (${progressOf(interrupted)}): this restores the state from before it`);
    why = 'the state from before the abort';
  } else {
    // An abort made while the team had no repository saved nothing in it: it is undone the way
    // it was made, never by restoring an older backup of the team.
    const last = aborted && !interrupted ? lastAbortOf(team, ctx.lead) : null;
    if (last && 'sequence' in last && last.backupRef === null) return restoreStatus(team, ctx, plan, last);
    restore = ctx.backup ?? null;
    why = 'the newest backup of this team';
  }
  if (!restore || !isBackupOf(restore, team.id)) refuse(`no backup of ${team.id} under refs/teamtop/backup/ to restore`);
  if (!backupExists(ctx, restore!)) {
    const others = (ctx.backups ?? []).slice(0, 5);
    refuse(`${restore} (${why}) does not exist in ${ctx.repo}${others.length ? `: pass --backup with one that does (${others.join(', ')})` : ''}`);
  }
  const preRef = `refs/teamtop/backup/${team.id}-${stampOf(ctx.now)}`;
  if (preRef === restore || preRef === plan.carries?.backup_ref) refuse('a backup of this team was made this very second: try again in a moment');
  plan.notes.push(`restores ${restore} (${why}); the work tree as it is now is saved first under ${preRef}, so this can be undone too`);
  // The status comes back as the abort that made this backup recorded it (a halted team stays
  // halted); a backup no abort message names (another one asked for, an older teamtop's) is active.
  const last = lastAbortOf(team, ctx.lead);
  let was = 'sequence' in last && last.backupRef === restore ? restorable(last.statusBefore) : null;
  if (was !== null && was !== 'active') plan.notes.push(`team_status goes back to ${was}, as the abort's team_aborted message (sequence ${(last as AbortRecord).sequence}) recorded it`);
  if (was === null && interrupted?.op === 'abort' && team.info.status !== 'aborted') {
    // Killed before it changed team_status (its message comes just before that): it is as it was.
    was = restorable(team.info.status);
    if (was !== null) plan.notes.push(`the interrupted abort had not changed team_status: it stays ${was}`);
  }
  if (was === null) {
    if (team.mailbox.indexing) refuse(`the mailbox of ${team.id} is still being read, and the team_status from before the abort is recorded there: try again in a moment`);
    plan.notes.push(`no team_aborted message names ${restore}: team_status is set to active`);
  }
  return [
    { kind: 'git-backup', repo: ctx.repo!, ref: preRef, message: `teamtop: backup of ${team.id} before undo-abort`, team: team.id, rollbackTo: [restore!] },
    { kind: 'git-restore', repo: ctx.repo!, ref: restore!, backupRef: preRef },
    // Another backup asked for is not "before the abort": the message says which state came back.
    ...statusBack(was ?? 'active', `${args.backup ? `the work tree is back as saved in ${restore}` : 'the work tree is back as it was before it'}${was !== null && was !== 'active' ? `, and the team is ${was} again` : ''}`,
      was !== null ? (last as AbortRecord).sequence : undefined),
  ];
};

/** A status recorded before an abort that undo-abort sets back, or null. */
function restorable(was: unknown): string | null {
  return typeof was === 'string' && was !== 'aborted' && (TEAM_STATUSES as readonly string[]).includes(was) ? was : null;
}

/** team_status set to `status`, and everyone told what came back (a halted team: to keep waiting). */
function statusBack(status: string, what: string, undoes?: number): Effect[] {
  const halted = status === 'halted';
  return [
    { kind: 'set-team-status', status },
    msg('all', halted ? 'team_halted' : 'team_resumed', 'high', {
      text: `The abort was undone: ${what}.${halted ? ' Keep waiting for recovery.' : ' Continue from your checkpoints.'}`,
      ...(undoes !== undefined ? { undoes_abort: undoes } : {}),
    }),
  ];
}

/**
 * The undo of an abort that had no repository: team_status back to what the abort's message
 * recorded, the rest of team.json as it is now (the lead's heartbeat goes on there), everyone told.
 * Refused, with the way out, when that record is missing or names a status teamtop cannot set.
 */
function restoreStatus(team: TeamSnapshot, ctx: PlanContext, plan: Plan, found?: AbortRecord): Effect[] {
  const by = ' Set team_status in team.json yourself: each <team>.ABORTED-<ts> archive keeps team.json as it was before its abort.';
  const last = found ?? lastAbortOf(team, ctx.lead);
  if ('none' in last) refuse(`${team.id} has no git repository, and there is no record of the team_status it had before the abort: ${last.none}.${by}`);
  const { sequence, statusBefore: was, archive, backupRef } = last as AbortRecord;
  const at = `the abort (team_aborted, sequence ${sequence})`;
  if (backupRef !== null) refuse(`${at} saved the work tree under ${backupRef}, and ${team.id} has no git repository now: give it its repository (${team.format.hints.repo}) to restore it`);
  if (was === null) refuse(`team.json had no team_status before ${at}: undo-abort sets a status but never removes the field.${by}`);
  const status = restorable(was);
  if (status === null) refuse(`${at} records ${JSON.stringify(was)} as the status before it, which is not one undo-abort restores.${by}`);
  plan.notes.push(`${team.id} has no git repository: team_status goes back to ${status}, as ${at} recorded it; the rest of team.json stays as it is now${archive ? ` (${archive} keeps the team directory as it was before the abort)` : ''}`);
  return statusBack(status!, `the team is ${status} again, as it was before it`, sequence);
}

export const UNDO_ABORT: ActionDef = {
  name: 'undo-abort',
  key: 'U',
  keyHelp: "undo the abort of an aborted team: save the current state, then restore the one from before the abort exactly",
  summary: 'restore the state from before the abort exactly (first saving the current one); --backup names another backup of the team',
  help: 'only for an aborted team: saves the current state the same way (so the undo can be undone too), then restores the state from before the abort byte for byte, and `team_status` as the abort recorded it (a team halted before its abort is halted again). An abort made without a repository is undone by setting `team_status` back to what its `team_aborted` message recorded (the rest of `team.json` stays as it is now); refused, with the reason, when there is no such record',
  usage: '[--backup REF]',
  target: noTarget,
  plan,
};
