// Claude Code teams express fewer things than the native format: no team status, no teammate
// status, no checkpoints or briefs, no sequences. These planners say the same things in the
// format's own terms (task_assignment and shutdown_request protocol messages, owner and
// blocks/blockedBy in task files); what cannot be expressed is refused with the reason.
import type { TeamSnapshot } from '../../model/snapshot.js';
import { stampOf } from '../../model/time.js';
import type { ActionArgs, ActionName, Effect, Plan, PlanContext } from '../../ports/effects.js';

type ClaudePlanner = (team: TeamSnapshot, args: ActionArgs, ctx: PlanContext, plan: Plan, base: Effect[] | null) => Effect[];

const shutdown = (team: TeamSnapshot, ctx: PlanContext, reason: string): Effect => ({
  kind: 'append-message',
  message: {
    to: 'all', type: 'shutdown_request', priority: 'critical',
    payload: { requestId: `teamtop-${team.id}-${stampOf(ctx.now)}`, from: ctx.lead, reason, timestamp: new Date(ctx.now).toISOString() },
  },
});

/** Given the native plan's effects (when the action was planned natively first), adapt them. */
const CLAUDE_PLANNERS: Partial<Record<ActionName, ClaudePlanner>> = {
  resend: (team, args, _ctx, _plan, base) => {
    // No sequences in this format: resend the unread texts themselves.
    const unread = team.mailbox.recent.filter((m) => m.to !== 'all' && m.to.includes(args.target!) && m.extra.read !== true);
    const lines = unread.map((m, i) => `${i + 1}) ${typeof m.payload === 'string' ? m.payload : JSON.stringify(m.payload)}`);
    return (base ?? []).map((e) => (e.kind === 'append-message'
      ? { ...e, message: { ...e.message, fields: undefined, payload: { text: `[RESEND] You have ${unread.length} unread message${unread.length === 1 ? '' : 's'} from the team. Please read and answer them:\n${lines.join('\n')}` } } }
      : e));
  },
  'break-cycle': (_team, _args, _ctx, _plan, base) =>
    // No sequence field: remove the dependency (both files) and tell the owners.
    (base ?? []).flatMap((e): Effect[] => {
      if (e.kind !== 'update-task') return [e];
      if (!e.removeDependency) return [];
      const { sequence: _s, ...rest } = e.set ?? {};
      void _s;
      return [{ ...e, set: rest }];
    }),
  reassign: (team, args, ctx, plan) => {
    const task = team.tasks.find((t) => t.id === args.target)!;
    plan.notes.push('Claude Code teams keep no checkpoints or briefs: the new owner gets a task_assignment');
    return [
      { kind: 'update-task', taskId: task.id, set: { owner: args.to! } },
      {
        kind: 'append-message', message: {
          to: args.to!, type: 'task_assignment', priority: 'high',
          payload: { taskId: task.id, subject: task.name ?? task.id, description: task.description ?? '', assignedBy: ctx.lead, timestamp: new Date(ctx.now).toISOString() },
        },
      },
    ];
  },
  complete: (_team, _args, _ctx, _plan, base) =>
    (base ?? []).map((e) => (e.kind === 'update-task' ? { ...e, set: { status: 'completed' } } : e)),
  halt: (team, args, ctx, plan) => {
    plan.notes.push('Claude Code teams have no team status: halting asks every teammate to shut down');
    // Halting twice asks twice: say when the last request went and who has not answered it.
    const asked = team.mailbox.recent.filter((m) => m.from === ctx.lead && m.protocol?.type === 'shutdown_request');
    const last = asked.at(-1);
    if (last) {
      const answered = new Set(team.mailbox.recent.filter((m) => (m.timestamp ?? 0) >= (last.timestamp ?? 0)
        && (m.protocol?.type === 'shutdown_approved' || m.protocol?.type === 'shutdown_rejected')).map((m) => m.from));
      const waiting = [...new Set(asked.filter((m) => m.timestamp === last.timestamp).flatMap((m) => (m.to === 'all' ? [] : m.to)))].filter((t) => !answered.has(t));
      plan.notes.push(`a shutdown request already went out${last.timestamp !== null ? ` at ${new Date(last.timestamp).toISOString().slice(11, 16)} UTC` : ''}${waiting.length ? ` (no answer yet from ${waiting.join(', ')})` : ''}: this sends another`);
    }
    return [shutdown(team, ctx, args.reason ?? 'team halted by the lead')];
  },
  'undo-abort': (_team, _args, _ctx, _plan, base) =>
    (base ?? []).filter((e) => e.kind !== 'set-team-status')
      .map((e) => (e.kind === 'append-message' ? { ...e, message: { ...e.message, type: 'message' } } : e)),
  abort: (team, args, ctx, plan, base) => {
    // The format has no team status, no decision records and no archive: keep the git effects
    // (backup, tag, rollback) and ask every teammate to shut down instead of announcing it.
    if (!ctx.repo) plan.notes = plan.notes.map((n) => (n.startsWith('the team has no git repository') ? 'no repository given (--repo): nothing to roll back' : n));
    const effects = (base ?? []).filter((e) => e.kind.startsWith('git-'));
    return [...effects, shutdown(team, ctx, `team aborted${args.reason ? `: ${args.reason}` : ''}`)];
  },
};

/** The format adapter's adaptPlan: the native plan said in Claude Code's terms. */
export function adaptClaudePlan(action: ActionName, team: TeamSnapshot, args: ActionArgs, ctx: PlanContext, plan: Plan, effects: Effect[]): Effect[] {
  const adapt = CLAUDE_PLANNERS[action];
  return adapt ? adapt(team, args, ctx, plan, effects) : effects;
}
