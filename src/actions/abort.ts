// abort: back up everything the rollback can remove or change, tag, record the decision, archive
// the team directory, roll the repository back to base_ref, mark the team aborted, tell everyone.
// A journal makes an abort killed half way visible and completable (seed: Abort procedure).
// Without a repository the only state file it changes is team.json's team_status: the status from
// before is written into the decision record and the team_aborted message, which is appended
// before the status changes, so every team this abort marks aborted has the record undo-abort
// restores the status from (the archive, copied before any state file changes, keeps the rest).
import { isUnfinished } from '../model/types.js';
import { stampOf } from '../model/time.js';
import type { Effect } from '../ports/effects.js';
import { msg, noTarget, refuse, type ActionDef, type Planner } from './action.js';
import { ABORT_RECORD, backupExists, isBackupOf, progressOf, treeChangeBegan } from './rollback-journal.js';
import { shownId } from '../safety/sanitize.js';

const plan: Planner = (team, args, ctx, plan) => {
  const j = team.rollback;
  const interrupted = j?.state === 'in-progress' ? j : null;
  if (interrupted?.op === 'undo-abort') {
    refuse(`an undo-abort of ${team.id} was interrupted (${progressOf(interrupted)}): run undo-abort again to complete it first`);
  }
  const aborted = team.info.status !== null ? team.info.status === 'aborted' : j?.op === 'abort' && j.state === 'done';
  if (aborted && !interrupted) refuse(`${team.id} is already aborted`);
  const stamp = stampOf(ctx.now);
  const completed = team.tasks.filter((t) => t.status === 'completed').map((t) => t.id);
  const lost = team.tasks.filter(isUnfinished).map((t) => ({ id: t.id, status: t.status, owner: t.owner, completion_percent: t.completionPercent }));
  const total = completed.length + lost.length;
  const effects: Effect[] = [];
  const backupRef = `refs/teamtop/backup/${team.id}-${stamp}`;
  const tag = `abort-${team.id}-${stamp}`;
  if (interrupted) {
    // The first attempt's backup holds the state from before the abort only if the work tree has
    // changed since (its reset began) and only if it still exists; otherwise the work tree is
    // still the team's, and this attempt's fresh backup is the one an undo should restore.
    const recorded = interrupted.backup_ref && isBackupOf(interrupted.backup_ref, team.id) ? interrupted.backup_ref : null;
    if (recorded === backupRef) refuse('the interrupted abort made its backup this very second: try again in a moment');
    const began = treeChangeBegan(interrupted);
    const first = began && recorded && backupExists(ctx, recorded) ? recorded : null;
    plan.carries = { started_at: interrupted.started_at, backup_ref: first };
    let why = '';
    if (first) why = `; undo-abort restores the state from before that first attempt (${first})`;
    else if (began) why = `; its reset had begun but its backup ${recorded ?? '(none recorded)'} is gone: undo-abort can only restore the work tree as it is now (saved under ${backupRef})`;
    else if (recorded) why = `; its reset had not begun, so the work tree is still the team's and is saved afresh under ${backupRef} (the first attempt's ${recorded} is kept)`;
    plan.notes.push(`an earlier abort of ${team.id} was interrupted (${progressOf(interrupted)}): this completes it${why}`);
  }
  if (ctx.repo) {
    if (!team.info.baseRef) refuse(`no base_ref: set what an abort rolls back to (${team.format.hints.baseRef}, e.g. "main")`);
    effects.push({ kind: 'git-backup', repo: ctx.repo, ref: backupRef, message: `teamtop: backup of ${team.id} before abort`, team: team.id, rollbackTo: [team.info.baseRef!] });
    effects.push({ kind: 'git-tag', repo: ctx.repo, name: tag, message: `teamtop: ${team.id} aborted${args.reason ? `: ${args.reason}` : ''}` });
  } else {
    plan.notes.push('the team has no git repository: nothing to roll back');
  }
  const savedIn = plan.carries?.backup_ref ?? backupRef;
  const archive = `${team.id}.ABORTED-${stamp}`;
  const before = { [ABORT_RECORD.statusBefore]: team.info.status, [ABORT_RECORD.archive]: archive };
  effects.push({
    kind: 'write-record', file: `abort-${stamp}.json`, data: {
      decision_id: `abort-${team.id}-${stamp}`, timestamp: new Date(ctx.now).toISOString(), reason: args.reason ?? null,
      completed_work: total ? Math.round((completed.length / total) * 100) : null,
      lost_work: total ? Math.round((lost.length / total) * 100) : null,
      completed_tasks: completed, lost_tasks: lost,
      backup_ref: ctx.repo ? savedIn : null, tag: ctx.repo ? tag : null, base_ref: team.info.baseRef,
      ...before,
      ...(plan.carries ? { completes_abort_started: plan.carries.started_at } : {}),
    },
  });
  // The decision record is a new file: the archive holds every state file as it was before.
  effects.push({ kind: 'copy-dir', to: archive });
  if (ctx.repo) effects.push({ kind: 'git-reset', repo: ctx.repo, target: team.info.baseRef!, backupRef });
  const status: Effect = { kind: 'set-team-status', status: 'aborted' };
  const told = msg('all', 'team_aborted', 'critical', {
    text: [`Team aborted${args.reason ? `: ${args.reason}` : ''}.`, ctx.repo ? `The work tree was rolled back to ${team.info.baseRef}; everything is saved under ${savedIn} (tag ${tag}).` : null, 'Stop work; a post-mortem follows.'].filter(Boolean).join(' '),
    checkpoint_tag: ctx.repo ? tag : null, backup_ref: ctx.repo ? savedIn : null, ...before,
  });
  // With a repository the journal is undo-abort's record, and everyone is told once the work tree
  // is rolled back. Without one the message is the record: it goes first, so an abort stopped
  // between the two leaves an active team (abort completes it), never an aborted one with no
  // record of the status to restore.
  if (ctx.repo) effects.push(status, told);
  else {
    effects.push(told, status);
    if (team.info.status) plan.notes.push(`undo-abort can set team_status back to ${team.info.status}; ${archive} keeps the team directory as it was before the abort`);
  }
  return effects;
};

export const ABORT: ActionDef = {
  name: 'abort',
  key: 'A',
  keyHelp: "abort and roll back the team (type the team id to confirm)",
  summary: 'back up, tag, record, archive, roll back to base_ref, tell everyone',
  help: 'type the team id to confirm: saves everything the rollback can remove or change under `refs/teamtop/backup/<team>-<ts>` (HEAD and branch, the exact index, every file\'s bytes without git\'s filters, file modes, empty directories, and the ignored files the reset would overwrite or expose), tags `abort-<team>-<ts>`, writes the decision record, copies the team directory to `<team>.ABORTED-<ts>`, resets the repo to `base_ref`, sets `team_status: aborted`, tells everyone. A journal (`rollback.json`) is kept from the first step: if the abort is killed half way, the next start or command says so, `A` completes it and `U` restores the state from before it. Without a repository it changes only `team_status`: the status from before is recorded in the decision record and in the `team_aborted` message, sent before the status changes, so `U` can set it back',
  usage: '[--reason TEXT]',
  target: noTarget,
  ask: (team, args) => (args.reason !== undefined ? null
    : { kind: 'prompt', field: 'reason', draft: '', title: `Abort team ${shownId(team.id)}. Reason (recorded in the decision record):` }),
  confirm: 'team-id',
  plan,
};
