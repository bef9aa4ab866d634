// undo-abort: for an aborted team, save the current state the same way an abort does, then
// restore the state from before the abort byte for byte (so the undo can be undone too).
import { stampOf } from '../model/time.js';
import { msg, noTarget, refuse, type ActionDef, type Planner } from './action.js';
import { backupExists, isBackupOf, progressOf, treeChangeBegan } from './rollback-journal.js';

const plan: Planner = (team, args, ctx, plan) => {
  if (!ctx.repo) refuse('the team has no git repository: there is no backup to restore');
  const j = team.rollback;
  const interrupted = j?.state === 'in-progress' ? j : null;
  // A team's own status decides where the format has one; otherwise teamtop's journal does.
  const aborted = team.info.status !== null ? team.info.status === 'aborted' : j?.op === 'abort';
  if (!interrupted && !aborted) {
    refuse(`${team.id} is not aborted (status: ${team.info.status ?? 'no abort recorded'}): undo-abort only restores the backup of an aborted team`);
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
    restore = j.backup_ref;
    if (interrupted) plan.notes.push(`the abort of ${team.id} was interrupted (${progressOf(interrupted)}): this restores the state from before it`);
    why = 'the state from before the abort';
  } else {
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
  return [
    { kind: 'git-backup', repo: ctx.repo!, ref: preRef, message: `teamtop: backup of ${team.id} before undo-abort`, team: team.id, rollbackTo: [restore!] },
    { kind: 'git-restore', repo: ctx.repo!, ref: restore!, backupRef: preRef },
    { kind: 'set-team-status', status: 'active' },
    msg('all', 'team_resumed', 'high', { text: 'The abort was undone: the work tree is back as it was before it. Continue from your checkpoints.' }),
  ];
};

export const UNDO_ABORT: ActionDef = {
  name: 'undo-abort',
  key: 'U',
  keyHelp: "undo the abort of an aborted team: save the current state, then restore the one from before the abort exactly",
  summary: 'restore the state from before the abort exactly (first saving the current one); --backup names another backup of the team',
  help: 'only for an aborted team: saves the current state the same way (so the undo can be undone too), then restores the state from before the abort byte for byte',
  usage: '[--backup REF]',
  target: noTarget,
  plan,
};
