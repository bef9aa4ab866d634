// reassign: hand a task to another teammate with a checkpoint — the old owner's state is saved,
// the work in progress committed and tagged, a brief written (seed Workflow B).
import { latestCheckpoint } from '../model/snapshot.js';
import { stampOf } from '../model/time.js';
import { isUnfinished } from '../model/types.js';
import type { Effect } from '../ports/effects.js';
import { refuse, safe, taskOf, teammateOf, type ActionDef, type Planner } from './action.js';
import { taskTarget } from './targets.js';
import { reassignCandidates } from './candidates.js';
import { shownId } from '../safety/sanitize.js';

const plan: Planner = (team, args, ctx, plan) => {
  const task = taskOf(team, args.target);
  const to = teammateOf(team, args.to, 'new owner (--to)');
  const old = task.owner;
  if (old === to.id) refuse(`${task.id} is already owned by ${to.id}`);
  // A poor new owner is said in the plan, before the lead confirms.
  const warn = reassignCandidates(team, task.id, ctx.now).find((c) => c.id === to.id)?.warnings ?? [];
  if (warn.length) plan.notes.push(`${shownId(to.id)} is ${warn.join(', ')}: the task may stall again`);
  if (old) safe('teammate', old);
  const oldTm = old ? team.teammates.find((t) => t.id === old) ?? null : null;
  const stamp = stampOf(ctx.now);
  // The old owner's own figures (its completion, its latest checkpoint) are about the task it is on:
  // they describe this task only when that is this one (a checkpoint naming another task never does).
  const onIt = oldTm !== null && (oldTm.taskCurrent === task.id || (task.name !== null && oldTm.taskCurrent === task.name));
  const latest = old ? latestCheckpoint(team, old) : null;
  const cp = latest && (latest.taskId === task.id || (latest.taskId === null && onIt)) ? latest : null;
  const completion = task.completionPercent ?? (onIt ? oldTm.completionPercent : null) ?? cp?.completionPercent ?? null;
  const effects: Effect[] = [];
  const oldId = old ?? 'unassigned';
  if (old) {
    effects.push({
      kind: 'write-checkpoint', teammateId: old, stamp, checkpoint: {
        checkpoint_id: `ckpt-${old}-${stamp}`, teammate_id: old, timestamp: new Date(ctx.now).toISOString(),
        task_id: task.id, task_name: task.name, completion_percent: completion,
        last_action: cp?.lastAction ?? null, next_step: cp?.nextStep ?? null, files_modified: cp?.filesModified ?? [],
        notes: `Written by teamtop before reassigning ${task.id} from ${old} to ${to.id}.${cp?.notes ? ` Previous notes: ${cp.notes}` : ''}`,
        context_at_checkpoint: oldTm?.contextUsed != null ? { tokens_used: oldTm.contextUsed, tokens_max: oldTm.contextMax } : null,
      },
    });
  }
  if (ctx.repo) {
    effects.push({ kind: 'git-commit-wip', repo: ctx.repo, message: `Checkpoint: ${oldId} at ${completion ?? '?'}% on ${task.id} before reassignment to ${to.id}` });
    effects.push({ kind: 'git-tag', repo: ctx.repo, name: `checkpoint-${oldId}-${stamp}`, message: `teamtop: ${task.id} reassigned from ${oldId} to ${to.id}` });
  } else {
    plan.notes.push('the team has no git repository: no checkpoint commit or tag');
  }
  const brief = `reassign-${oldId}-${stamp}.json`;
  const nextSteps = [
    ...(cp?.nextStep ? [cp.nextStep] : []),
    ...(ctx.repo ? [`Review the checkpoint commit (tag checkpoint-${oldId}-${stamp})`] : []),
    `Read ${brief} and the latest checkpoint of ${oldId}`,
    'Message the lead when the task is done',
  ];
  effects.push({
    kind: 'write-record', file: brief, commitInto: ctx.repo ? 'checkpoint_commit' : undefined, data: {
      reassignment_id: `reassign-${oldId}-${stamp}`,
      original_task: { id: task.id, name: task.name, status: task.status },
      completion_percent: completion,
      original_teammate: old, new_teammate: to.id,
      checkpoint_commit: null,
      previous_work_summary: cp?.notes ?? cp?.lastAction ?? null,
      files_modified: cp?.filesModified ?? [],
      next_steps: nextSteps,
      reason: args.reason ?? null,
      created_at: new Date(ctx.now).toISOString(),
    },
  });
  effects.push({ kind: 'update-task', taskId: task.id, set: { owner: to.id } });
  // The old owner is 'reassigned' only when this was its last unfinished task.
  const keeps = team.tasks.filter((t) => t.id !== task.id && t.owner === old && isUnfinished(t));
  if (old && oldTm && keeps.length === 0) effects.push({ kind: 'set-teammate-status', teammateId: old, status: 'reassigned' });
  else if (old && oldTm) plan.notes.push(`${shownId(old)} keeps ${keeps.map((t) => shownId(t.id)).join(', ')}: its status is left as it is`);
  effects.push({
    kind: 'append-message', message: {
      to: to.id, type: 'reassignment', priority: 'critical',
      payload: {
        text: `Reassignment: ${task.id}${task.name ? ` "${task.name}"` : ''} is yours${old ? `, taken over from ${old}` : ''}${completion !== null ? ` at ${completion}%` : ''}. The brief is ${brief}. Reply when you have picked it up.`,
        task_id: task.id, brief, from_teammate: old, checkpoint_commit: null,
      },
      fields: { required_response: true, timeout: '25min', attachment: brief },
      commitInto: ctx.repo ? 'checkpoint_commit' : undefined,
    },
  });
  return effects;
};

export const REASSIGN: ActionDef = {
  name: 'reassign',
  key: 'R',
  keyHelp: "reassign the selected task (or the teammate's task) with a checkpoint: pick the new owner",
  summary: 'checkpoint, commit and tag the work in progress, write the brief, hand over',
  help: 'pick the new owner; a checkpoint of the old owner is written, the work in progress is committed and tagged `checkpoint-<id>-<ts>` (when the team has a git repo), the brief `reassign-<old>-<ts>.json` is written, the owner changes, the old teammate is marked `reassigned`, and the new owner gets a `reassignment` message',
  usage: 'TASK --to ID',
  target: (team, sel) => taskTarget('reassign', team, sel, true),
  ask: (team, args, now = Date.now()) => {
    if (args.to !== undefined) return null;
    const task = team.tasks.find((x) => x.id === args.target);
    // Best candidates first, with what ranked them; a poor choice says why.
    const options = reassignCandidates(team, args.target, now).map((c) => ({ label: c.label, value: c.id }));
    if (options.length === 0) return { say: 'no other teammate to reassign to' };
    return { kind: 'pick', field: 'to', index: 0, options, title: `Reassign ${shownId(String(args.target))}${task?.owner ? ` (now ${shownId(task.owner)})` : ''} to:` };
  },
  plan,
};
