// complete: mark a task completed as a lead override, with the reason, and tell the owners of
// what it unblocks.
import { isUnfinished } from '../model/types.js';
import { idProblem } from '../safety/ids.js';
import type { Effect } from '../ports/effects.js';
import { msg, refuse, taskOf, type ActionDef, type Planner } from './action.js';
import { taskTarget } from './targets.js';
import { shownId } from '../safety/sanitize.js';

const plan: Planner = (team, args, ctx) => {
  const task = taskOf(team, args.target);
  if (!args.reason?.trim()) refuse('give a reason (--reason TEXT): a lead override is recorded with why');
  if (task.status === 'completed') refuse(`${task.id} is already completed`);
  if (task.status === 'deleted') refuse(`${task.id} is deleted`);
  const dependents = team.tasks.filter((t) => isUnfinished(t) && t.dependsOn.includes(task.id));
  // What can start now: dependents whose every other dependency is finished too.
  const done = (id: string): boolean => id === task.id || team.tasks.some((x) => x.id === id && !isUnfinished(x));
  const freed = dependents.filter((d) => d.dependsOn.every(done));
  // The owners concerned, not the lead who is doing this.
  const notify = [...new Set([task.owner, ...dependents.map((d) => d.owner)].filter((o): o is string => !!o && o !== ctx.lead && idProblem(o) === null))];
  const effects: Effect[] = [{
    kind: 'update-task', taskId: task.id,
    set: {
      status: 'completed', completed_at: new Date(ctx.now).toISOString(), completion_percent: 100,
      completed_by: ctx.lead, completion_reason: args.reason!.trim(),
    },
  }];
  if (notify.length) {
    effects.push(msg(notify, 'message', 'high', {
      text: `Lead override: ${task.id} is marked completed (${args.reason!.trim()}).${freed.length ? ` ${freed.map((d) => d.id).join(', ')} can proceed.` : ''}`,
      task_id: task.id, unblocked: freed.map((d) => d.id),
    }));
  }
  return effects;
};

export const COMPLETE: ActionDef = {
  name: 'complete',
  key: 'c',
  keyHelp: "complete the selected task as a lead override (asks for the reason)",
  summary: 'mark a task completed as a lead override',
  help: 'marks a task completed as a lead override, with a reason, and tells the owners of what it unblocks',
  usage: 'TASK --reason TEXT',
  target: (team, sel) => taskTarget('complete', team, sel, false),
  ask: (_team, args) => (args.reason !== undefined ? null
    : { kind: 'prompt', field: 'reason', draft: '', required: true, title: `Complete ${shownId(String(args.target))} as the lead. Reason (required):` }),
  plan,
};
