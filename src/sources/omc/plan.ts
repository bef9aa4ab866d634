// omc teams express fewer things than the native format: no team status, no checkpoints or
// briefs, no sequences, and a task's owner and status change only through its worker's claim.
// These planners say what can be said in omc's terms (messages, shutdown requests, a task's
// blocked_by, releasing a claim); what cannot is refused with the reason.
import type { TeamSnapshot } from '../../model/snapshot.js';
import type { ActionArgs, ActionName, Effect, Plan, PlanContext } from '../../ports/effects.js';

type OmcPlanner = (team: TeamSnapshot, args: ActionArgs, ctx: PlanContext, plan: Plan, base: Effect[]) => Effect[];

const shutdown = (reason: string): Effect => ({
  kind: 'append-message', message: { to: 'all', type: 'shutdown_request', priority: 'critical', payload: { reason } },
});

const OMC_PLANNERS: Partial<Record<ActionName, OmcPlanner>> = {
  resend: (team, args, _ctx, _plan, base) => {
    // No sequences: resend the undelivered texts themselves.
    const waiting = team.mailbox.recent.filter((m) => m.to !== 'all' && m.to.includes(args.target!) && m.extra.read !== true);
    const lines = waiting.map((m, i) => `${i + 1}) ${typeof m.payload === 'string' ? m.payload : JSON.stringify(m.payload)}`);
    return base.map((e) => (e.kind === 'append-message'
      ? { ...e, message: { ...e.message, fields: undefined, payload: { text: `[RESEND] ${waiting.length} message${waiting.length === 1 ? '' : 's'} to you ${waiting.length === 1 ? 'is' : 'are'} not delivered yet. Please read and answer:\n${lines.join('\n')}` } } }
      : e));
  },
  'break-cycle': (_team, _args, _ctx, _plan, base) =>
    // No sequence field: only the dependency goes (blocked_by through update-task); messages stay.
    base.flatMap((e): Effect[] => {
      if (e.kind !== 'update-task') return [e];
      return e.removeDependency ? [{ kind: 'update-task', taskId: e.taskId, removeDependency: e.removeDependency }] : [];
    }),
  reassign: (team, args, ctx, plan) => {
    const task = team.tasks.find((t) => t.id === args.target)!;
    if (task.status === 'completed') throw new Error(`task ${task.id} is completed: there is nothing to reassign`);
    const effects: Effect[] = [];
    const how = 'omc gives a task to a worker only through that worker\'s own claim';
    if (task.status === 'in_progress') {
      if (task.leaseUntil != null && task.leaseUntil <= ctx.now) {
        throw new Error(`the claim on task ${task.id} ran out: omc lets nobody release an expired claim (\`omc team api recover-worker\` requeues the tasks of a dead worker)`);
      }
      effects.push({ kind: 'update-task', taskId: task.id, set: { status: 'pending' } });
      plan.notes.push(`${how}: the claim of ${task.owner ?? 'its owner'} is released and ${args.to!} is asked to claim it`);
    } else plan.notes.push(`${how}: ${args.to!} is asked to claim it`);
    effects.push({
      kind: 'append-message', message: {
        to: args.to!, type: 'task_assignment', priority: 'high',
        payload: { text: `Task ${task.id}${task.name ? ` (${task.name})` : ''} is yours now: claim it (omc team api claim-task) and carry on${task.owner ? ` from where ${task.owner} left it` : ''}.` },
      },
    });
    return effects;
  },
  halt: (_team, args, _ctx, plan) => {
    plan.notes.push('omc teams have no team status: halting writes a shutdown request for every worker');
    return [shutdown(args.reason ?? 'team halted by the lead')];
  },
  abort: (_team, args, ctx, plan, base) => {
    // No team status, decision records or archive in omc: the git effects (backup, tag,
    // rollback) and a shutdown request for every worker.
    if (!ctx.repo) plan.notes = plan.notes.map((n) => (n.startsWith('the team has no git repository') ? 'no repository given (--repo): nothing to roll back' : n));
    return [...base.filter((e) => e.kind.startsWith('git-')), shutdown(`team aborted${args.reason ? `: ${args.reason}` : ''}`)];
  },
  'undo-abort': (_team, _args, _ctx, plan, base) => {
    plan.notes.push('omc teams have no team status: the work tree comes back; start the workers again with omc');
    return base.filter((e) => e.kind.startsWith('git-'));
  },
};

/** The format adapter's adaptPlan: the native plan said in omc's terms. */
export function adaptOmcPlan(action: ActionName, team: TeamSnapshot, args: ActionArgs, ctx: PlanContext, plan: Plan, effects: Effect[]): Effect[] {
  const adapt = OMC_PLANNERS[action];
  return adapt ? adapt(team, args, ctx, plan, effects) : effects;
}
